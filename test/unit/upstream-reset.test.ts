import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web-ui', namespace: 'portal' },
  spec: { selector: { app: 'web-ui' } },
};
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web-ui-v2', namespace: 'portal' },
  spec: { template: { metadata: { labels: { app: 'web-ui', version: 'v2' } } } },
};

function access(code: string, details = '-'): Record<string, unknown> {
  return logEntry(
    '2024-05-14T10:00:00Z',
    'istio-system',
    'istio-ingressgateway-5b7f8c9d6f-abcde',
    'istio-proxy',
    `[2024-05-14T10:00:00.000Z] "POST /login HTTP/1.1" ${code} ${details} - "-" 120 95 2 - "10.1.1.1" "Mozilla/5.0" "req-1" "portal.example.com" "10.8.0.4:3000" outbound|3000||web-ui.portal.svc.cluster.local 10.8.0.9:40000 10.8.0.9:8443 10.1.1.1:5555 portal.example.com -`,
  );
}

describe('upstream-reset-503', () => {
  it('names the upstream workload behind the Service for 503 UC connection terminations', () => {
    const report = diagnoseObjects(
      [service, deployment],
      [
        access('503 UC', 'upstream_reset_before_response_started{connection_termination}'),
        access('200 -', 'via_upstream'),
      ],
    );

    const finding = report.findings.find((f) => f.runbook === 'upstream-reset-503');
    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'portal', name: 'web-ui-v2' },
      { kind: 'Service', namespace: 'portal', name: 'web-ui' },
    ]);
    expect(finding?.remediation.patches[0]).toMatchObject({
      target: { kind: 'VirtualService', namespace: 'portal' },
      patch: {
        spec: {
          hosts: ['web-ui.portal.svc.cluster.local'],
          http: [
            { retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,connect-failure,refused-stream' } },
          ],
        },
      },
    });
  });

  it.each([
    ['503 UH', 'no_healthy_upstream'],
    ['503 UF,URX', 'upstream_reset_before_response_started{connection_failure}'],
    ['503 NR', 'route_not_found'],
  ])('does not fire for %s', (code, details) => {
    const report = diagnoseObjects([service, deployment], [access(code, details)]);

    expect(report.findings.map((f) => f.runbook)).not.toContain('upstream-reset-503');
  });
});
