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
    '수정 ({steps, plural, other {#단계, 순서대로 적용}}. Slack에서 승인되면 mesh-doctor가 적용하며, 직접 실행할 수도 있습니다):',
  'severity.critical': '심각',
  'severity.warning': '경고',
  'severity.info': '정보',
  'checks.counts': '검사: {counts}',
  'checks.none': '검사: 실행된 검사 없음',
  'checks.absent-kinds': '설치되지 않음(CRD 없음), 읽을 대상 없음: {kinds}',
  'checks.nothing-to-look-at':
    '검사 {count, plural, other {#}}개는 살펴볼 대상이 없었습니다(읽는 대상이 캡처되지 않았거나 설치되지 않음): {ids}',
  'language.zh-Hant': '이 보고서는 간체 중국어로 작성되었습니다. 번체 중국어는 아직 지원되지 않습니다.',
};
