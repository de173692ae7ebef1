import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'ztunnel-policy-denied';
const ZTUNNEL = 'ztunnel-6vb2n';
const DEST = 'payments-5f6d7c8b9d-k8l9m';

function pod(name: string, ns: string, ip: string, labels: Record<string, string>, sa: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, annotations: { 'ambient.istio.io/redirection': 'enabled' } },
    spec: { containers: [{ name: 'app' }], nodeName: 'node-b', serviceAccountName: sa },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const payments = pod(DEST, 'shop', '10.60.2.14', { app: 'payments' }, 'payments');
const checkout = pod('checkout-7c9d8f6b5d-q2w4x', 'shop', '10.60.1.5', { app: 'checkout' }, 'checkout');

function policy(name: string, spec: Record<string, unknown>, ns = 'shop'): KubeObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: ns }, spec };
}

const allowCart = policy('payments-allow', {
  selector: { matchLabels: { app: 'payments' } },
  rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/cart'] } }] }],
});

function closed(
  error: string,
  src = 'src.identity="spiffe://cluster.local/ns/shop/sa/checkout" ',
  dst = `dst.workload="${DEST}" dst.namespace="shop" `,
): Record<string, unknown> {
  return logEntry(
    '2026-11-18T10:21:44.902Z',
    'istio-system',
    ZTUNNEL,
    'istio-proxy',
    `2026-11-18T10:21:44.902117Z\terror\taccess\tconnection complete\tsrc.addr=10.60.1.5:40122 ${src}dst.addr=10.60.2.14:15008 dst.hbone_addr=10.60.2.14:8080 ${dst}direction="inbound" bytes_sent=0 bytes_recv=0 duration="0ms" error="${error}"`,
  );
}

const NOT_ALLOWED = 'connection closed due to policy rejection: allow policies exist, but none allowed';

const found = (objects: KubeObject[], entries: Record<string, unknown>[]) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);

const text = (objects: KubeObject[], entries: Record<string, unknown>[]) =>
  found(objects, entries)[0]?.remediation.steps.join('\n') ?? '';

describe('ztunnel-policy-denied', () => {
  it('names the destination, the ALLOW policy none of whose rules matched, and the source with its principal', () => {
    const findings = found([payments, checkout, allowCart], [closed(NOT_ALLOWED), closed(NOT_ALLOWED)]);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.resources).toEqual([
      { kind: 'Pod', namespace: 'shop', name: DEST },
      { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'payments-allow' },
      { kind: 'Pod', namespace: 'shop', name: 'checkout-7c9d8f6b5d-q2w4x' },
    ]);
    const steps = findings[0]?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain('seen 2 time(s)');
    expect(steps).toContain('AuthorizationPolicy shop/payments-allow (ALLOW, selector app=payments)');
    expect(steps).toContain('allows principals cluster.local/ns/shop/sa/cart');
    expect(steps).toContain('If cluster.local/ns/shop/sa/checkout should reach Pod shop/' + DEST);
  });

  it('reports a match of an explicit DENY policy as info, saying it may be intended', () => {
    const deny = policy('deny-checkout', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] });
    const findings = found(
      [payments, checkout, deny],
      [closed('connection closed due to policy rejection: explicitly denied by: shop/deny-checkout')],
    );

    expect(findings[0]?.severity).toBe('info');
    expect(findings[0]?.resources).toContainEqual({
      kind: 'AuthorizationPolicy',
      namespace: 'shop',
      name: 'deny-checkout',
    });
    expect(findings[0]?.remediation.steps.join('\n')).toContain('may be intended');
  });

  it('names the STRICT PeerAuthentication behind the derived DENY rule for plaintext callers', () => {
    const strict: KubeObject = {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    };
    const findings = found(
      [payments, strict],
      [
        closed(
          'connection closed due to policy rejection: explicitly denied by: istio-system/istio_converted_static_strict',
          '',
        ),
      ],
    );

    expect(findings[0]?.severity).toBe('warning');
    expect(findings[0]?.resources).toContainEqual({
      kind: 'PeerAuthentication',
      namespace: 'istio-system',
      name: 'default',
    });
    const steps = findings[0]?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain(
      'DENY rule istiod derives from STRICT mutual TLS (PeerAuthentication istio-system/default, mesh-wide)',
    );
    expect(steps).toContain('(no mesh identity)');
  });

  it("explains a waypoint's identity, callers without identity and HTTP rules ztunnel drops, and leaves refusals by HTTP-only ALLOW policies to the L7 runbook", () => {
    const waypoint: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop' },
      spec: { gatewayClassName: 'istio-waypoint' },
    };
    const httpAllow = policy('payments-allow', {
      selector: { matchLabels: { app: 'payments' } },
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkout'] } }],
          to: [{ operation: { methods: ['POST'] } }],
        },
      ],
    });
    const lines = [
      closed(NOT_ALLOWED, 'src.identity="spiffe://cluster.local/ns/shop/sa/waypoint" '),
      closed(NOT_ALLOWED, 'src.workload="legacy-batch" src.namespace="ops" '),
    ];
    const l4Allow = policy('payments-allow-cart', {
      selector: { matchLabels: { app: 'payments' } },
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/cart'] } }] }],
    });
    const steps = text([payments, waypoint, httpAllow, l4Allow], lines);
    const onlyHttp = diagnoseObjects([payments, waypoint, httpAllow], lines);

    expect(steps).toContain('The source identity is that of waypoint shop/waypoint');
    expect(steps).toContain('Some sources had no mesh identity');
    expect(steps).toContain('use HTTP attributes');
    // With every ALLOW policy reduced by ztunnel, the refusals are ambient-l7-config-without-waypoint's.
    expect(onlyHttp.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(onlyHttp.checks.find((c) => c.id === ID)?.detail).toContain(
      '2 refused because ztunnel dropped the HTTP rules of every ALLOW policy, left to ambient-l7-config-without-waypoint',
    );
  });

  it('finds the destination pod by address, lists namespace-wide and waypoint policies, and reads a policy change', () => {
    const nsWide = policy('shop-allow-same-ns', { rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] });
    const atWaypoint = policy('payments-l7', {
      targetRefs: [{ kind: 'Service', group: '', name: 'payments' }],
      rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
    });
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'payments', namespace: 'shop' },
      spec: { clusterIP: '10.96.4.4', selector: { app: 'payments' }, ports: [{ port: 8080 }] },
    };
    const findings = found(
      [payments, checkout, nsWide, atWaypoint, svc],
      [closed('connection closed due to policy change', undefined, '')],
    );

    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.resources[0]).toEqual({ kind: 'Pod', namespace: 'shop', name: DEST });
    const steps = findings[0]?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain('closed when a policy change no longer allowed them');
    expect(steps).toContain('AuthorizationPolicy shop/shop-allow-same-ns (ALLOW, namespace-wide)');
    expect(steps).toContain('targetRefs Service/payments, enforced by the waypoint, not by ztunnel');
  });

  it('leaves out rejections that are not policy decisions and lines of other containers', () => {
    const report = diagnoseObjects(
      [payments, checkout, allowCart],
      [
        closed('connection closed due to policy rejection: workload not found'),
        logEntry(
          '2026-11-18T10:21:44.902Z',
          'shop',
          'checkout-7c9d8f6b5d-q2w4x',
          'app',
          `error access connection complete error="${NOT_ALLOWED}"`,
        ),
      ],
    );

    expect(report.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(report.checks.find((c) => c.id === ID)?.detail).toContain('1 refused for an unknown or mismatched workload');
  });

  it('is skipped without logs', () => {
    expect(diagnoseObjects([payments]).checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
