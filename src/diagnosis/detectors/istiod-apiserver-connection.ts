import type { Detector, Draft, Phrase } from '../detector';
import type { LogLine } from '../evidence';
import { fromLog, fromObject } from '../evidence-items';
import type { Service } from '../kube-types';
import { caSecretName, isCitadelLine } from '../ca-secret';
import { isIstiodLine, istiodOf } from '../control-plane';
import { groupByWorkload, newestFirst, occurrencePhrase, spanMs } from '../log-groups';

export const APISERVER_DIAL = 'istiod-apiserver-dial-error';
export const CA_SECRET_UNREACHABLE = 'istiod-ca-secret-unreachable';

/** One or two old lines are a past blip (an API-server restart); more, or recent ones, are worth reporting. */
const PERSISTENT_LINES = 3;
const RECENT_MS = 15 * 60_000;

const DIAL = /dial tcp ((?:[0-9]{1,3}\.){3}[0-9]{1,3}|\[[0-9a-f:]+\]):([0-9]+)/i;
const WATCHED = /Failed to (?:watch|list) \*?([A-Za-z0-9_.]+)/;

/** istiod cannot reach the Kubernetes API server. */
export const detectIstiodApiserverConnection: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const istiod = (l: LogLine) => istiodOf(view, l, controlPlaneNamespaces);
  const apiserverIps = new Set(
    view
      .list<Service>('Service')
      .filter((s) => s.metadata?.name === 'kubernetes' && s.metadata?.namespace === 'default')
      .map((s) => s.spec?.clusterIP),
  );
  const lines = [...new Set([...view.logsWith(APISERVER_DIAL), ...view.logsWith(CA_SECRET_UNREACHABLE)])].filter(
    (l) => {
      if (!isIstiodLine(l) && !(l.signatures.includes(CA_SECRET_UNREACHABLE) && isCitadelLine(l))) return false;
      const m = DIAL.exec(l.text);
      if (!m) return /i\/o timeout|connection refused|TLS handshake timeout/.test(l.text);
      return m[2] === '443' || m[2] === '6443' || apiserverIps.has(m[1]);
    },
  );
  if (lines.length === 0) return { drafts: [], detail: 'no API-server connection errors in istiod logs' };
  const groups = groupByWorkload(view, lines, istiod).filter(({ lines: group }) => {
    const last = Math.max(...group.map((l) => l.ms ?? 0));
    return group.length >= PERSISTENT_LINES || (nowMs !== null && nowMs - last <= RECENT_MS);
  });
  if (groups.length === 0) {
    return { drafts: [], detail: `${lines.length} old, isolated API-server error line(s) in istiod logs (recovered)` };
  }
  const drafts: Draft[] = groups.map(({ ref, lines: group }) => {
    const address = DIAL.exec(group[0]?.text ?? '');
    const kinds = [...new Set(group.map((l) => WATCHED.exec(l.text)?.[1]).filter((k): k is string => !!k))];
    const recent = newestFirst(group);
    const ca = group.find((l) => l.signatures.includes(CA_SECRET_UNREACHABLE));
    const shown = [group[0] ?? recent[0]!, ...recent.slice(0, 2)];
    const seen = occurrencePhrase(group, nowMs);
    const evidence = [
      ...(ca && !shown.includes(ca) ? [fromLog(ca, 'CA: ')] : []),
      fromLog(shown[0]!, (t) => t('apiserver.evidence.first')),
      ...shown.slice(1).map((l) => fromLog(l)),
    ];
    evidence.push(fromObject(ref, (t) => t('apiserver.evidence.errors', { seen: seen(t) })));
    const persistent = group.length >= 3 && spanMs(group) >= 60_000;
    return {
      resources: [ref],
      evidence,
      confidence: 0.65 + (persistent ? 0.15 : 0) + (address ? 0.1 : 0),
      facts: [
        (t) => {
          const values = {
            istiod: ref.name,
            address: address ? `${address[1]}:${address[2]}` : '',
            kinds: kinds.slice(0, 5).join(', '),
          };
          const key = address
            ? kinds.length
              ? 'apiserver.fact.unreachable-at-watching'
              : 'apiserver.fact.unreachable-at'
            : kinds.length
              ? 'apiserver.fact.unreachable-watching'
              : 'apiserver.fact.unreachable';
          return t(key, { ...values, seen: seen(t) });
        },
        ...(ca ? [((t) => t('apiserver.fact.ca-secret', { secret: caSecretName(ca.text) })) as Phrase] : []),
      ],
    };
  });
  return { drafts, detail: `${lines.length} API-server connection error line(s) from istiod` };
};
