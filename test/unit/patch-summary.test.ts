import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PatchProposal } from '../../src/diagnosis/evidence';
import { kubectlPatchCommand, patchSummary } from '../../src/report/patch-summary';
import { diagnoseDir } from '../helpers/diagnose-dir';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' };

/** The JSON of a `-p '…'` argument, un-quoted as a POSIX shell would. */
function patchArgument(command: string): unknown {
  const m = /-p '((?:[^']|'\\'')*)'$/.exec(command);
  if (!m?.[1]) throw new Error(`no -p argument in ${command}`);
  return JSON.parse(m[1].replace(/'\\''/g, "'"));
}

describe('patch summaries', () => {
  it('says what a JSON-valued annotation gets, and what it keeps from the object as read', () => {
    const p: PatchProposal = {
      target: deployment,
      type: 'merge',
      patch: {
        spec: {
          template: {
            metadata: {
              annotations: {
                'proxy.istio.io/config': '{"terminationDrainDuration":"20s","holdApplicationUntilProxyStarts":true}',
              },
            },
          },
        },
      },
    };
    const current = {
      spec: {
        template: { metadata: { annotations: { 'proxy.istio.io/config': '{"terminationDrainDuration":"20s"}' } } },
      },
    };
    expect(patchSummary(p, current)).toBe(
      'set pod template annotation proxy.istio.io/config: holdApplicationUntilProxyStarts=true on Deployment shop/cart, keeping terminationDrainDuration',
    );
    expect(patchSummary(p)).toBe(
      'set pod template annotation proxy.istio.io/config: terminationDrainDuration=20s, holdApplicationUntilProxyStarts=true on Deployment shop/cart',
    );
  });

  it('names restarts, labels, moves, ports and creates as people say them', () => {
    const restart: PatchProposal = {
      target: deployment,
      type: 'merge',
      patch: {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' } } },
        },
      },
    };
    expect(patchSummary(restart)).toBe('restart the pods (rollout restart) of Deployment shop/cart');
    expect(kubectlPatchCommand(restart)).toBe('kubectl -n shop rollout restart deployment/cart');

    const label: PatchProposal = {
      target: { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: 'billing' },
      type: 'merge',
      patch: { metadata: { labels: { 'istio-injection': null, 'istio.io/rev': 'asm-1233-2' } } },
    };
    expect(patchSummary(label, { metadata: { labels: { 'istio-injection': 'enabled' } } })).toBe(
      'remove label istio-injection on Namespace billing, set label istio.io/rev=asm-1233-2',
    );
    expect(kubectlPatchCommand(label)).toMatch(/^kubectl patch namespace billing --type merge -p '/);

    const move: PatchProposal = {
      target: deployment,
      type: 'merge',
      patch: {
        metadata: { annotations: { 'sidecar.istio.io/inject': null } },
        spec: { template: { metadata: { annotations: { 'sidecar.istio.io/inject': 'false' } } } },
      },
    };
    expect(patchSummary(move)).toBe(
      'move annotation sidecar.istio.io/inject into the pod template on Deployment shop/cart',
    );

    const hbone: PatchProposal = {
      target: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'payments', name: 'pg-ingress' },
      type: 'json',
      patch: [
        { op: 'test', path: '/spec/ingress/0/ports', value: [{ port: 8080 }] },
        { op: 'add', path: '/spec/ingress/0/ports/-', value: { protocol: 'TCP', port: 15008 } },
      ],
    };
    expect(patchSummary(hbone)).toBe('add TCP 15008 to spec.ingress[0].ports on NetworkPolicy payments/pg-ingress');
    expect(kubectlPatchCommand(hbone)).toMatch(/^kubectl -n payments patch networkpolicy pg-ingress --type json -p '/);

    const vs: PatchProposal = {
      target: { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', namespace: 'shop', name: 'cart' },
      type: 'merge',
      patch: {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name: 'cart', namespace: 'shop' },
        spec: {},
      },
    };
    expect(patchSummary(vs)).toBe('create VirtualService shop/cart');
    expect(kubectlPatchCommand(vs)).toMatch(/^kubectl -n shop apply -f - <<'EOF'\n\{/);
    const retries: PatchProposal = {
      ...vs,
      type: 'json',
      patch: [{ op: 'add', path: '/spec/http/0/retries', value: { attempts: 3 } }],
    };
    expect(kubectlPatchCommand(retries)).toMatch(
      /^kubectl -n shop patch virtualservices\.networking\.istio\.io cart --type json/,
    );
  });

  it('says what a replaced value was, and counts what it does not name', () => {
    const p: PatchProposal = {
      target: deployment,
      type: 'merge',
      patch: { spec: { replicas: 3, paused: false, minReadySeconds: 5, revisionHistoryLimit: 2 } },
    };
    expect(patchSummary(p, { spec: { replicas: 1 } })).toBe(
      'set spec.replicas=3 (was 1) on Deployment shop/cart, set spec.paused=false; set spec.minReadySeconds=5 (+1 more)',
    );
  });

  it('quotes a value with a single quote so the shell gets the exact patch', () => {
    const p: PatchProposal = {
      target: deployment,
      type: 'merge',
      patch: { metadata: { annotations: { note: "it's" } } },
    };
    expect(patchArgument(kubectlPatchCommand(p))).toEqual(p.patch);
  });

  it('every patch of every example: one line, names its target, and its command carries the exact patch', async () => {
    let seen = 0;
    for (const example of readdirSync(EXAMPLES)) {
      const report = await diagnoseDir(join(EXAMPLES, example));
      for (const p of report.findings.flatMap((f) => f.remediation.patches)) {
        seen++;
        const summary = patchSummary(p);
        expect(summary).not.toMatch(/\n|undefined|\[object Object\]/);
        expect(summary.length).toBeLessThanOrEqual(300);
        expect(summary).toContain(
          `${p.target.kind} ${p.target.namespace ? `${p.target.namespace}/` : ''}${p.target.name}`,
        );
        const command = kubectlPatchCommand(p);
        if (command.includes(' patch ')) expect(patchArgument(command)).toEqual(p.patch);
        else expect(command).toMatch(/rollout restart|apply -f -/);
      }
    }
    expect(seen).toBeGreaterThan(10);
  });
});
