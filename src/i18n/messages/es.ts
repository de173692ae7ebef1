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
  'proxy-startup.evidence.started-at': 'istio-proxy se inició a las {at}',
  'proxy-startup.evidence.all-ready': 'todos los contenedores listos (condición ContainersReady=True)',
  'proxy-startup.evidence.first-error': 'primer error de la aplicación: ',
  'proxy-startup.evidence.first-error-after':
    'primer error de la aplicación ({after} después de iniciarse istio-proxy): ',
  'proxy-startup.evidence.sidecar-started': 'sidecar iniciado: ',
  'proxy-startup.evidence.not-ready': 'sidecar no listo: ',
  'proxy-startup.evidence.still-not-ready': 'sidecar aún no listo: ',
  'proxy-startup.evidence.ready': 'sidecar listo: ',
  'proxy-startup.evidence.never-ready': 'istio-proxy todavía no está listo',
  'proxy-startup.fact.refused-then-ready':
    'En el pod {pod} se rechazó una conexión de la aplicación a las {at}, mientras que istio-proxy estuvo listo a las {readyAt} ({count, plural, one {# rechazo} other {# rechazos}} antes de que el sidecar estuviera listo).',
  'proxy-startup.fact.refused-never-ready':
    'En el pod {pod} se rechazó una conexión de la aplicación a las {at}, cuando istio-proxy aún no estaba listo ({count, plural, one {# rechazo} other {# rechazos}} antes de que el sidecar estuviera listo).',
  'proxy-startup.fact.same-race': '{count} pods de {workload} muestran la misma carrera.',
  'proxy-startup.fact.no-patch': 'No se propone ningún parche: {reason}.',
  'proxy-startup.step.pending-hold':
    '{workload} ya define holdApplicationUntilProxyStarts en su plantilla de pod (proxy.istio.io/config), pero el pod {pod} se creó antes de ese cambio y sigue iniciando la aplicación a la vez que istio-proxy.',
  'proxy-startup.step.pending-native':
    '{workload} ya define {annotation}: "true" en su plantilla de pod, pero el pod {pod} se creó antes de ese cambio y sigue iniciando la aplicación a la vez que istio-proxy.',
  'proxy-startup.step.restart':
    'Reinicie la carga de trabajo para que todos los pods tomen la configuración: {command}.',
  'proxy-startup.step.check-hold':
    'Vuelva a diagnosticar tras el despliegue: los pods nuevos deben mostrar istio-proxy primero en spec.containers con un hook postStart (pilot-agent wait).',
  'proxy-startup.step.check-native':
    'Vuelva a diagnosticar tras el despliegue: los pods nuevos deben mostrar istio-proxy en spec.initContainers con restartPolicy Always.',
  'proxy-startup.step.held-cause':
    'El pod {pod} ya se ejecuta con holdApplicationUntilProxyStarts (su aplicación solo se inicia cuando istio-proxy está listo) y las conexiones se siguen rechazando: la carrera de inicio no es la causa y no hay nada que añadir.',
  'proxy-startup.step.held-init':
    'Compruebe qué contenedor registra los rechazos: los contenedores de inicialización (migraciones, agentes de Vault) se ejecutan antes de que se aplique la espera; excluya sus destinos de la redirección o use sidecars nativos.',
  'proxy-startup.step.held-backend':
    'Compruebe el destino: un backend caído o que aún no escucha rechaza las conexiones de la misma forma.',
  'proxy-startup.step.held-readiness':
    'Compruebe si istio-proxy pierde la disponibilidad después del inicio (fallos posteriores del readiness probe): la espera solo cubre el inicio.',
  'proxy-startup.step.unprobed-cause':
    'istio-proxy en el pod {pod} es un sidecar nativo (contenedor de inicialización, restartPolicy Always) sin startupProbe: Kubernetes inicia la aplicación en cuanto se ejecuta el proceso del proxy, no cuando está listo.',
  'proxy-startup.step.unprobed-annotation':
    'holdApplicationUntilProxyStarts no tiene efecto en los sidecars nativos (Istio lo ignora allí), así que no se propone ninguna anotación.',
  'proxy-startup.step.unprobed-probe':
    'Vuelva a habilitar el startup probe inyectado (values.global.proxy.startupProbe.enabled: true, o quite la anulación que lo desactivó) y reinicie la carga de trabajo: así Kubernetes retiene la aplicación hasta que /healthz/ready en el puerto 15021 responda.',
  'mesh.kind.istiod': 'Istio con istiod en el clúster',
  'mesh.kind.managed': 'Cloud Service Mesh administrado (Google opera el plano de control)',
  'mesh.kind.gke-ambient':
    'redes ambient de GKE (espacio de nombres gke-managed-ambient): un producto de Google con sus propias API de políticas (GCPAuthzPolicy, GCPServerTLSPolicy), no el modo ambient de Istio; las comprobaciones de Istio de mesh-doctor no lo describen',
  'mesh.kind.none': 'no hay ningún plano de control de Istio visible en lo que se leyó',
  'mesh.pods.waypoint': '{count, plural, one {# pod} other {# pods}} en ambient con waypoint {waypoints}',
  'mesh.pods.ambient': '{count, plural, one {# pod} other {# pods}} en ambient (solo ztunnel, sin waypoint)',
  'mesh.pods.sidecar': '{count, plural, one {# pod} other {# pods}} con sidecar',
  'mesh.pods.none': '{count, plural, one {# pod} other {# pods}} fuera de la malla',
  'mesh.plane.empty': 'ningún pod en ejecución en el alcance',
  'mesh.plane.unknown': 'desconocido (no se leyeron los pods)',
  'mesh.summary.namespace': 'Malla: {mesh}. Plano de datos de {namespace}: {plane}.',
  'mesh.summary.all': 'Malla: {mesh}. Plano de datos de las cargas de trabajo: {plane}.',
  'patch.field.template-annotation': 'anotación {key} de la plantilla de pod',
  'patch.field.template-label': 'etiqueta {key} de la plantilla de pod',
  'patch.field.annotation': 'anotación {key}',
  'patch.field.label': 'etiqueta {key}',
  'patch.set-settings': 'establecer {field}: {settings}',
  'patch.keeping': 'conservando {settings}',
  'patch.restart': 'reiniciar los pods (rollout restart)',
  'patch.remove': 'quitar {field}',
  'patch.move': 'mover la anotación {key} a la plantilla de pod',
  'patch.set': 'establecer {field}={value}',
  'patch.set-replacing': 'establecer {field}={value} (antes {before})',
  'patch.add-port': 'añadir {protocol} {port} a {field}',
  'patch.op': '{op} {field}={value}',
  'patch.create': 'crear {target}',
  'patch.empty': 'parche {type} de {target}',
  'patch.on-target': '{change} en {target}',
  'patch.of-target': '{change} de {target}',
  'patch.and-then': '{first}, {rest}',
  'patch.more': '{summary} (y {count} más)',
  'engine.fact.fixed-by-rollout': 'Fallaba hasta el despliegue de {workload} a las {at}; sin errores desde entonces.',
  'engine.step.nothing-to-apply':
    'Nada que aplicar: la evidencia de abajo es anterior al despliegue. Vuelva a diagnosticar {workload} si los errores reaparecen.',
  'engine.fact.pod-gone': 'El pod {pod} ya no existe.',
  'engine.fact.object-missing': '{object} no existe en el clúster (lo menciona la evidencia).',
  'slack.more-findings': '_… {count, plural, one {# hallazgo más} other {# hallazgos más}} en el informe adjunto_',
  'slack.too-long':
    ':page_facing_up: Slack rechazó este informe como un solo mensaje; el informe completo está en el archivo adjunto.',
  'slack.full-report': 'Informe completo',
  'root.report-link': 'informe en el hilo',
  'root.problems': '{count, plural, one {# problema} other {# problemas}}',
  'root.text': '{severity}: {title} en {target} ({problems})',
  'ask.pick-cluster':
    ':point_right: Se atienden varios clústeres ({clusters}): indique uno, por ejemplo {examples}, o elija uno abajo. No se puso nada en cola.',
  'ask.unserved': ':no_entry: Ningún worker atiende {cluster} ({seen}), así que no se puso nada en cola.',
  'ask.seen-never': 'ningún worker lo ha atendido',
  'ask.seen-ago': 'visto por última vez hace {ago}',
  'ask.served-now': 'Atendidos ahora: {clusters}.',
  'ask.no-worker-running': 'Ahora no hay ningún worker en ejecución.',
  'sidecar-injection.intent.others-injected': 'otros pods del espacio de nombres tienen sidecar',
  'sidecar-injection.intent.configured': '{object} configura su tráfico',
  'sidecar-injection.intent.pods-ask': 'sus pods solicitan la inyección (sidecar.istio.io/inject=true)',
  'sidecar-injection.intent.target': 'se indicó como objetivo del diagnóstico',
  'sidecar-injection.problem.unknown-revision':
    'el espacio de nombres {namespace} tiene istio.io/rev={rev}, pero ningún inyector instalado atiende esa revisión (instaladas: {installed})',
  'sidecar-injection.problem.wrong-value':
    'el espacio de nombres {namespace} tiene istio-injection={value}; solo el valor "enabled" activa la inyección',
  'sidecar-injection.problem.created-before':
    'el espacio de nombres {namespace} tiene la inyección activada, pero estos pods se crearon sin sidecar (antes de la etiqueta, o con el inyector no disponible)',
  'sidecar-injection.problem.no-label':
    'el espacio de nombres {namespace} no tiene etiqueta de inyección, aunque {intent}',
  'sidecar-injection.evidence.labels': 'etiquetas: {labels}',
  'sidecar-injection.evidence.no-label': 'etiquetas: ninguna etiqueta de inyección',
  'sidecar-injection.evidence.asks-but-none':
    'solicita la inyección (sidecar.istio.io/inject=true) pero no tiene istio-proxy (contenedores: {containers})',
  'sidecar-injection.evidence.no-sidecar': 'contenedores: {containers} (sin istio-proxy)',
  'sidecar-injection.evidence.refused-plaintext': 'texto sin cifrar rechazado: ',
  'sidecar-injection.evidence.strict': 'exige TLS mutuo (modo STRICT)',
  'sidecar-injection.fact.overruled':
    '{workloads} {count, plural, one {solicita} other {solicitan}} un sidecar con sidecar.istio.io/inject=true, pero el espacio de nombres {namespace} tiene la etiqueta istio-injection=disabled, que tiene prioridad: los webhooks del inyector solo consideran la solicitud de un pod en espacios de nombres sin la etiqueta istio-injection, así que estos pods nunca se envían al inyector.',
  'sidecar-injection.step.remove-disabled':
    'Para inyectarlos: quite la etiqueta del espacio de nombres (kubectl label namespace {namespace} istio-injection-), mantenga sidecar.istio.io/inject: "true" como etiqueta de la plantilla de pod (los webhooks no tienen en cuenta la anotación sola) y reinicie las cargas de trabajo. Los pods del espacio de nombres sin esa etiqueta seguirán sin inyectar.',
  'sidecar-injection.step.stay-out':
    'Si el espacio de nombres debe quedar fuera de la malla, quite sidecar.istio.io/inject de las plantillas de pod para que dejen de declarar que están en ella.',
  'sidecar-injection.fact.pods-without':
    '{problem}: {count, plural, one {# pod} other {# pods}} de {workloads} se ejecutan sin sidecar.',
  'occurrence.seen': 'visto {count, plural, one {# vez} other {# veces}}',
  'occurrence.seen-at': 'visto {count, plural, one {# vez} other {# veces}} a las {at}',
  'occurrence.seen-from-to': 'visto {count, plural, one {# vez} other {# veces}} desde {from} hasta {to} ({during})',
  'occurrence.last-before-newest': '{seen}; la última, {ago} antes de la evidencia más reciente',
  'upstream-503.terminating-pod': '{pod} desde {at} ({seen})',
  'upstream-503.and-more': '{listed} y {count} más',
  'upstream-503.fact.rollout':
    '{count} de los {total} 503 UC llegaron en los {minutes} minutos en que terminaban pods de {workload}: {pods}. Se siguieron enviando solicitudes por conexiones a pods que se estaban apagando, que las restablecieron.',
  'upstream-503.fact.rollout-hbone':
    '{count} de los {total} 503 UC llegaron en los {minutes} minutos en que terminaban pods de {workload}: {pods}. Se siguieron enviando solicitudes por conexiones HBONE a pods que se estaban apagando, que las restablecieron.',
  'upstream-503.step.retries':
    'Añada reintentos a la ruta de {host} para que una solicitud restablecida por un pod que se detiene se envíe de nuevo a otro pod: attempts 3, perTryTimeout 5s, retryOn gateway-error,connect-failure,refused-stream (gateway-error también reintenta una solicitud cuya conexión se restableció antes de la respuesta). Los reintentos se aplican a todos los métodos HTTP, así que hágalo solo donde los manejadores sean idempotentes.',
  'upstream-503.step.drain':
    'Deje que los pods drenen antes de detenerse: un hook preStop que espere unos segundos (más de lo que tarda la malla en quitar el pod de sus endpoints), terminationGracePeriodSeconds por encima de eso y una aplicación que termine las solicitudes en curso al recibir SIGTERM en lugar de cerrar sus conexiones de inmediato.',
  'upstream-503.step.ztunnel-logs':
    'Lea los registros de ztunnel de los nodos donde se ejecutaban los pods en esos minutos (kubectl -n istio-system logs -l app=ztunnel --since=1h, filtrados por la IP del pod) para ver las conexiones HBONE que terminaron con los pods.',
  'upstream-503.step.also-idle':
    'Algunos 503 UC llegaron en otros momentos: aumente también el tiempo de keep-alive HTTP de la aplicación por encima del tiempo de inactividad del proxy (Node.js: server.keepAliveTimeout = 65000).',
  'upstream-503.evidence.own-log': 'su propio registro informa 503 connection termination: {seen}',
  'upstream-503.evidence.towards': '503 UC / connection termination hacia {host}: {seen}',
  'upstream-503.evidence.terminating': 'terminando ({seen})',
  'upstream-503.fact.caller-only':
    '{workload} registra la respuesta de Envoy "upstream connect error or disconnect/reset before headers. reset reason: connection termination" sin indicar el servicio al que llamó: busque la llamada en su código o en el registro de acceso de su sidecar (503 UC) y luego aumente el tiempo de keep-alive HTTP de ese upstream por encima del tiempo de inactividad del proxy, o defina para él un connectionPool.http.idleTimeout más corto en una DestinationRule.',
  'upstream-503.fact.keep-alive':
    '{workload} cierra las conexiones keep-alive inactivas antes de que Envoy deje de reutilizarlas. Aumente su tiempo de keep-alive HTTP por encima del tiempo de inactividad del proxy (en Node.js: server.keepAliveTimeout = 65000 y server.headersTimeout = 66000), o defina un connectionPool.http.idleTimeout más corto en una DestinationRule para {host}.',
  'upstream-503.fact.logged-by': 'Los 503 UC los registró {senders}.',
  'upstream-503.fact.logged-by-hbone':
    'Los 503 UC los registró {senders}, que llega a los pods por túneles HBONE (modo ambient).',
  'istio-init.exit-code': 'código de salida {code}',
  'istio-init.exit-code-reason': 'código de salida {code} ({reason})',
  'istio-init.restarts': '{count, plural, one {# reinicio} other {# reinicios}}',
  'istio-init.evidence.failed': '{container} falló: {status}',
  'istio-init.cause.pod-security':
    'el espacio de nombres {namespace} aplica Pod Security "{level}", que prohíbe NET_ADMIN/NET_RAW',
  'istio-init.cause.cni':
    'el plugin CNI de Istio no configuró la red del pod (istio-cni-node no está listo en el nodo o la instalación está incompleta)',
  'istio-init.cause.iptables':
    'istio-init no puede programar iptables (falta CAP_NET_ADMIN/NET_RAW o hay una política de seguridad de pods restrictiva)',
  'istio-init.cause.admission':
    'la admisión (Pod Security o una PodSecurityPolicy) rechaza las capacidades NET_ADMIN/NET_RAW que necesita istio-init, así que los pods ni siquiera se crean',
  'istio-init.cni-not-ready': 'el DaemonSet {daemonset} tiene {ready}/{desired} pods listos',
  'istio-init.fact.likely-cause': 'Causa probable: {cause}.',
  'apiserver.evidence.first': 'primero: ',
  'apiserver.evidence.errors': 'errores del servidor de API: {seen}',
  'apiserver.fact.unreachable': '{istiod} no pudo conectarse al servidor de API; {seen}.',
  'apiserver.fact.unreachable-at': '{istiod} no pudo conectarse al servidor de API en {address}; {seen}.',
  'apiserver.fact.unreachable-watching':
    '{istiod} no pudo conectarse al servidor de API mientras observaba {kinds}; {seen}.',
  'apiserver.fact.unreachable-at-watching':
    '{istiod} no pudo conectarse al servidor de API en {address} mientras observaba {kinds}; {seen}.',
  'apiserver.fact.ca-secret':
    'Por el mismo motivo, la CA no pudo leer ni guardar su secreto de firma ({secret}): hasta que pueda, istiod no inicia su CA, o la inicia con una nueva raíz autofirmada en la que no confían las cargas de trabajo firmadas por la anterior.',
  'xds-upstream.fact.check-service':
    'Los proxies tienen indicado llegar a istiod en {address}; compruebe que ese Service existe.',
  'xds-upstream.fact.service-exists':
    'discoveryAddress {address} apunta a un Service existente; compruebe que el istiod que hay detrás está listo y que el puerto {port} es accesible.',
  'xds-upstream.fact.service-missing':
    'discoveryAddress {address} apunta a un Service que no existe: apúntelo al Service de istiod de la revisión instalada.',
  'xds-upstream.evidence.failures': 'fallos del flujo xDS: {seen}',
  'stale-webhook.evidence.calls-missing': 'llama al Service {services}, que ya no existe',
  'stale-webhook.fact.delete': 'Elimine {object} si pertenece a una revisión que ya no está instalada ({command}).',
  'language.zh-Hant': 'Este informe está en chino simplificado: el chino tradicional aún no está disponible.',
};
