import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { WireList } from './wire-list';
import { makeWireList } from './wire-list';

/** What the cluster reader calls, built once from a kubeconfig. */
export interface KubeApis {
  /** The typed core client, for pod logs. */
  core: CoreV1Api;
  /** List calls that keep the server's JSON (what the cluster reader lists through). */
  list: WireList;
}

export function makeKubeApis(kc: KubeConfig): KubeApis {
  return { core: kc.makeApiClient(CoreV1Api), list: makeWireList(kc) };
}
