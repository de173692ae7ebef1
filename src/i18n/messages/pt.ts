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
  'language.zh-Hant': 'Este relatório está em chinês simplificado: o chinês tradicional ainda não está disponível.',
};
