import type { Messages } from './en';

/** Brazilian Portuguese. */
export const pt: Messages = {
  'target.all-namespaces': 'todos os namespaces',
  'target.in-cluster': '{target} em {cluster}',
  'target.namespace': 'namespace {namespace}',
  'target.workload': 'carga de trabalho {workload}',
  'target.with-cluster': '{target}, cluster {cluster}',
  'verdict.problems': '{count, plural, one {# problema} other {# problemas}} em {target}',
  'verdict.clear': 'Nenhum problema encontrado em {target}',
  'verdict.unread':
    'Não foi possível ler o cluster: {count, plural, one {# verificação falhou} other {# verificações falharam}} ({failures})',
  'verdict.partial':
    'Nenhum problema encontrado no que foi possível ler de {target}; {count, plural, one {# verificação não pôde ser executada} other {# verificações não puderam ser executadas}}',
  'verdict.more-failures': '{names} e mais {more}',
  'text.headline': 'mesh-doctor: {verdict}',
  'text.headline.problems':
    'mesh-doctor: {count, plural, one {# problema encontrado} other {# problemas encontrados}} ({target})',
  'text.headline.problems-and-failures':
    'mesh-doctor: {count, plural, one {# problema encontrado} other {# problemas encontrados}} ({target}); {failed, plural, one {# verificação não pôde ser executada} other {# verificações não puderam ser executadas}}, veja abaixo',
  'text.state-when-read': '(estado no momento da leitura)',
  'text.finding.runbook': 'runbook {runbook}, confiança {confidence}',
  'text.finding.resources': 'Recursos: {resources}',
  'text.finding.evidence': 'Evidências:',
  'text.finding.steps': 'O que fazer:',
  'text.finding.fix':
    'Correção ({steps, plural, one {# etapa} other {# etapas, aplicadas em ordem}}; o mesh-doctor aplica após a aprovação no Slack, ou execute manualmente):',
  'severity.critical': 'crítico',
  'severity.warning': 'aviso',
  'severity.info': 'informação',
  'checks.counts': 'Verificações: {counts}',
  'checks.none': 'Verificações: nenhuma foi executada',
  'checks.absent-kinds': 'não instalado (sem CRD), nada para ler: {kinds}',
  'checks.nothing-to-look-at':
    '{count, plural, one {# verificação não teve} other {# verificações não tiveram}} nada para analisar (o que elas leem não foi capturado ou não está instalado): {ids}',
  'slack.asked-by': 'Solicitado por {user}',
  'slack.checks-failed.partial':
    ':warning: {count, plural, one {# verificação não pôde ser executada} other {# verificações não puderam ser executadas}}; isto cobre apenas o que foi possível ler.',
  'slack.checks-failed.see-end':
    ':warning: {count, plural, one {# verificação não pôde ser executada} other {# verificações não puderam ser executadas}}; veja o final.',
  'slack.could-not-check': '*Não foi possível verificar*',
  'slack.more-in-report': '_… mais {count} no relatório anexado_',
  'slack.approvals-off':
    'As aprovações de patches não estão configuradas aqui: Aprovar e Rejeitar apenas informarão isso.',
  'slack.finding.meta': '{severity} · runbook `{runbook}` · confiança {confidence}',
  'slack.finding.resources': '*Recursos:* {resources}',
  'slack.finding.no-resources': 'nenhum identificado',
  'slack.finding.more-resources': '_… mais {count, plural, one {# recurso} other {# recursos}} no relatório anexado_',
  'slack.finding.steps': '*O que fazer*',
  'slack.finding.fix':
    '*Correção que o mesh-doctor pode aplicar* ({count, plural, one {# etapa} other {# etapas, aplicadas em ordem}}, após a aprovação)',
  'slack.finding.more-steps': '_… mais {count, plural, one {# etapa} other {# etapas}} no relatório anexado_',
  'slack.evidence': '*Evidências*',
  'slack.timeline': '*Linha do tempo* a partir de {start}, no seu fuso horário',
  'slack.button.approve': 'Aprovar',
  'slack.button.reject': 'Rejeitar',
  'slack.confirm.apply.title': 'Aplicar esta correção?',
  'slack.confirm.apply.text': 'Modifica {targets}.',
  'slack.confirm.apply': 'Aplicar',
  'slack.confirm.reject.title': 'Rejeitar esta correção?',
  'slack.confirm.reject.text': 'Nada é aplicado a {targets}.',
  'slack.confirm.then': '{first} e depois {next}',
  'slack.progress': 'Diagnosticando…',
  'slack.progress.reading': 'Lendo o cluster e os logs…',
  'slack.root.diagnosing': 'Diagnosticando {target}, solicitado por {user}',
  'slack.root.details': 'Solicitado por {user} · detalhes na conversa',
  'ask.what.webhooks': 'os webhooks da malha',
  'ask.what.injection': 'a injeção do sidecar em {namespace}',
  'ask.what.config': 'a configuração da malha de {namespace}',
  'lang.chosen':
    'A partir de agora o mesh-doctor escreve para você em {language}. `/mesh lang auto` volta a seguir o idioma do Slack.',
  'lang.auto': 'O mesh-doctor agora escreve para você no seu idioma do Slack ({language}).',
  'lang.current.chosen':
    'O mesh-doctor escreve para você em {language}, como você escolheu. Altere com `/mesh lang <código>` ({codes}) ou `/mesh lang auto`.',
  'lang.current.auto':
    'O mesh-doctor escreve para você em {language}, conforme o seu idioma do Slack, o canal ou o padrão. Escolha outro com `/mesh lang <código>` ({codes}).',
  'language.zh-Hant': 'Este relatório está em chinês simplificado: o chinês tradicional ainda não está disponível.',
};
