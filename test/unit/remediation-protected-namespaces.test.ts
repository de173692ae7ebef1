import { join } from 'node:path';
import type { PatchProposal } from '../../src/diagnosis/evidence';
import type { ProtectedNamespaces } from '../../src/remediation/protected-namespaces';
import { protectedNamespaceReason } from '../../src/remediation/protected-namespaces';
import { diagnoseDir } from '../helpers/diagnose-dir';

const NAMESPACES: ProtectedNamespaces = {
  deny: ['kube-system', 'kube-public', 'kube-node-lease'],
  controlPlane: ['istio-system'],
};

const annotate = (
  kind: string,
  namespace: string,
  name: string,
  annotations: Record<string, string>,
): PatchProposal => ({
  target: { apiVersion: 'apps/v1', kind, namespace, name },
  type: 'merge',
  patch: { spec: { template: { metadata: { annotations } } } },
});
const RESTART = { 'kubectl.kubernetes.io/restartedAt': '2024-05-14T10:00:00Z' };
const label = (name: string): PatchProposal => ({
  target: { apiVersion: 'v1', kind: 'Namespace', namespace: null, name },
  type: 'merge',
  patch: { metadata: { labels: { 'istio-injection': 'enabled' } } },
});

async function patchesOf(example: string): Promise<PatchProposal[]> {
  const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', example));
  return report.findings.flatMap((f) => f.remediation.patches);
}

describe('protectedNamespaceReason', () => {
  it('refuses anything in a denied namespace, a Namespace object counting as its own', () => {
    expect(protectedNamespaceReason(annotate('Deployment', 'kube-system', 'coredns', RESTART), NAMESPACES)).toBe(
      'namespace kube-system is on the deny list (MESH_PATCH_DENY_NAMESPACES): no patch may change it; nothing was applied.',
    );
    expect(protectedNamespaceReason(label('kube-public'), NAMESPACES)).toMatch(
      /^namespace kube-public is on the deny list/,
    );
  });

  it('lets only a rollout restart of istiod into a control-plane namespace', () => {
    expect(protectedNamespaceReason(annotate('Deployment', 'istio-system', 'istiod', RESTART), NAMESPACES)).toBeNull();
    expect(
      protectedNamespaceReason(annotate('Deployment', 'istio-system', 'istiod-1-22', RESTART), NAMESPACES),
    ).toBeNull();
    const refused = [
      annotate('Deployment', 'istio-system', 'istio-ingressgateway', RESTART),
      annotate('Deployment', 'istio-system', 'istiod', { 'proxy.istio.io/config': '{}' }),
      annotate('Deployment', 'istio-system', 'istiod', { ...RESTART, 'sidecar.istio.io/inject': 'true' }),
      annotate('DaemonSet', 'istio-system', 'istiod', RESTART),
      label('istio-system'),
    ];
    for (const p of refused) {
      expect(protectedNamespaceReason(p, NAMESPACES)).toBe(
        'namespace istio-system holds the Istio control plane: only a rollout restart of istiod may change it; nothing was applied.',
      );
    }
  });

  it('the deny list wins over the istiod exception', () => {
    const both = { deny: ['istio-system'], controlPlane: ['istio-system'] };
    expect(protectedNamespaceReason(annotate('Deployment', 'istio-system', 'istiod', RESTART), both)).toMatch(
      /deny list/,
    );
  });

  it('lets application namespaces through', () => {
    expect(protectedNamespaceReason(annotate('Deployment', 'shop', 'cart', RESTART), NAMESPACES)).toBeNull();
    expect(protectedNamespaceReason(label('shop'), NAMESPACES)).toBeNull();
  });

  it.each([
    'injector-cabundle-missing',
    'proxy-startup-econnrefused',
    'sidecar-not-injected',
    'upstream-reset-503',
    'vault-injection-race',
  ])('keeps the patches the catalog proposes for examples/%s allowed', async (example) => {
    const patches = await patchesOf(example);
    expect(patches.length).toBeGreaterThan(0);
    for (const p of patches) expect(protectedNamespaceReason(p, NAMESPACES)).toBeNull();
  });

  it('the control-plane patch the catalog proposes is the istiod restart', async () => {
    const [restart] = await patchesOf('injector-cabundle-missing');
    expect(restart?.target).toMatchObject({ kind: 'Deployment', namespace: 'istio-system', name: 'istiod' });
  });
});
