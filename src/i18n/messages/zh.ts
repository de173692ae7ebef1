import type { Messages } from './en';

/** Simplified Chinese (no plural forms: every count uses `other`). */
export const zh: Messages = {
  'target.all-namespaces': '所有命名空间',
  'target.in-cluster': '{cluster} 中的 {target}',
  'target.namespace': '命名空间 {namespace}',
  'target.workload': '工作负载 {workload}',
  'target.with-cluster': '{target}，集群 {cluster}',
  'verdict.problems': '{target} 中有 {count, plural, other {#}} 个问题',
  'verdict.clear': '{target} 中未发现问题',
  'verdict.unread': '无法读取集群：{count, plural, other {#}} 项检查失败（{failures}）',
  'verdict.partial': '在 {target} 可读取的部分中未发现问题；{count, plural, other {#}} 项检查无法运行',
  'verdict.more-failures': '{names} 等，另有 {more} 项',
  'text.headline': 'mesh-doctor：{verdict}',
  'text.headline.problems': 'mesh-doctor：发现 {count, plural, other {#}} 个问题（{target}）',
  'text.headline.problems-and-failures':
    'mesh-doctor：发现 {count, plural, other {#}} 个问题（{target}）；{failed, plural, other {#}} 项检查无法运行，见下文',
  'text.state-when-read': '（读取时的状态）',
  'text.finding.runbook': '运行手册 {runbook}，置信度 {confidence}',
  'text.finding.resources': '资源：{resources}',
  'text.finding.evidence': '证据：',
  'text.finding.steps': '处理步骤：',
  'text.finding.fix':
    '修复（{steps, plural, other {共 # 步，按顺序应用}}；在 Slack 中获批后由 mesh-doctor 应用，也可以手动运行）：',
  'severity.critical': '严重',
  'severity.warning': '警告',
  'severity.info': '信息',
  'checks.counts': '检查：{counts}',
  'checks.none': '检查：未运行任何检查',
  'checks.absent-kinds': '未安装（无 CRD），无可读取内容：{kinds}',
  'checks.nothing-to-look-at':
    '{count, plural, other {#}} 项检查没有可检查的内容（其读取的对象未被采集或未安装）：{ids}',
  'language.zh-Hant': '本报告使用简体中文：暂不提供繁体中文。',
};
