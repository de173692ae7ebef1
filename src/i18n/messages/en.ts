/**
 * English, the source language: every key of every language, in ICU MessageFormat (placeholders in
 * braces, plurals as `{count, plural, one {…} other {…}}`). Identifiers (runbook ids, check ids, check
 * statuses, Kubernetes kinds and names, commands) are placeholders, never translated. To change a text,
 * read docs/translating.md.
 */
export const en = {
  // The target of a report.
  'target.all-namespaces': 'all namespaces',
  'target.in-cluster': '{target} in {cluster}',
  'target.namespace': 'namespace {namespace}',
  'target.workload': 'workload {workload}',
  'target.with-cluster': '{target}, cluster {cluster}',
  // Verdicts: the headline of a report, the same in Slack and in the terminal.
  'verdict.problems': '{count, plural, one {# problem} other {# problems}} in {target}',
  'verdict.clear': 'No problems found in {target}',
  'verdict.unread': 'Could not read the cluster: {count, plural, one {# check} other {# checks}} failed ({failures})',
  'verdict.partial':
    'No problems found in what could be read of {target}; {count, plural, one {# check} other {# checks}} could not run',
  'verdict.more-failures': '{names}, +{more} more',
  // The terminal report.
  'text.headline': 'mesh-doctor: {verdict}',
  'text.headline.problems': 'mesh-doctor: {count, plural, one {# problem} other {# problems}} found ({target})',
  'text.headline.problems-and-failures':
    'mesh-doctor: {count, plural, one {# problem} other {# problems}} found ({target}); {failed, plural, one {# check} other {# checks}} could not run, see below',
  'text.state-when-read': '(state when read)',
  'text.finding.runbook': 'runbook {runbook}, confidence {confidence}',
  'text.finding.resources': 'Resources: {resources}',
  'text.finding.evidence': 'Evidence:',
  'text.finding.steps': 'What to do:',
  'text.finding.fix':
    'Fix ({steps, plural, one {# step} other {# steps, applied in order}}; mesh-doctor applies it after approval in Slack, or run it by hand):',
  'severity.critical': 'critical',
  'severity.warning': 'warning',
  'severity.info': 'info',
  // The checks.
  'checks.counts': 'Checks: {counts}',
  'checks.none': 'Checks: none ran',
  'checks.absent-kinds': 'not installed (no CRD), nothing to read: {kinds}',
  'checks.nothing-to-look-at':
    '{count, plural, one {# check} other {# checks}} had nothing to look at (what they read was not captured or is not installed): {ids}',
  // The Slack report.
  'slack.asked-by': 'Asked by {user}',
  'slack.checks-failed.partial':
    ':warning: {count, plural, one {# check} other {# checks}} could not run; this covers only what could be read.',
  'slack.checks-failed.see-end':
    ':warning: {count, plural, one {# check} other {# checks}} could not run; see the end.',
  'slack.could-not-check': '*Could not check*',
  'slack.more-in-report': '_… {count} more in the attached report_',
  'slack.approvals-off': 'Patch approvals are not configured here: Approve and Reject will only say so.',
  'slack.finding.meta': '{severity} · runbook `{runbook}` · confidence {confidence}',
  'slack.finding.resources': '*Resources:* {resources}',
  'slack.finding.no-resources': 'none named',
  'slack.finding.more-resources':
    '_… {count, plural, one {# more resource} other {# more resources}} in the attached report_',
  'slack.finding.steps': '*What to do*',
  'slack.finding.fix':
    '*Fix mesh-doctor can apply* ({count, plural, one {# step} other {# steps, applied in order}}, after approval)',
  'slack.finding.more-steps': '_… {count, plural, one {# more step} other {# more steps}} in the attached report_',
  'slack.evidence': '*Evidence*',
  'slack.timeline': '*Timeline* from {start}, in your time zone',
  'slack.button.approve': 'Approve',
  'slack.button.reject': 'Reject',
  'slack.confirm.apply.title': 'Apply this fix?',
  'slack.confirm.apply.text': 'Patches {targets}.',
  'slack.confirm.apply': 'Apply',
  'slack.confirm.reject.title': 'Reject this fix?',
  'slack.confirm.reject.text': 'Nothing is applied to {targets}.',
  'slack.confirm.then': '{first}, then {next}',
  'slack.progress': 'Diagnosing…',
  'slack.progress.reading': 'Reading the cluster and its logs…',
  'slack.root.diagnosing': 'Diagnosing {target}, asked by {user}',
  'slack.root.details': 'Asked by {user} · details in the thread',
  'slack.more-findings': '_… {count, plural, one {# more finding} other {# more findings}} in the attached report_',
  'slack.too-long':
    ':page_facing_up: Slack refused this report as one message; the whole report is in the attached file.',
  'slack.full-report': 'Full report',
  'root.report-link': 'report in the thread',
  'root.problems': '{count, plural, one {# problem} other {# problems}}',
  'root.text': '{severity}: {title} in {target} ({problems})',
  // Answers to a person.
  'ask.what.webhooks': 'the mesh webhooks',
  'ask.what.injection': 'sidecar injection in {namespace}',
  'ask.what.config': 'the mesh configuration of {namespace}',
  'lang.chosen':
    'From now on mesh-doctor writes to you in {language}. `/mesh lang auto` follows your Slack language again.',
  'lang.auto': 'mesh-doctor now writes to you in your Slack language ({language}).',
  'lang.current.chosen':
    'mesh-doctor writes to you in {language}, as you chose. Change it with `/mesh lang <code>` ({codes}) or `/mesh lang auto`.',
  'lang.current.auto':
    'mesh-doctor writes to you in {language}, from your Slack language, the channel or the default. Choose another with `/mesh lang <code>` ({codes}).',
  // Facts and evidence labels of proxy-startup-econnrefused.
  'proxy-startup.evidence.started-at': 'istio-proxy started at {at}',
  'proxy-startup.evidence.all-ready': 'all containers Ready (condition ContainersReady=True)',
  'proxy-startup.evidence.first-error': 'first application error: ',
  'proxy-startup.evidence.first-error-after': 'first application error ({after} after istio-proxy started): ',
  'proxy-startup.evidence.sidecar-started': 'sidecar started: ',
  'proxy-startup.evidence.not-ready': 'sidecar not ready: ',
  'proxy-startup.evidence.still-not-ready': 'sidecar still not ready: ',
  'proxy-startup.evidence.ready': 'sidecar ready: ',
  'proxy-startup.evidence.never-ready': 'istio-proxy has not become ready yet',
  'proxy-startup.fact.refused-then-ready':
    'In pod {pod} the application was refused a connection at {at} while istio-proxy became ready at {readyAt} ({count, plural, one {# refusal} other {# refusals}} before the sidecar was ready).',
  'proxy-startup.fact.refused-never-ready':
    'In pod {pod} the application was refused a connection at {at} while istio-proxy was still not ready ({count, plural, one {# refusal} other {# refusals}} before the sidecar was ready).',
  'proxy-startup.fact.same-race': '{count} pods of {workload} show the same race.',
  'proxy-startup.fact.no-patch': 'No patch proposed: {reason}.',
  'proxy-startup.step.pending-hold':
    '{workload} already sets holdApplicationUntilProxyStarts in its pod template (proxy.istio.io/config), but pod {pod} was created before that change and still starts the application alongside istio-proxy.',
  'proxy-startup.step.pending-native':
    '{workload} already sets {annotation}: "true" in its pod template, but pod {pod} was created before that change and still starts the application alongside istio-proxy.',
  'proxy-startup.step.restart': 'Restart the workload so that every pod picks the setting up: {command}.',
  'proxy-startup.step.check-hold':
    'Diagnose again after the rollout: the new pods should show istio-proxy first in spec.containers with a postStart hook (pilot-agent wait).',
  'proxy-startup.step.check-native':
    'Diagnose again after the rollout: the new pods should show istio-proxy under spec.initContainers with restartPolicy Always.',
  'proxy-startup.step.held-cause':
    'Pod {pod} already runs with holdApplicationUntilProxyStarts (its application starts only after istio-proxy is ready), and connections are still refused: the start-up race is not the cause, and there is nothing to add.',
  'proxy-startup.step.held-init':
    'Check which container logs the refusals: init containers (migrations, Vault agents) run before the hold applies; exclude their destinations from the redirection or use native sidecars.',
  'proxy-startup.step.held-backend':
    'Check the destination: a backend that is down or not yet listening refuses connections the same way.',
  'proxy-startup.step.held-readiness':
    'Check whether istio-proxy loses readiness after start (readiness-probe failures later on): the hold covers only the start.',
  'proxy-startup.step.unprobed-cause':
    'istio-proxy in pod {pod} is a native sidecar (init container, restartPolicy Always) without a startupProbe: Kubernetes starts the application as soon as the proxy process runs, not when it is ready.',
  'proxy-startup.step.unprobed-annotation':
    'holdApplicationUntilProxyStarts does nothing for native sidecars (Istio ignores it there), so no annotation is proposed.',
  'proxy-startup.step.unprobed-probe':
    'Re-enable the injected startup probe (values.global.proxy.startupProbe.enabled: true, or remove the override that turned it off), then restart the workload: Kubernetes then holds the application until /healthz/ready on port 15021 answers.',
  // The mesh and data plane a diagnosis saw.
  'mesh.kind.istiod': 'Istio with istiod in the cluster',
  'mesh.kind.managed': 'managed Cloud Service Mesh (Google runs the control plane)',
  'mesh.kind.gke-ambient':
    "GKE ambient networking (namespace gke-managed-ambient): a Google product with its own policy APIs (GCPAuthzPolicy, GCPServerTLSPolicy), not Istio's ambient mode; mesh-doctor's Istio checks do not describe it",
  'mesh.kind.none': 'no Istio control plane visible in what was read',
  'mesh.pods.waypoint': '{count, plural, one {# pod} other {# pods}} ambient with waypoint {waypoints}',
  'mesh.pods.ambient': '{count, plural, one {# pod} other {# pods}} ambient (ztunnel only, no waypoint)',
  'mesh.pods.sidecar': '{count, plural, one {# pod} other {# pods}} with a sidecar',
  'mesh.pods.none': '{count, plural, one {# pod} other {# pods}} outside the mesh',
  'mesh.plane.empty': 'no running pods in scope',
  'mesh.plane.unknown': 'not known (pods were not read)',
  'mesh.summary.namespace': 'Mesh: {mesh}. Data plane of {namespace}: {plane}.',
  'mesh.summary.all': 'Mesh: {mesh}. Data plane of the workloads: {plane}.',
  // What a patch changes, in one line.
  'patch.field.template-annotation': 'pod template annotation {key}',
  'patch.field.template-label': 'pod template label {key}',
  'patch.field.annotation': 'annotation {key}',
  'patch.field.label': 'label {key}',
  'patch.set-settings': 'set {field}: {settings}',
  'patch.keeping': 'keeping {settings}',
  'patch.restart': 'restart the pods (rollout restart)',
  'patch.remove': 'remove {field}',
  'patch.move': 'move annotation {key} into the pod template',
  'patch.set': 'set {field}={value}',
  'patch.set-replacing': 'set {field}={value} (was {before})',
  'patch.add-port': 'add {protocol} {port} to {field}',
  'patch.op': '{op} {field}={value}',
  'patch.create': 'create {target}',
  'patch.empty': '{type} patch of {target}',
  'patch.on-target': '{change} on {target}',
  'patch.of-target': '{change} of {target}',
  'patch.and-then': '{first}, {rest}',
  'patch.more': '{summary} (+{count} more)',
  // How often and when a log line was seen.
  'occurrence.seen': 'seen {count} time(s)',
  'occurrence.seen-at': 'seen {count} time(s) at {at}',
  'occurrence.seen-from-to': 'seen {count} time(s) from {from} to {to} ({during})',
  'occurrence.last-before-newest': '{seen}, last {ago} before the newest evidence',
  // What the engine adds to every finding.
  'engine.fact.fixed-by-rollout': 'Was failing until the rollout of {workload} at {at}; no errors since.',
  'engine.step.nothing-to-apply':
    'Nothing to apply: the evidence below is from before the rollout. Diagnose {workload} again if the errors come back.',
  'engine.fact.pod-gone': 'Pod {pod} no longer exists.',
  'engine.fact.object-missing': '{object} does not exist in the cluster (it is named by the evidence).',
  'ask.pick-cluster':
    ':point_right: Several clusters are served ({clusters}): name one, for example {examples}, or pick one below. Nothing was queued.',
  'ask.unserved': ':no_entry: No worker serves {cluster} ({seen}), so nothing was queued.',
  'ask.seen-never': 'no worker has served it',
  'ask.seen-ago': 'last seen {ago} ago',
  'ask.served-now': 'Served now: {clusters}.',
  'ask.no-worker-running': 'No worker is running now.',
  // Facts and evidence labels of sidecar-not-injected.
  'sidecar-injection.intent.others-injected': 'other pods in the namespace have sidecars',
  'sidecar-injection.intent.configured': '{object} configures traffic for it',
  'sidecar-injection.intent.pods-ask': 'its pods ask for injection (sidecar.istio.io/inject=true)',
  'sidecar-injection.intent.target': 'it was named as the diagnosis target',
  'sidecar-injection.problem.unknown-revision':
    'namespace {namespace} has istio.io/rev={rev}, but no installed injector serves that revision (installed: {installed})',
  'sidecar-injection.problem.wrong-value':
    'namespace {namespace} has istio-injection={value}; only the value "enabled" turns injection on',
  'sidecar-injection.problem.created-before':
    'namespace {namespace} is enabled for injection, but these pods were created without a sidecar (created before the label, or the injector was unavailable)',
  'sidecar-injection.problem.no-label': 'namespace {namespace} has no injection label although {intent}',
  'sidecar-injection.evidence.labels': 'labels: {labels}',
  'sidecar-injection.evidence.no-label': 'labels: no injection label',
  'sidecar-injection.evidence.asks-but-none':
    'asks for injection (sidecar.istio.io/inject=true) but has no istio-proxy (containers: {containers})',
  'sidecar-injection.evidence.no-sidecar': 'containers: {containers} (no istio-proxy)',
  'sidecar-injection.evidence.refused-plaintext': 'refused plaintext: ',
  'sidecar-injection.evidence.strict': 'requires mutual TLS (mode STRICT)',
  'sidecar-injection.fact.overruled':
    "{workloads} {count, plural, one {asks} other {ask}} for a sidecar with sidecar.istio.io/inject=true, but namespace {namespace} is labelled istio-injection=disabled, which takes precedence: the injector webhooks consider a pod's own request only in namespaces without an istio-injection label, so these pods are never sent to the injector.",
  'sidecar-injection.step.remove-disabled':
    'To inject them: remove the namespace label (kubectl label namespace {namespace} istio-injection-), keep sidecar.istio.io/inject: "true" as a pod-template label (the annotation alone is not matched by the webhooks), then restart the workloads. Pods in the namespace without that label stay uninjected.',
  'sidecar-injection.step.stay-out':
    'If the namespace is meant to stay out of the mesh, remove sidecar.istio.io/inject from the pod templates so they no longer claim to be in it.',
  'sidecar-injection.fact.pods-without':
    '{problem}: {count, plural, one {# pod} other {# pods}} of {workloads} run without a sidecar.',
  // Facts and evidence labels of upstream-reset-503.
  'upstream-503.terminating-pod': '{pod} from {at} ({seen})',
  'upstream-503.and-more': '{listed} and {count} more',
  'upstream-503.fact.rollout':
    '{count} of the {total} 503 UC came within {minutes} minutes of pods of {workload} terminating: {pods}. Requests were still sent on connections to pods that were shutting down, which reset them.',
  'upstream-503.fact.rollout-hbone':
    '{count} of the {total} 503 UC came within {minutes} minutes of pods of {workload} terminating: {pods}. Requests were still sent over HBONE connections to pods that were shutting down, which reset them.',
  'upstream-503.step.retries':
    'Add retries to the route for {host} so that a request reset by a stopping pod is sent again to another pod: attempts 3, perTryTimeout 5s, retryOn gateway-error,connect-failure,refused-stream (gateway-error also retries a request whose connection was reset before the response). Retries apply to every HTTP method, so do this only where the handlers are idempotent.',
  'upstream-503.step.drain':
    'Let the pods drain before they stop: a preStop hook that sleeps a few seconds (longer than it takes the mesh to drop the pod from its endpoints), terminationGracePeriodSeconds above that, and an application that finishes in-flight requests on SIGTERM instead of closing its connections at once.',
  'upstream-503.step.ztunnel-logs':
    'Read the ztunnel logs of the nodes the pods ran on for those minutes (kubectl -n istio-system logs -l app=ztunnel --since=1h, filtered by the pod IP) to see the HBONE connections that ended with the pods.',
  'upstream-503.step.also-idle':
    "Some 503 UC came at other times: also raise the application's HTTP keep-alive timeout above the proxy's idle timeout (Node.js: server.keepAliveTimeout = 65000).",
  'upstream-503.evidence.own-log': 'its own log reports 503 connection termination: {seen}',
  'upstream-503.evidence.towards': '503 UC / connection termination towards {host}: {seen}',
  'upstream-503.evidence.terminating': 'terminating ({seen})',
  'upstream-503.fact.caller-only': `{workload} logs Envoy's "upstream connect error or disconnect/reset before headers. reset reason: connection termination" answer without naming the service it called: find the call in its code or its sidecar's access log (503 UC), then raise that upstream's HTTP keep-alive timeout above the proxy's idle timeout, or set a shorter DestinationRule connectionPool.http.idleTimeout for it.`,
  'upstream-503.fact.keep-alive':
    "{workload} closes idle keep-alive connections before Envoy stops reusing them. Raise its HTTP keep-alive timeout above the proxy's idle timeout (for Node.js: server.keepAliveTimeout = 65000 and server.headersTimeout = 66000), or set a shorter DestinationRule connectionPool.http.idleTimeout for {host}.",
  'upstream-503.fact.logged-by': 'The 503 UC were logged by {senders}.',
  'upstream-503.fact.logged-by-hbone':
    'The 503 UC were logged by {senders}, which reach the pods through HBONE tunnels (ambient mode).',
  // Facts and evidence labels of istio-init-failure.
  'istio-init.exit-code': 'exit code {code}',
  'istio-init.exit-code-reason': 'exit code {code} ({reason})',
  'istio-init.restarts': '{count} restarts',
  'istio-init.evidence.failed': '{container} failed: {status}',
  'istio-init.cause.pod-security':
    'namespace {namespace} enforces Pod Security "{level}", which forbids NET_ADMIN/NET_RAW',
  'istio-init.cause.cni':
    'the Istio CNI plugin did not set up the pod network (istio-cni-node not ready on the node or incomplete install)',
  'istio-init.cause.iptables':
    'istio-init may not program iptables (missing CAP_NET_ADMIN/NET_RAW or a restrictive pod security policy)',
  'istio-init.cause.admission':
    'admission (Pod Security or a PodSecurityPolicy) rejects the NET_ADMIN/NET_RAW capabilities istio-init needs, so pods are not even created',
  'istio-init.cni-not-ready': 'DaemonSet {daemonset} has {ready}/{desired} pods ready',
  'istio-init.fact.likely-cause': 'Likely cause: {cause}.',
  // Facts and evidence labels of istiod-apiserver-connection.
  'apiserver.evidence.first': 'first: ',
  'apiserver.evidence.errors': 'API-server errors {seen}',
  'apiserver.fact.unreachable': '{istiod} could not reach the API server; {seen}.',
  'apiserver.fact.unreachable-at': '{istiod} could not reach the API server at {address}; {seen}.',
  'apiserver.fact.unreachable-watching': '{istiod} could not reach the API server while watching {kinds}; {seen}.',
  'apiserver.fact.unreachable-at-watching':
    '{istiod} could not reach the API server at {address} while watching {kinds}; {seen}.',
  'apiserver.fact.ca-secret':
    'The CA could not read or store its signing secret ({secret}) for the same reason: until it can, istiod does not start its CA, or starts with a new self-signed root that workloads signed by the old one do not trust.',
  // Facts and evidence labels of xds-no-healthy-upstream.
  'xds-upstream.fact.check-service':
    'The proxies are told to reach istiod at {address}; check that this Service exists.',
  'xds-upstream.fact.service-exists':
    'discoveryAddress {address} names an existing Service; check that istiod behind it is ready and that port {port} is reachable.',
  'xds-upstream.fact.service-missing':
    'discoveryAddress {address} names a Service that does not exist: point it at the istiod Service of the installed revision.',
  'xds-upstream.evidence.failures': 'xDS stream failures {seen}',
  // Facts and evidence labels of webhook-stale-configuration.
  'stale-webhook.evidence.calls-missing': 'calls Service {services}, which no longer exists',
  'stale-webhook.fact.delete': 'Delete {object} if it belongs to a revision that is no longer installed ({command}).',
  // Language notes.
  'language.zh-Hant': 'This report is in Simplified Chinese: Traditional Chinese is not available yet.',
} as const;

export type MessageKey = keyof typeof en;
/** A language's messages: every key of English. */
export type Messages = Record<MessageKey, string>;
