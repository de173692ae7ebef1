import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { startFakeKubeApi } from '../fakes/kube-api';
import { runCli } from '../helpers/run-cli';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

/** What the ambient checks read, besides the ambient-hbone-blocked example (ztunnel log, NetworkPolicy, DaemonSet). */
const EXTRA: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'gke-shelf-pool-a-1' },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'shop-waypoint', namespace: 'shop' },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    status: { conditions: [{ type: 'Programmed', status: 'False', reason: 'AddressNotAssigned' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'orders', namespace: 'shop', labels: { 'istio.io/use-waypoint': 'shop-waypoint' } },
    spec: { clusterIP: '10.96.7.7', ports: [{ port: 80 }] },
    status: { conditions: [{ type: 'istio.io/WaypointBound', status: 'False', reason: 'WaypointIsNotReady' }] },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'orders-get-only', namespace: 'shop' },
    spec: { rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
    status: { conditions: [{ type: 'ZtunnelAccepted', status: 'False', reason: 'UnsupportedValue' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'istio-node-critical', namespace: 'istio-system' },
    spec: {
      scopeSelector: {
        matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }],
      },
    },
  },
];

describe('capture of an ambient cluster', () => {
  it('keeps the ztunnel log, Gateway API Gateways and Services with their status, AuthorizationPolicy status, NetworkPolicies, DaemonSets, ResourceQuotas and Nodes', async () => {
    const kube = await startFakeKubeApi({
      snapshotDir: join(__dirname, '..', '..', 'examples', 'ambient-hbone-blocked'),
      objects: EXTRA,
    });
    const dirs = [tmpSnapshot({}), tmpSnapshot({})];
    try {
      const output = join(dirs[0]!.dir, 'snap');

      const result = await runCli(['capture', '--output', output, '--since', '3650d'], {
        KUBECONFIG: kube.writeKubeconfig(dirs[1]!.dir),
      });

      expect(result.code).toBe(0);
      const files = readdirSync(output);
      const items = (file: string) =>
        (JSON.parse(readFileSync(join(output, file), 'utf8')) as { items: KubeObject[] }).items;
      const named = (file: string, name: string) => items(file).find((o) => o.metadata?.name === name);
      expect(files).toContain('istio-system_ztunnel-q8n4c_istio-proxy.log');
      expect(named('gateway.gateway.networking.k8s.io.json', 'shop-waypoint')?.status).toEqual(EXTRA[1]?.status);
      expect(named('service.json', 'orders')?.status).toEqual(EXTRA[2]?.status);
      expect(named('authorizationpolicy.security.istio.io.json', 'orders-get-only')?.status).toEqual(EXTRA[3]?.status);
      expect(named('resourcequota.json', 'istio-node-critical')?.spec).toEqual(EXTRA[4]?.spec);
      expect(named('node.json', 'gke-shelf-pool-a-1')?.status).toMatchObject({ conditions: [{ type: 'Ready' }] });
      expect(items('networkpolicy.networking.k8s.io.json').length).toBeGreaterThan(0);
      expect(items('daemonset.apps.json').some((d) => d.metadata?.name === 'ztunnel')).toBe(true);
    } finally {
      await kube.close();
      for (const d of dirs) d.cleanup();
    }
  });
});
