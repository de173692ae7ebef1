import type { Messages } from './en';

/** Spanish. */
export const es: Messages = {
  'target.all-namespaces': 'todos los espacios de nombres',
  'target.in-cluster': '{target} en {cluster}',
  'target.namespace': 'espacio de nombres {namespace}',
  'target.workload': 'carga de trabajo {workload}',
  'target.with-cluster': '{target}, clúster {cluster}',
  'verdict.problems': '{count, plural, one {# problema} other {# problemas}} en {target}',
  'verdict.clear': 'No se encontraron problemas en {target}',
  'verdict.unread':
    'No se pudo leer el clúster: {count, plural, one {falló # comprobación} other {fallaron # comprobaciones}} ({failures})',
  'verdict.partial':
    'No se encontraron problemas en lo que se pudo leer de {target}; {count, plural, one {# comprobación no se pudo ejecutar} other {# comprobaciones no se pudieron ejecutar}}',
  'verdict.more-failures': '{names} y {more} más',
  'text.headline': 'mesh-doctor: {verdict}',
  'text.headline.problems':
    'mesh-doctor: {count, plural, one {se encontró # problema} other {se encontraron # problemas}} ({target})',
  'text.headline.problems-and-failures':
    'mesh-doctor: {count, plural, one {se encontró # problema} other {se encontraron # problemas}} ({target}); {failed, plural, one {# comprobación no se pudo ejecutar} other {# comprobaciones no se pudieron ejecutar}}, consulte abajo',
  'text.state-when-read': '(estado al leerlo)',
  'text.finding.runbook': 'runbook {runbook}, confianza {confidence}',
  'text.finding.resources': 'Recursos: {resources}',
  'text.finding.evidence': 'Evidencia:',
  'text.finding.steps': 'Qué hacer:',
  'text.finding.fix':
    'Corrección ({steps, plural, one {# paso} other {# pasos, aplicados en orden}}; mesh-doctor la aplica tras la aprobación en Slack, o ejecútela a mano):',
  'severity.critical': 'crítico',
  'severity.warning': 'advertencia',
  'severity.info': 'información',
  'checks.counts': 'Comprobaciones: {counts}',
  'checks.none': 'Comprobaciones: no se ejecutó ninguna',
  'checks.absent-kinds': 'no instalado (sin CRD), nada que leer: {kinds}',
  'checks.nothing-to-look-at':
    '{count, plural, one {# comprobación no tuvo} other {# comprobaciones no tuvieron}} nada que revisar (lo que leen no se capturó o no está instalado): {ids}',
  'slack.asked-by': 'Solicitado por {user}',
  'slack.checks-failed.partial':
    ':warning: {count, plural, one {# comprobación no se pudo ejecutar} other {# comprobaciones no se pudieron ejecutar}}; esto solo cubre lo que se pudo leer.',
  'slack.checks-failed.see-end':
    ':warning: {count, plural, one {# comprobación no se pudo ejecutar} other {# comprobaciones no se pudieron ejecutar}}; consulte el final.',
  'slack.could-not-check': '*No se pudo comprobar*',
  'slack.more-in-report': '_… {count} más en el informe adjunto_',
  'slack.approvals-off':
    'Las aprobaciones de parches no están configuradas aquí: Aprobar y Rechazar solo lo indicarán.',
  'slack.finding.meta': '{severity} · runbook `{runbook}` · confianza {confidence}',
  'slack.finding.resources': '*Recursos:* {resources}',
  'slack.finding.no-resources': 'ninguno identificado',
  'slack.finding.more-resources':
    '_… {count, plural, one {# recurso más} other {# recursos más}} en el informe adjunto_',
  'slack.finding.steps': '*Qué hacer*',
  'slack.finding.fix':
    '*Corrección que mesh-doctor puede aplicar* ({count, plural, one {# paso} other {# pasos, aplicados en orden}}, tras la aprobación)',
  'slack.finding.more-steps': '_… {count, plural, one {# paso más} other {# pasos más}} en el informe adjunto_',
  'slack.evidence': '*Evidencia*',
  'slack.timeline': '*Cronología* desde {start}, en su zona horaria',
  'slack.button.approve': 'Aprobar',
  'slack.button.reject': 'Rechazar',
  'slack.confirm.apply.title': '¿Aplicar esta corrección?',
  'slack.confirm.apply.text': 'Modifica {targets}.',
  'slack.confirm.apply': 'Aplicar',
  'slack.confirm.reject.title': '¿Rechazar esta corrección?',
  'slack.confirm.reject.text': 'No se aplica nada a {targets}.',
  'slack.confirm.then': '{first} y después {next}',
  'slack.progress': 'Diagnosticando…',
  'slack.progress.reading': 'Leyendo el clúster y sus registros…',
  'slack.root.diagnosing': 'Diagnosticando {target}, solicitado por {user}',
  'slack.root.details': 'Solicitado por {user} · detalles en el hilo',
  'ask.what.webhooks': 'los webhooks de la malla',
  'ask.what.injection': 'la inyección del sidecar en {namespace}',
  'ask.what.config': 'la configuración de la malla de {namespace}',
  'lang.chosen':
    'A partir de ahora mesh-doctor le escribe en {language}. `/mesh lang auto` vuelve a seguir el idioma de Slack.',
  'lang.auto': 'mesh-doctor ahora le escribe en su idioma de Slack ({language}).',
  'lang.current.chosen':
    'mesh-doctor le escribe en {language}, como usted eligió. Cámbielo con `/mesh lang <código>` ({codes}) o `/mesh lang auto`.',
  'lang.current.auto':
    'mesh-doctor le escribe en {language}, según su idioma de Slack, el canal o el valor predeterminado. Elija otro con `/mesh lang <código>` ({codes}).',
  'language.zh-Hant': 'Este informe está en chino simplificado: el chino tradicional aún no está disponible.',
};
