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
  'proxy-startup.evidence.started-at': 'istio-proxy iniciou às {at}',
  'proxy-startup.evidence.all-ready': 'todos os contêineres prontos (condição ContainersReady=True)',
  'proxy-startup.evidence.first-error': 'primeiro erro da aplicação: ',
  'proxy-startup.evidence.first-error-after': 'primeiro erro da aplicação ({after} após o início do istio-proxy): ',
  'proxy-startup.evidence.sidecar-started': 'sidecar iniciado: ',
  'proxy-startup.evidence.not-ready': 'sidecar não pronto: ',
  'proxy-startup.evidence.still-not-ready': 'sidecar ainda não pronto: ',
  'proxy-startup.evidence.ready': 'sidecar pronto: ',
  'proxy-startup.evidence.never-ready': 'o istio-proxy ainda não ficou pronto',
  'proxy-startup.fact.refused-then-ready':
    'No pod {pod}, a aplicação teve uma conexão recusada às {at}, enquanto o istio-proxy ficou pronto às {readyAt} ({count, plural, one {# recusa} other {# recusas}} antes de o sidecar ficar pronto).',
  'proxy-startup.fact.refused-never-ready':
    'No pod {pod}, a aplicação teve uma conexão recusada às {at}, quando o istio-proxy ainda não estava pronto ({count, plural, one {# recusa} other {# recusas}} antes de o sidecar ficar pronto).',
  'proxy-startup.fact.same-race': '{count} pods de {workload} mostram a mesma condição de corrida.',
  'proxy-startup.fact.no-patch': 'Nenhum patch proposto: {reason}.',
  'proxy-startup.step.pending-hold':
    '{workload} já define holdApplicationUntilProxyStarts no template do pod (proxy.istio.io/config), mas o pod {pod} foi criado antes dessa mudança e ainda inicia a aplicação junto com o istio-proxy.',
  'proxy-startup.step.pending-native':
    '{workload} já define {annotation}: "true" no template do pod, mas o pod {pod} foi criado antes dessa mudança e ainda inicia a aplicação junto com o istio-proxy.',
  'proxy-startup.step.restart': 'Reinicie a carga de trabalho para que todos os pods adotem a configuração: {command}.',
  'proxy-startup.step.check-hold':
    'Diagnostique novamente após o rollout: os novos pods devem mostrar o istio-proxy primeiro em spec.containers, com um hook postStart (pilot-agent wait).',
  'proxy-startup.step.check-native':
    'Diagnostique novamente após o rollout: os novos pods devem mostrar o istio-proxy em spec.initContainers com restartPolicy Always.',
  'proxy-startup.step.held-cause':
    'O pod {pod} já é executado com holdApplicationUntilProxyStarts (a aplicação só inicia depois que o istio-proxy está pronto) e as conexões continuam sendo recusadas: a condição de corrida na inicialização não é a causa e não há nada a acrescentar.',
  'proxy-startup.step.held-init':
    'Verifique qual contêiner registra as recusas: os contêineres de inicialização (migrações, agentes do Vault) são executados antes de a espera valer; exclua os destinos deles do redirecionamento ou use sidecars nativos.',
  'proxy-startup.step.held-backend':
    'Verifique o destino: um backend fora do ar ou que ainda não está escutando recusa conexões da mesma forma.',
  'proxy-startup.step.held-readiness':
    'Verifique se o istio-proxy perde a prontidão depois de iniciar (falhas posteriores do readiness probe): a espera cobre apenas a inicialização.',
  'proxy-startup.step.unprobed-cause':
    'O istio-proxy no pod {pod} é um sidecar nativo (contêiner de inicialização, restartPolicy Always) sem startupProbe: o Kubernetes inicia a aplicação assim que o processo do proxy é executado, não quando ele está pronto.',
  'proxy-startup.step.unprobed-annotation':
    'holdApplicationUntilProxyStarts não tem efeito em sidecars nativos (o Istio o ignora nesse caso), então nenhuma anotação é proposta.',
  'proxy-startup.step.unprobed-probe':
    'Reative o startup probe injetado (values.global.proxy.startupProbe.enabled: true, ou remova a substituição que o desativou) e reinicie a carga de trabalho: o Kubernetes então segura a aplicação até /healthz/ready na porta 15021 responder.',
  'mesh.kind.istiod': 'Istio com istiod no cluster',
  'mesh.kind.managed': 'Cloud Service Mesh gerenciado (o Google opera o plano de controle)',
  'mesh.kind.gke-ambient':
    'rede ambient do GKE (namespace gke-managed-ambient): um produto do Google com APIs de política próprias (GCPAuthzPolicy, GCPServerTLSPolicy), não o modo ambient do Istio; as verificações de Istio do mesh-doctor não o descrevem',
  'mesh.kind.none': 'nenhum plano de controle do Istio visível no que foi lido',
  'mesh.pods.waypoint': '{count, plural, one {# pod} other {# pods}} em ambient com waypoint {waypoints}',
  'mesh.pods.ambient': '{count, plural, one {# pod} other {# pods}} em ambient (somente ztunnel, sem waypoint)',
  'mesh.pods.sidecar': '{count, plural, one {# pod} other {# pods}} com sidecar',
  'mesh.pods.none': '{count, plural, one {# pod} other {# pods}} fora da malha',
  'mesh.plane.empty': 'nenhum pod em execução no escopo',
  'mesh.plane.unknown': 'desconhecido (os pods não foram lidos)',
  'mesh.summary.namespace': 'Malha: {mesh}. Plano de dados de {namespace}: {plane}.',
  'mesh.summary.all': 'Malha: {mesh}. Plano de dados das cargas de trabalho: {plane}.',
  'patch.field.template-annotation': 'anotação {key} do template do pod',
  'patch.field.template-label': 'rótulo {key} do template do pod',
  'patch.field.annotation': 'anotação {key}',
  'patch.field.label': 'rótulo {key}',
  'patch.set-settings': 'definir {field}: {settings}',
  'patch.keeping': 'mantendo {settings}',
  'patch.restart': 'reiniciar os pods (rollout restart)',
  'patch.remove': 'remover {field}',
  'patch.move': 'mover a anotação {key} para o template do pod',
  'patch.set': 'definir {field}={value}',
  'patch.set-replacing': 'definir {field}={value} (antes {before})',
  'patch.add-port': 'adicionar {protocol} {port} a {field}',
  'patch.op': '{op} {field}={value}',
  'patch.create': 'criar {target}',
  'patch.empty': 'patch {type} de {target}',
  'patch.on-target': '{change} em {target}',
  'patch.of-target': '{change} de {target}',
  'patch.and-then': '{first}, {rest}',
  'patch.more': '{summary} (e mais {count})',
  'engine.fact.fixed-by-rollout': 'Falhava até o rollout de {workload} às {at}; sem erros desde então.',
  'engine.step.nothing-to-apply':
    'Nada a aplicar: as evidências abaixo são de antes do rollout. Diagnostique {workload} novamente se os erros voltarem.',
  'engine.fact.pod-gone': 'O pod {pod} não existe mais.',
  'engine.fact.object-missing': '{object} não existe no cluster (ele é citado pelas evidências).',
  'slack.more-findings': '_… mais {count, plural, one {# descoberta} other {# descobertas}} no relatório anexado_',
  'slack.too-long':
    ':page_facing_up: O Slack recusou este relatório como uma única mensagem; o relatório completo está no arquivo anexado.',
  'slack.full-report': 'Relatório completo',
  'root.report-link': 'relatório na conversa',
  'root.problems': '{count, plural, one {# problema} other {# problemas}}',
  'root.text': '{severity}: {title} em {target} ({problems})',
  'ask.pick-cluster':
    ':point_right: Vários clusters são atendidos ({clusters}): informe um, por exemplo {examples}, ou escolha um abaixo. Nada foi enfileirado.',
  'ask.unserved': ':no_entry: Nenhum worker atende {cluster} ({seen}), então nada foi enfileirado.',
  'ask.seen-never': 'nenhum worker o atendeu',
  'ask.seen-ago': 'visto pela última vez há {ago}',
  'ask.served-now': 'Atendidos agora: {clusters}.',
  'ask.no-worker-running': 'Nenhum worker está em execução agora.',
  'sidecar-injection.intent.others-injected': 'outros pods do namespace têm sidecar',
  'sidecar-injection.intent.configured': '{object} configura o tráfego dele',
  'sidecar-injection.intent.pods-ask': 'os pods dele pedem injeção (sidecar.istio.io/inject=true)',
  'sidecar-injection.intent.target': 'ele foi indicado como alvo do diagnóstico',
  'sidecar-injection.problem.unknown-revision':
    'o namespace {namespace} tem istio.io/rev={rev}, mas nenhum injetor instalado atende essa revisão (instaladas: {installed})',
  'sidecar-injection.problem.wrong-value':
    'o namespace {namespace} tem istio-injection={value}; somente o valor "enabled" ativa a injeção',
  'sidecar-injection.problem.created-before':
    'o namespace {namespace} está habilitado para injeção, mas estes pods foram criados sem sidecar (antes do rótulo, ou com o injetor indisponível)',
  'sidecar-injection.problem.no-label': 'o namespace {namespace} não tem rótulo de injeção, embora {intent}',
  'sidecar-injection.evidence.labels': 'rótulos: {labels}',
  'sidecar-injection.evidence.no-label': 'rótulos: nenhum rótulo de injeção',
  'sidecar-injection.evidence.asks-but-none':
    'pede injeção (sidecar.istio.io/inject=true), mas não tem istio-proxy (contêineres: {containers})',
  'sidecar-injection.evidence.no-sidecar': 'contêineres: {containers} (sem istio-proxy)',
  'sidecar-injection.evidence.refused-plaintext': 'texto sem criptografia recusado: ',
  'sidecar-injection.evidence.strict': 'exige TLS mútuo (modo STRICT)',
  'sidecar-injection.fact.overruled':
    '{workloads} {count, plural, one {pede} other {pedem}} um sidecar com sidecar.istio.io/inject=true, mas o namespace {namespace} tem o rótulo istio-injection=disabled, que tem precedência: os webhooks do injetor só consideram o pedido do próprio pod em namespaces sem o rótulo istio-injection, então esses pods nunca são enviados ao injetor.',
  'sidecar-injection.step.remove-disabled':
    'Para injetá-los: remova o rótulo do namespace (kubectl label namespace {namespace} istio-injection-), mantenha sidecar.istio.io/inject: "true" como rótulo do template do pod (a anotação sozinha não é considerada pelos webhooks) e reinicie as cargas de trabalho. Os pods do namespace sem esse rótulo continuam sem injeção.',
  'sidecar-injection.step.stay-out':
    'Se o namespace deve ficar fora da malha, remova sidecar.istio.io/inject dos templates de pod para que deixem de declarar que fazem parte dela.',
  'sidecar-injection.fact.pods-without':
    '{problem}: {count, plural, one {# pod} other {# pods}} de {workloads} são executados sem sidecar.',
  'occurrence.seen': 'visto {count, plural, one {# vez} other {# vezes}}',
  'occurrence.seen-at': 'visto {count, plural, one {# vez} other {# vezes}} às {at}',
  'occurrence.seen-from-to': 'visto {count, plural, one {# vez} other {# vezes}} de {from} a {to} ({during})',
  'occurrence.last-before-newest': '{seen}; a última, {ago} antes da evidência mais recente',
  'upstream-503.terminating-pod': '{pod} desde {at} ({seen})',
  'upstream-503.and-more': '{listed} e mais {count}',
  'upstream-503.fact.rollout':
    '{count} dos {total} 503 UC ocorreram em até {minutes} minutos do encerramento de pods de {workload}: {pods}. Ainda eram enviadas requisições por conexões para pods que estavam sendo desligados, que as redefiniram.',
  'upstream-503.fact.rollout-hbone':
    '{count} dos {total} 503 UC ocorreram em até {minutes} minutos do encerramento de pods de {workload}: {pods}. Ainda eram enviadas requisições por conexões HBONE para pods que estavam sendo desligados, que as redefiniram.',
  'upstream-503.step.retries':
    'Adicione novas tentativas à rota de {host} para que uma requisição redefinida por um pod que está parando seja enviada de novo a outro pod: attempts 3, perTryTimeout 5s, retryOn gateway-error,connect-failure,refused-stream (gateway-error também repete uma requisição cuja conexão foi redefinida antes da resposta). As novas tentativas valem para todos os métodos HTTP, então faça isso apenas onde os handlers forem idempotentes.',
  'upstream-503.step.drain':
    'Deixe os pods drenarem antes de parar: um hook preStop que aguarde alguns segundos (mais do que a malha leva para tirar o pod dos endpoints), terminationGracePeriodSeconds acima disso e uma aplicação que conclua as requisições em andamento ao receber SIGTERM em vez de fechar as conexões imediatamente.',
  'upstream-503.step.ztunnel-logs':
    'Leia os logs do ztunnel dos nós em que os pods rodavam naqueles minutos (kubectl -n istio-system logs -l app=ztunnel --since=1h, filtrados pelo IP do pod) para ver as conexões HBONE que terminaram com os pods.',
  'upstream-503.step.also-idle':
    'Alguns 503 UC ocorreram em outros momentos: aumente também o timeout de keep-alive HTTP da aplicação para acima do timeout de ociosidade do proxy (Node.js: server.keepAliveTimeout = 65000).',
  'upstream-503.evidence.own-log': 'o próprio log informa 503 connection termination: {seen}',
  'upstream-503.evidence.towards': '503 UC / connection termination para {host}: {seen}',
  'upstream-503.evidence.terminating': 'encerrando ({seen})',
  'upstream-503.fact.caller-only':
    '{workload} registra a resposta do Envoy "upstream connect error or disconnect/reset before headers. reset reason: connection termination" sem indicar o serviço chamado: encontre a chamada no código ou no log de acesso do sidecar (503 UC) e então aumente o timeout de keep-alive HTTP desse upstream para acima do timeout de ociosidade do proxy, ou defina para ele um connectionPool.http.idleTimeout menor em uma DestinationRule.',
  'upstream-503.fact.keep-alive':
    '{workload} fecha conexões keep-alive ociosas antes de o Envoy parar de reutilizá-las. Aumente o timeout de keep-alive HTTP dele para acima do timeout de ociosidade do proxy (no Node.js: server.keepAliveTimeout = 65000 e server.headersTimeout = 66000), ou defina um connectionPool.http.idleTimeout menor em uma DestinationRule para {host}.',
  'upstream-503.fact.logged-by': 'Os 503 UC foram registrados por {senders}.',
  'upstream-503.fact.logged-by-hbone':
    'Os 503 UC foram registrados por {senders}, que alcança os pods por túneis HBONE (modo ambient).',
  'istio-init.exit-code': 'código de saída {code}',
  'istio-init.exit-code-reason': 'código de saída {code} ({reason})',
  'istio-init.restarts': '{count, plural, one {# reinicialização} other {# reinicializações}}',
  'istio-init.evidence.failed': '{container} falhou: {status}',
  'istio-init.cause.pod-security':
    'o namespace {namespace} aplica Pod Security "{level}", que proíbe NET_ADMIN/NET_RAW',
  'istio-init.cause.cni':
    'o plugin CNI do Istio não configurou a rede do pod (istio-cni-node não está pronto no nó ou a instalação está incompleta)',
  'istio-init.cause.iptables':
    'o istio-init não pode programar o iptables (falta CAP_NET_ADMIN/NET_RAW ou há uma política de segurança de pods restritiva)',
  'istio-init.cause.admission':
    'a admissão (Pod Security ou uma PodSecurityPolicy) rejeita as capabilities NET_ADMIN/NET_RAW de que o istio-init precisa, então os pods nem são criados',
  'istio-init.cni-not-ready': 'o DaemonSet {daemonset} tem {ready}/{desired} pods prontos',
  'istio-init.fact.likely-cause': 'Causa provável: {cause}.',
  'apiserver.evidence.first': 'primeiro: ',
  'apiserver.evidence.errors': 'erros do servidor de API: {seen}',
  'apiserver.fact.unreachable': '{istiod} não conseguiu alcançar o servidor de API; {seen}.',
  'apiserver.fact.unreachable-at': '{istiod} não conseguiu alcançar o servidor de API em {address}; {seen}.',
  'apiserver.fact.unreachable-watching':
    '{istiod} não conseguiu alcançar o servidor de API enquanto observava {kinds}; {seen}.',
  'apiserver.fact.unreachable-at-watching':
    '{istiod} não conseguiu alcançar o servidor de API em {address} enquanto observava {kinds}; {seen}.',
  'apiserver.fact.ca-secret':
    'Pelo mesmo motivo, a CA não conseguiu ler nem gravar o secret de assinatura ({secret}): até conseguir, o istiod não inicia a CA, ou inicia com uma nova raiz autoassinada em que as cargas de trabalho assinadas pela anterior não confiam.',
  'xds-upstream.fact.check-service':
    'Os proxies foram instruídos a alcançar o istiod em {address}; verifique se esse Service existe.',
  'xds-upstream.fact.service-exists':
    'discoveryAddress {address} aponta para um Service existente; verifique se o istiod por trás dele está pronto e se a porta {port} está acessível.',
  'xds-upstream.fact.service-missing':
    'discoveryAddress {address} aponta para um Service que não existe: aponte-o para o Service do istiod da revisão instalada.',
  'xds-upstream.evidence.failures': 'falhas do stream xDS: {seen}',
  'stale-webhook.evidence.calls-missing': 'chama o Service {services}, que não existe mais',
  'stale-webhook.fact.delete':
    'Exclua {object} se ele pertencer a uma revisão que não está mais instalada ({command}).',
  'language.zh-Hant': 'Este relatório está em chinês simplificado: o chinês tradicional ainda não está disponível.',
};
