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
  'language.zh-Hant': 'Este informe está en chino simplificado: el chino tradicional aún no está disponible.',
};
