import type { Detector, Draft } from '../detector';
import type { LogLine } from '../evidence';
import { fromLog, fromObject } from '../evidence-items';
import { isCitadelLine } from '../ca-secret';
import { isIstiodLine, istiodOf } from '../control-plane';
import { groupByWorkload, newestFirst, occurrenceText } from '../log-groups';

export const FORBIDDEN = 'istiod-forbidden';
export const CA_SECRET_FORBIDDEN = 'istiod-ca-secret-forbidden';

const DENIAL =
  /User "([^"]+)" cannot ([a-z]+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?/;

/** Missing permission as `verb resource.group (scope)`. */
function permission(text: string): { user: string; text: string } | null {
  const m = DENIAL.exec(text);
  if (!m) return null;
  const group = m[4] ? `.${m[4]}` : '';
  const scope = m[5] ? ` in namespace ${m[5]}` : ' cluster-wide';
  return { user: m[1] ?? '', text: `${m[2]} ${m[3]}${group}${scope}` };
}

/** istiod's service account may not read the resources it needs. */
export const detectIstiodRbacForbidden: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const istiod = (l: LogLine) => istiodOf(view, l, controlPlaneNamespaces);
  const lines = [...new Set([...view.logsWith(FORBIDDEN), ...view.logsWith(CA_SECRET_FORBIDDEN)])]
    .filter((l) => isIstiodLine(l) || (l.signatures.includes(CA_SECRET_FORBIDDEN) && isCitadelLine(l)))
    .sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  if (lines.length === 0) return { drafts: [], detail: 'no RBAC denials in istiod logs' };
  const drafts: Draft[] = groupByWorkload(view, lines, istiod).map(({ ref, lines: group }) => {
    const denied = [
      ...new Map(
        group
          .map((l) => permission(l.text))
          .filter((p) => p !== null)
          .map((p) => [p.text, p]),
      ).values(),
    ];
    const byPermission = denied
      .map((p) => group.find((l) => permission(l.text)?.text === p.text))
      .filter((l) => l !== undefined);
    const evidence = [
      ...byPermission.slice(0, 3).map((l) => fromLog(l)),
      ...newestFirst(group)
        .slice(0, 1)
        .map((l) => fromLog(l, 'latest: ')),
    ];
    evidence.push(fromObject(ref, `RBAC denials ${occurrenceText(group, nowMs)}`));
    const user = denied[0]?.user;
    const ca = group.some((l) => l.signatures.includes(CA_SECRET_FORBIDDEN));
    return {
      resources: [ref],
      evidence,
      confidence: 0.75 + (denied.length > 0 ? 0.15 : 0),
      facts: [
        ...(denied.length
          ? [
              `${user} is missing: ${denied.map((p) => p.text).join('; ')}. Restore the istiod ${
                denied.every((p) => p.text.includes(' in namespace '))
                  ? 'Role/RoleBinding'
                  : 'ClusterRole/ClusterRoleBinding'
              } (re-run the installer for this revision) so it grants these verbs.`,
            ]
          : []),
        ...(ca
          ? [
              `The CA may not read or write its signing secret (istio-ca-secret, or cacerts) in ${ref.namespace ?? 'its namespace'}: restore the Role of ${ref.name} in that namespace (get, watch, list, create and update on secrets); until then the CA does not start, or starts with a new self-signed root at every restart that workloads signed by the old one do not trust.`,
            ]
          : []),
      ],
    };
  });
  return { drafts, detail: `${lines.length} forbidden line(s) from istiod` };
};
