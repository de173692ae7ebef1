import { annotationListAppend } from '../patch-templates';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, LogLine, ObjectRef } from '../evidence';
import { fromLog, fromObject, refText } from '../evidence-items';
import { byWorkloadWithNotes } from '../log-groups';
import type { ContainerSpec, ContainerStatus, Pod, Service, Workload } from '../kube-types';
import { annotations, containerStatus, SIDECAR } from '../pod-facts';
import { nativeSidecarsOffFact } from '../native-sidecars';

export const VAULT_ERROR = 'vault-agent-auth-error';
const EXCLUDE = 'traffic.sidecar.istio.io/excludeOutboundIPRanges';

const MESH_INIT = new Set(['istio-init', 'istio-validation']);
const IP_PORT = /dial tcp ((?:[0-9]{1,3}\.){3}[0-9]{1,3}):([0-9]+)/;
const URL_HOST = /https?:\/\/([a-z0-9.-]+)(?::([0-9]+))?/i;

function isVaultContainer(c: ContainerSpec): boolean {
  return /vault/i.test(c.name ?? '') || /vault/i.test(c.image ?? '');
}

function completed(status: ContainerStatus | undefined): boolean {
  return status?.state?.terminated?.exitCode === 0;
}

/** Where the Vault agent tries to go: an IP from its errors, or a Service resolved from its address. */
function vaultAddress(
  view: ClusterView,
  pod: Pod,
  vault: ContainerSpec,
  logs: LogLine[],
): { ip: string; how: string } | null {
  for (const line of logs) {
    const m = IP_PORT.exec(line.text);
    if (m?.[1]) return { ip: m[1], how: `from the Vault agent's error (${m[1]}:${m[2]})` };
  }
  const namespace = pod.metadata?.namespace ?? null;
  const candidates = [
    ...logs.map((l) => URL_HOST.exec(l.text)?.[1]),
    vault.env?.find((e) => e.name === 'VAULT_ADDR')?.value,
    annotations(pod)['vault.hashicorp.com/service'],
  ];
  for (const candidate of candidates) {
    const host = candidate ? (URL_HOST.exec(candidate)?.[1] ?? candidate) : undefined;
    if (!host) continue;
    const [name, ns] = host.split('.');
    const svc = name ? view.get<Service>('Service', ns ?? namespace, name) : undefined;
    const ip = svc?.spec?.clusterIP;
    if (ip && ip !== 'None') return { ip, how: `ClusterIP of Service ${ns ?? namespace}/${name}` };
  }
  const svc = view
    .list<Service>('Service')
    .find((s) => /^vault(-active)?$/.test(s.metadata?.name ?? '') && s.spec?.clusterIP);
  const ip = svc?.spec?.clusterIP;
  return ip && ip !== 'None'
    ? { ip, how: `ClusterIP of Service ${svc?.metadata?.namespace}/${svc?.metadata?.name}` }
    : null;
}

interface Stuck {
  pod: Pod;
  ref: ObjectRef;
  vault: ContainerSpec;
  meshInit: string;
  logs: LogLine[];
}

function stuckPod(view: ClusterView, pod: Pod): Stuck | string | null {
  const inits = pod.spec?.initContainers ?? [];
  const meshIndex = inits.findIndex((c) => MESH_INIT.has(c.name ?? ''));
  const vaultIndex = inits.findIndex(isVaultContainer);
  if (meshIndex < 0 || vaultIndex < 0) return null;
  const vault = inits[vaultIndex] as ContainerSpec;
  const meshInit = inits[meshIndex]?.name ?? 'istio-init';
  const podName = pod.metadata?.name ?? '';
  const vaultStatus = containerStatus(pod, vault.name ?? '');
  if (completed(vaultStatus) || pod.status?.phase === 'Running' || pod.status?.phase === 'Succeeded') return null;
  const proxyIndex = inits.findIndex((c) => c.name === SIDECAR && c.restartPolicy === 'Always');
  if (proxyIndex >= 0 && proxyIndex < vaultIndex) {
    return `${podName}: istio-proxy is a native sidecar that starts (and becomes ready) before ${vault.name}`;
  }
  const cni = meshInit === 'istio-validation';
  if (!cni && meshIndex > vaultIndex) return `${podName}: ${vault.name} runs before ${meshInit}`;
  const logs = view
    .logsOfPod(pod.metadata?.namespace ?? null, podName)
    .filter((l) => l.signatures.includes(VAULT_ERROR) && (l.container === null || l.container === vault.name));
  return { pod, ref: view.workloadOfPod(pod), vault, meshInit, logs };
}

/** Pods stuck in Init because istio's iptables redirect is in place before the Vault agent runs. */
export const detectVaultInjectionRace: Detector = ({ view, entry }) => {
  if (!view.captured('Pod')) return { drafts: [], skipped: 'no pods captured', detail: '' };
  const { groups, notes } = byWorkloadWithNotes(view.pods().map((pod) => stuckPod(view, pod)));
  const drafts: Draft[] = [];
  for (const group of groups) {
    const lead = group.find((s) => s.logs.length > 0) ?? (group[0] as Stuck);
    const { pod, ref, vault, meshInit, logs } = lead;
    const podRef: ObjectRef = {
      kind: 'Pod',
      namespace: pod.metadata?.namespace ?? null,
      name: pod.metadata?.name ?? '',
    };
    const order = (pod.spec?.initContainers ?? []).map((c) => c.name).join(', ');
    const vaultState = containerStatus(pod, vault.name ?? '');
    const waiting = vaultState?.state?.waiting?.reason ?? (vaultState?.state?.running ? 'running' : 'not started');
    const evidence: EvidenceItem[] = [
      fromObject(
        podRef,
        `stuck in Init (phase ${pod.status?.phase ?? '?'}); init order: ${order}; ${vault.name} is ${waiting}, restarts ${vaultState?.restartCount ?? 0}`,
      ),
    ];
    if (logs[0]) evidence.push(fromLog(logs[0], 'Vault agent cannot reach Vault: '));
    if (completed(containerStatus(pod, meshInit))) {
      evidence.push(
        fromObject(
          podRef,
          `${meshInit} completed: outbound traffic already redirected to a sidecar that cannot start yet`,
        ),
      );
    }
    const address = vaultAddress(view, pod, vault, logs);
    const facts = [
      `${group.length} pod(s) of ${refText(ref)} are stuck in Init: ${meshInit} runs before ${vault.name}.`,
    ];
    const nativeOff = nativeSidecarsOffFact(view, pod);
    if (nativeOff) facts.push(nativeOff);
    const draft: Draft = {
      resources: [ref],
      evidence,
      confidence: 0.6 + (logs.length > 0 ? 0.2 : 0) + (address ? 0.1 : 0),
      facts,
    };
    if (address) {
      evidence.push(fromObject(podRef, `Vault address ${address.ip} (${address.how})`));
      const workload = view.object<Workload>(ref);
      const current = workload?.spec?.template?.metadata?.annotations?.[EXCLUDE] ?? annotations(pod)[EXCLUDE];
      const result = entry.patch ? annotationListAppend(entry.patch, ref, current, address.ip) : null;
      if (result && 'patch' in result) draft.patches = [result.patch];
      else if (result) facts.push(`No patch proposed: ${result.reason}.`);
    } else {
      facts.push('The Vault address could not be found in the evidence: add its IP as <ip>/32 by hand.');
    }
    drafts.push(draft);
  }
  const detail =
    `${view.pods().length} pods checked for Vault and Istio init ordering` +
    (notes.length ? `; ${notes.slice(0, 3).join('; ')}` : '');
  return { drafts, detail };
};
