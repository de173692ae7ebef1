import type { Messages } from './en';

/** Korean (no plural forms: every count uses `other`). */
export const ko: Messages = {
  'target.all-namespaces': '모든 네임스페이스',
  'target.in-cluster': '{cluster}의 {target}',
  'target.namespace': '네임스페이스 {namespace}',
  'target.workload': '워크로드 {workload}',
  'target.with-cluster': '{target}, 클러스터 {cluster}',
  'verdict.problems': '{target}에서 문제 {count, plural, other {#}}개 발견',
  'verdict.clear': '{target}에서 문제가 발견되지 않았습니다',
  'verdict.unread': '클러스터를 읽을 수 없습니다: 검사 {count, plural, other {#}}개 실패 ({failures})',
  'verdict.partial':
    '{target}에서 읽을 수 있었던 범위에서는 문제가 발견되지 않았습니다. 검사 {count, plural, other {#}}개를 실행할 수 없었습니다',
  'verdict.more-failures': '{names} 외 {more}개',
  'text.headline': 'mesh-doctor: {verdict}',
  'text.headline.problems': 'mesh-doctor: 문제 {count, plural, other {#}}개 발견 ({target})',
  'text.headline.problems-and-failures':
    'mesh-doctor: 문제 {count, plural, other {#}}개 발견 ({target}). 검사 {failed, plural, other {#}}개를 실행할 수 없었습니다. 아래를 참조하세요',
  'text.state-when-read': '(읽은 시점의 상태)',
  'text.finding.runbook': '런북 {runbook}, 신뢰도 {confidence}',
  'text.finding.resources': '리소스: {resources}',
  'text.finding.evidence': '증거:',
  'text.finding.steps': '조치 방법:',
  'text.finding.fix':
    '수정 ({steps, plural, =1 {1단계} other {#단계, 순서대로 적용}}. Slack에서 승인되면 mesh-doctor가 적용하며, 직접 실행할 수도 있습니다):',
  'severity.critical': '심각',
  'severity.warning': '경고',
  'severity.info': '정보',
  'checks.counts': '검사: {counts}',
  'checks.none': '검사: 실행된 검사 없음',
  'checks.absent-kinds': '설치되지 않음(CRD 없음), 읽을 대상 없음: {kinds}',
  'checks.nothing-to-look-at':
    '검사 {count, plural, other {#}}개는 살펴볼 대상이 없었습니다(읽는 대상이 캡처되지 않았거나 설치되지 않음): {ids}',
  'slack.asked-by': '요청자: {user}',
  'slack.checks-failed.partial':
    ':warning: 검사 {count, plural, other {#}}개를 실행할 수 없었습니다. 읽을 수 있었던 범위만 다룹니다.',
  'slack.checks-failed.see-end':
    ':warning: 검사 {count, plural, other {#}}개를 실행할 수 없었습니다. 마지막 부분을 참조하세요.',
  'slack.could-not-check': '*검사할 수 없음*',
  'slack.more-in-report': '_… 첨부된 보고서에 {count}개 더 있음_',
  'slack.approvals-off': '여기에는 패치 승인이 구성되어 있지 않습니다. 승인 및 거부 버튼은 이 사실만 알려 줍니다.',
  'slack.finding.meta': '{severity} · 런북 `{runbook}` · 신뢰도 {confidence}',
  'slack.finding.resources': '*리소스:* {resources}',
  'slack.finding.no-resources': '지정된 리소스 없음',
  'slack.finding.more-resources': '_… 첨부된 보고서에 리소스 {count, plural, other {#}}개 더 있음_',
  'slack.finding.steps': '*조치 방법*',
  'slack.finding.fix':
    '*mesh-doctor가 적용할 수 있는 수정* ({count, plural, =1 {1단계} other {#단계, 순서대로 적용}}, 승인 후)',
  'slack.finding.more-steps': '_… 첨부된 보고서에 {count, plural, other {#}}단계 더 있음_',
  'slack.evidence': '*증거*',
  'slack.timeline': '*타임라인* {start}부터, 사용자의 시간대 기준',
  'slack.button.approve': '승인',
  'slack.button.reject': '거부',
  'slack.confirm.apply.title': '이 수정을 적용할까요?',
  'slack.confirm.apply.text': '{targets}을(를) 패치합니다.',
  'slack.confirm.apply': '적용',
  'slack.confirm.reject.title': '이 수정을 거부할까요?',
  'slack.confirm.reject.text': '{targets}에는 아무것도 적용되지 않습니다.',
  'slack.confirm.then': '{first}, 그다음 {next}',
  'slack.progress': '진단 중…',
  'slack.progress.reading': '클러스터와 로그를 읽는 중…',
  'slack.root.diagnosing': '{target} 진단 중, 요청자: {user}',
  'slack.root.details': '요청자: {user} · 자세한 내용은 스레드 참조',
  'ask.what.webhooks': '메시 웹훅',
  'ask.what.injection': '{namespace}의 사이드카 삽입',
  'ask.what.config': '{namespace}의 메시 구성',
  'lang.chosen':
    '이제부터 mesh-doctor는 {language}(으)로 안내합니다. `/mesh lang auto`를 사용하면 다시 Slack 언어를 따릅니다.',
  'lang.auto': '이제 mesh-doctor는 사용자의 Slack 언어({language})로 안내합니다.',
  'lang.current.chosen':
    '선택하신 대로 mesh-doctor는 {language}(으)로 안내합니다. `/mesh lang <코드>`({codes}) 또는 `/mesh lang auto`로 변경할 수 있습니다.',
  'lang.current.auto':
    'mesh-doctor는 사용자의 Slack 언어, 채널 또는 기본값에 따라 {language}(으)로 안내합니다. `/mesh lang <코드>`({codes})로 다른 언어를 선택할 수 있습니다.',
  'proxy-startup.evidence.started-at': 'istio-proxy 시작 시각: {at}',
  'proxy-startup.evidence.all-ready': '모든 컨테이너 준비 완료(조건 ContainersReady=True)',
  'proxy-startup.evidence.first-error': '첫 애플리케이션 오류: ',
  'proxy-startup.evidence.first-error-after': '첫 애플리케이션 오류(istio-proxy 시작 {after} 후): ',
  'proxy-startup.evidence.sidecar-started': '사이드카 시작: ',
  'proxy-startup.evidence.not-ready': '사이드카 준비 안 됨: ',
  'proxy-startup.evidence.still-not-ready': '사이드카 여전히 준비 안 됨: ',
  'proxy-startup.evidence.ready': '사이드카 준비 완료: ',
  'proxy-startup.evidence.never-ready': 'istio-proxy가 아직 준비되지 않았습니다',
  'proxy-startup.fact.refused-then-ready':
    'Pod {pod}에서 애플리케이션 연결이 {at}에 거부되었으며, istio-proxy는 {readyAt}에 준비되었습니다(사이드카 준비 전 거부 {count, plural, other {#}}건).',
  'proxy-startup.fact.refused-never-ready':
    'Pod {pod}에서 애플리케이션 연결이 {at}에 거부되었으며, 그때 istio-proxy는 아직 준비되지 않았습니다(사이드카 준비 전 거부 {count, plural, other {#}}건).',
  'proxy-startup.fact.same-race': '{workload}의 Pod {count}개에서 같은 경합이 나타납니다.',
  'proxy-startup.fact.no-patch': '제안된 패치 없음: {reason}.',
  'proxy-startup.step.pending-hold':
    '{workload}의 Pod 템플릿에는 이미 holdApplicationUntilProxyStarts(proxy.istio.io/config)가 설정되어 있지만, Pod {pod}는 그 변경 전에 생성되어 여전히 istio-proxy와 동시에 애플리케이션을 시작합니다.',
  'proxy-startup.step.pending-native':
    '{workload}의 Pod 템플릿에는 이미 {annotation}: "true"가 설정되어 있지만, Pod {pod}는 그 변경 전에 생성되어 여전히 istio-proxy와 동시에 애플리케이션을 시작합니다.',
  'proxy-startup.step.restart': '모든 Pod에 설정이 적용되도록 워크로드를 재시작하세요: {command}.',
  'proxy-startup.step.check-hold':
    '롤아웃 후 다시 진단하세요. 새 Pod에서는 istio-proxy가 spec.containers의 첫 번째에 postStart 훅(pilot-agent wait)과 함께 있어야 합니다.',
  'proxy-startup.step.check-native':
    '롤아웃 후 다시 진단하세요. 새 Pod에서는 istio-proxy가 restartPolicy Always와 함께 spec.initContainers 아래에 있어야 합니다.',
  'proxy-startup.step.held-cause':
    'Pod {pod}는 이미 holdApplicationUntilProxyStarts로 실행 중이며(istio-proxy가 준비된 후에만 애플리케이션 시작) 연결이 여전히 거부됩니다. 시작 시 경합은 원인이 아니며 추가할 설정이 없습니다.',
  'proxy-startup.step.held-init':
    '어떤 컨테이너가 거부를 기록하는지 확인하세요. init 컨테이너(마이그레이션, Vault 에이전트)는 대기 설정이 적용되기 전에 실행되므로, 해당 대상을 리디렉션에서 제외하거나 네이티브 사이드카를 사용하세요.',
  'proxy-startup.step.held-backend':
    '대상을 확인하세요. 중단되었거나 아직 수신 대기하지 않는 백엔드도 같은 방식으로 연결을 거부합니다.',
  'proxy-startup.step.held-readiness':
    'istio-proxy가 시작 후 준비 상태를 잃는지 확인하세요(이후의 readiness probe 실패). 대기 설정은 시작 시점만 다룹니다.',
  'proxy-startup.step.unprobed-cause':
    'Pod {pod}의 istio-proxy는 startupProbe가 없는 네이티브 사이드카(init 컨테이너, restartPolicy Always)입니다. Kubernetes는 프록시가 준비될 때가 아니라 프록시 프로세스가 실행되자마자 애플리케이션을 시작합니다.',
  'proxy-startup.step.unprobed-annotation':
    'holdApplicationUntilProxyStarts는 네이티브 사이드카에는 효과가 없으므로(Istio가 무시함) 어노테이션을 제안하지 않습니다.',
  'proxy-startup.step.unprobed-probe':
    '삽입되는 startup probe를 다시 활성화하고(values.global.proxy.startupProbe.enabled: true 또는 이를 끈 재정의 제거) 워크로드를 재시작하세요. 그러면 Kubernetes는 포트 15021의 /healthz/ready가 응답할 때까지 애플리케이션을 대기시킵니다.',
  'mesh.kind.istiod': '클러스터 내 istiod를 사용하는 Istio',
  'mesh.kind.managed': '관리형 Cloud Service Mesh(Google이 컨트롤 플레인 운영)',
  'mesh.kind.gke-ambient':
    'GKE ambient 네트워킹(네임스페이스 gke-managed-ambient): 자체 정책 API(GCPAuthzPolicy, GCPServerTLSPolicy)를 갖춘 Google 제품이며 Istio의 ambient 모드가 아닙니다. mesh-doctor의 Istio 검사는 이를 설명하지 않습니다',
  'mesh.kind.none': '읽은 범위에서 Istio 컨트롤 플레인이 보이지 않음',
  'mesh.pods.waypoint': 'waypoint {waypoints}를 사용하는 ambient Pod {count, plural, other {#}}개',
  'mesh.pods.ambient': 'ambient Pod {count, plural, other {#}}개(ztunnel만, waypoint 없음)',
  'mesh.pods.sidecar': '사이드카가 있는 Pod {count, plural, other {#}}개',
  'mesh.pods.none': '메시 밖의 Pod {count, plural, other {#}}개',
  'mesh.plane.empty': '범위 내 실행 중인 Pod 없음',
  'mesh.plane.unknown': '알 수 없음(Pod를 읽지 못함)',
  'mesh.summary.namespace': '메시: {mesh}. {namespace}의 데이터 플레인: {plane}.',
  'mesh.summary.all': '메시: {mesh}. 워크로드의 데이터 플레인: {plane}.',
  'patch.field.template-annotation': 'Pod 템플릿 어노테이션 {key}',
  'patch.field.template-label': 'Pod 템플릿 레이블 {key}',
  'patch.field.annotation': '어노테이션 {key}',
  'patch.field.label': '레이블 {key}',
  'patch.set-settings': '{field} 설정: {settings}',
  'patch.keeping': '{settings} 유지',
  'patch.restart': 'Pod 재시작(rollout restart)',
  'patch.remove': '{field} 제거',
  'patch.move': '어노테이션 {key}를 Pod 템플릿으로 이동',
  'patch.set': '{field}={value} 설정',
  'patch.set-replacing': '{field}={value} 설정(이전 값 {before})',
  'patch.add-port': '{field}에 {protocol} {port} 추가',
  'patch.op': '{op} {field}={value}',
  'patch.create': '{target} 생성',
  'patch.empty': '{target}의 {type} 패치',
  'patch.on-target': '{target}: {change}',
  'patch.of-target': '{target}: {change}',
  'patch.and-then': '{first}, {rest}',
  'patch.more': '{summary} (외 {count}개)',
  'engine.fact.fixed-by-rollout': '{at}에 {workload} 롤아웃 전까지 실패했으며, 그 이후로는 오류가 없습니다.',
  'engine.step.nothing-to-apply':
    '적용할 것이 없습니다. 아래 증거는 롤아웃 이전의 것입니다. 오류가 다시 발생하면 {workload}를 다시 진단하세요.',
  'engine.fact.pod-gone': 'Pod {pod}는 더 이상 존재하지 않습니다.',
  'engine.fact.object-missing': '{object}는 클러스터에 존재하지 않습니다(증거에서 언급됨).',
  'slack.more-findings': '_… 첨부된 보고서에 발견 항목 {count, plural, other {#}}개 더 있음_',
  'slack.too-long':
    ':page_facing_up: Slack이 이 보고서를 하나의 메시지로 받지 않았습니다. 전체 보고서는 첨부 파일에 있습니다.',
  'slack.full-report': '전체 보고서',
  'root.report-link': '스레드의 보고서',
  'root.problems': '문제 {count, plural, other {#}}개',
  'root.text': '{severity}: {target}의 {title} ({problems})',
  'ask.pick-cluster':
    ':point_right: 여러 클러스터가 서비스되고 있습니다({clusters}). 예를 들어 {examples}처럼 하나를 지정하거나 아래에서 선택하세요. 대기열에 추가된 것은 없습니다.',
  'ask.unserved': ':no_entry: {cluster}를 서비스하는 워커가 없으므로({seen}) 대기열에 추가된 것이 없습니다.',
  'ask.seen-never': '이 클러스터를 서비스한 워커가 없음',
  'ask.seen-ago': '마지막 확인: {ago} 전',
  'ask.served-now': '현재 서비스 중: {clusters}.',
  'ask.no-worker-running': '현재 실행 중인 워커가 없습니다.',
  'sidecar-injection.intent.others-injected': '네임스페이스의 다른 Pod에는 사이드카가 있습니다',
  'sidecar-injection.intent.configured': '{object}가 해당 트래픽을 구성합니다',
  'sidecar-injection.intent.pods-ask': '해당 Pod가 삽입을 요청합니다(sidecar.istio.io/inject=true)',
  'sidecar-injection.intent.target': '진단 대상으로 지정되었습니다',
  'sidecar-injection.problem.unknown-revision':
    '네임스페이스 {namespace}에는 istio.io/rev={rev}가 있지만, 이 리비전을 서비스하는 설치된 인젝터가 없습니다(설치됨: {installed})',
  'sidecar-injection.problem.wrong-value':
    '네임스페이스 {namespace}에는 istio-injection={value}가 있습니다. 삽입은 값이 "enabled"일 때만 켜집니다',
  'sidecar-injection.problem.created-before':
    '네임스페이스 {namespace}는 삽입이 활성화되어 있지만 이 Pod들은 사이드카 없이 생성되었습니다(레이블 이전에 생성되었거나 인젝터를 사용할 수 없었음)',
  'sidecar-injection.problem.no-label': '네임스페이스 {namespace}에 삽입 레이블이 없습니다. 그러나 {intent}',
  'sidecar-injection.evidence.labels': '레이블: {labels}',
  'sidecar-injection.evidence.no-label': '레이블: 삽입 레이블 없음',
  'sidecar-injection.evidence.asks-but-none':
    '삽입을 요청하지만(sidecar.istio.io/inject=true) istio-proxy가 없습니다(컨테이너: {containers})',
  'sidecar-injection.evidence.no-sidecar': '컨테이너: {containers}(istio-proxy 없음)',
  'sidecar-injection.evidence.refused-plaintext': '거부된 평문 연결: ',
  'sidecar-injection.evidence.strict': '상호 TLS 필요(모드 STRICT)',
  'sidecar-injection.fact.overruled':
    '{workloads}(워크로드 {count, plural, other {#}}개)가 sidecar.istio.io/inject=true로 사이드카를 요청하지만, 네임스페이스 {namespace}에는 우선 적용되는 istio-injection=disabled 레이블이 있습니다. 인젝터 웹훅은 istio-injection 레이블이 없는 네임스페이스에서만 Pod 자체의 요청을 고려하므로, 이 Pod들은 인젝터로 전달되지 않습니다.',
  'sidecar-injection.step.remove-disabled':
    '삽입하려면 네임스페이스 레이블을 제거하고(kubectl label namespace {namespace} istio-injection-), sidecar.istio.io/inject: "true"를 Pod 템플릿 레이블로 유지한 다음(어노테이션만으로는 웹훅이 일치시키지 않음) 워크로드를 재시작하세요. 이 레이블이 없는 네임스페이스의 Pod에는 계속 삽입되지 않습니다.',
  'sidecar-injection.step.stay-out':
    '네임스페이스를 메시 밖에 두려는 것이라면, Pod 템플릿에서 sidecar.istio.io/inject를 제거하여 메시에 속한다고 주장하지 않게 하세요.',
  'sidecar-injection.fact.pods-without':
    '{problem}: {workloads}의 Pod {count, plural, other {#}}개가 사이드카 없이 실행됩니다.',
  'occurrence.seen': '{count, plural, other {#}}회 확인됨',
  'occurrence.seen-at': '{at}에 {count, plural, other {#}}회 확인됨',
  'occurrence.seen-from-to': '{from}부터 {to}까지 {count, plural, other {#}}회 확인됨({during})',
  'occurrence.last-before-newest': '{seen}, 마지막은 최신 증거보다 {ago} 전',
  'upstream-503.terminating-pod': '{pod}, {at}부터({seen})',
  'upstream-503.and-more': '{listed} 외 {count}개',
  'upstream-503.fact.rollout':
    '503 UC {total}건 중 {count}건은 {workload}의 Pod가 종료되는 {minutes}분 이내에 발생했습니다: {pods}. 종료 중인 Pod로 향하는 연결로 요청이 계속 전송되었고, 해당 Pod가 연결을 재설정했습니다.',
  'upstream-503.fact.rollout-hbone':
    '503 UC {total}건 중 {count}건은 {workload}의 Pod가 종료되는 {minutes}분 이내에 발생했습니다: {pods}. 종료 중인 Pod로 향하는 HBONE 연결로 요청이 계속 전송되었고, 해당 Pod가 연결을 재설정했습니다.',
  'upstream-503.step.retries':
    '중지되는 Pod가 재설정한 요청이 다른 Pod로 다시 전송되도록 {host} 라우트에 재시도를 추가하세요: attempts 3, perTryTimeout 5s, retryOn gateway-error,connect-failure,refused-stream(gateway-error는 응답 전에 연결이 재설정된 요청도 재시도합니다). 재시도는 모든 HTTP 메서드에 적용되므로 핸들러가 멱등인 경우에만 설정하세요.',
  'upstream-503.step.drain':
    'Pod가 중지되기 전에 드레인되도록 하세요: 몇 초간 대기하는 preStop 훅(메시가 엔드포인트에서 Pod를 제거하는 시간보다 길게), 그보다 큰 terminationGracePeriodSeconds, 그리고 SIGTERM을 받으면 연결을 바로 닫지 않고 처리 중인 요청을 마무리하는 애플리케이션이 필요합니다.',
  'upstream-503.step.ztunnel-logs':
    '해당 시간 동안 Pod가 실행된 노드의 ztunnel 로그를 읽어(kubectl -n istio-system logs -l app=ztunnel --since=1h, Pod IP로 필터링) Pod와 함께 종료된 HBONE 연결을 확인하세요.',
  'upstream-503.step.also-idle':
    '일부 503 UC는 다른 시점에 발생했습니다. 애플리케이션의 HTTP keep-alive 타임아웃도 프록시의 유휴 타임아웃보다 크게 설정하세요(Node.js: server.keepAliveTimeout = 65000).',
  'upstream-503.evidence.own-log': '자체 로그에 503 connection termination 보고: {seen}',
  'upstream-503.evidence.towards': '{host}(으)로의 503 UC / connection termination: {seen}',
  'upstream-503.evidence.terminating': '종료 중({seen})',
  'upstream-503.fact.caller-only':
    '{workload}는 호출한 서비스를 밝히지 않은 채 Envoy의 "upstream connect error or disconnect/reset before headers. reset reason: connection termination" 응답을 기록합니다. 코드나 사이드카의 액세스 로그(503 UC)에서 해당 호출을 찾은 다음, 그 업스트림의 HTTP keep-alive 타임아웃을 프록시의 유휴 타임아웃보다 크게 하거나 DestinationRule의 connectionPool.http.idleTimeout을 더 짧게 설정하세요.',
  'upstream-503.fact.keep-alive':
    '{workload}는 Envoy가 재사용을 멈추기 전에 유휴 keep-alive 연결을 닫습니다. HTTP keep-alive 타임아웃을 프록시의 유휴 타임아웃보다 크게 하거나(Node.js: server.keepAliveTimeout = 65000, server.headersTimeout = 66000), {host}에 대해 DestinationRule의 connectionPool.http.idleTimeout을 더 짧게 설정하세요.',
  'upstream-503.fact.logged-by': '503 UC는 {senders}에서 기록되었습니다.',
  'upstream-503.fact.logged-by-hbone':
    '503 UC는 HBONE 터널(ambient 모드)로 Pod에 도달하는 {senders}에서 기록되었습니다.',
  'istio-init.exit-code': '종료 코드 {code}',
  'istio-init.exit-code-reason': '종료 코드 {code}({reason})',
  'istio-init.restarts': '재시작 {count, plural, other {#}}회',
  'istio-init.evidence.failed': '{container} 실패: {status}',
  'istio-init.cause.pod-security':
    '네임스페이스 {namespace}가 NET_ADMIN/NET_RAW를 금지하는 Pod Security "{level}"을 적용합니다',
  'istio-init.cause.cni':
    'Istio CNI 플러그인이 Pod 네트워크를 설정하지 못했습니다(노드의 istio-cni-node가 준비되지 않았거나 설치가 불완전함)',
  'istio-init.cause.iptables':
    'istio-init가 iptables를 설정할 수 없습니다(CAP_NET_ADMIN/NET_RAW 누락 또는 제한적인 Pod 보안 정책)',
  'istio-init.cause.admission':
    '어드미션(Pod Security 또는 PodSecurityPolicy)이 istio-init에 필요한 NET_ADMIN/NET_RAW 기능을 거부하므로 Pod가 생성조차 되지 않습니다',
  'istio-init.cni-not-ready': 'DaemonSet {daemonset}의 준비된 Pod: {ready}/{desired}',
  'istio-init.fact.likely-cause': '가능한 원인: {cause}.',
  'apiserver.evidence.first': '첫 발생: ',
  'apiserver.evidence.errors': 'API 서버 오류: {seen}',
  'apiserver.fact.unreachable': '{istiod}가 API 서버에 연결할 수 없었습니다. {seen}.',
  'apiserver.fact.unreachable-at': '{istiod}가 {address}의 API 서버에 연결할 수 없었습니다. {seen}.',
  'apiserver.fact.unreachable-watching': '{istiod}가 {kinds}를 감시하는 동안 API 서버에 연결할 수 없었습니다. {seen}.',
  'apiserver.fact.unreachable-at-watching':
    '{istiod}가 {kinds}를 감시하는 동안 {address}의 API 서버에 연결할 수 없었습니다. {seen}.',
  'apiserver.fact.ca-secret':
    '같은 이유로 CA가 서명 시크릿({secret})을 읽거나 저장하지 못했습니다. 이것이 가능해질 때까지 istiod는 CA를 시작하지 않거나, 이전 루트로 서명된 워크로드가 신뢰하지 않는 새 자체 서명 루트로 시작합니다.',
  'xds-upstream.fact.check-service':
    '프록시는 {address}의 istiod에 연결하도록 설정되어 있습니다. 이 Service가 있는지 확인하세요.',
  'xds-upstream.fact.service-exists':
    'discoveryAddress {address}는 존재하는 Service를 가리킵니다. 그 뒤의 istiod가 준비되었는지, 포트 {port}에 연결할 수 있는지 확인하세요.',
  'xds-upstream.fact.service-missing':
    'discoveryAddress {address}는 존재하지 않는 Service를 가리킵니다. 설치된 리비전의 istiod Service를 가리키도록 바꾸세요.',
  'xds-upstream.evidence.failures': 'xDS 스트림 실패: {seen}',
  'stale-webhook.evidence.calls-missing': '더 이상 존재하지 않는 Service {services}를 호출합니다',
  'stale-webhook.fact.delete': '{object}가 더 이상 설치되어 있지 않은 리비전에 속한다면 삭제하세요({command}).',
  'language.zh-Hant': '이 보고서는 간체 중국어로 작성되었습니다. 번체 중국어는 아직 지원되지 않습니다.',
};
