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
  // Language notes.
  'language.zh-Hant': 'This report is in Simplified Chinese: Traditional Chinese is not available yet.',
} as const;

export type MessageKey = keyof typeof en;
/** A language's messages: every key of English. */
export type Messages = Record<MessageKey, string>;
