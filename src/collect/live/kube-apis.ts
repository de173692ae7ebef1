import {
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  type KubeConfig,
  NetworkingV1Api,
} from '@kubernetes/client-node';
import type { WireList } from './wire-list';
import { makeWireList } from './wire-list';

/** The typed API clients the cluster reader uses, built once from a kubeconfig. */
export interface KubeApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  admission: AdmissionregistrationV1Api;
  events: EventsV1Api;
  networking: NetworkingV1Api;
  apiextensions: ApiextensionsV1Api;
  custom: CustomObjectsApi;
  /** List calls that keep the server's JSON (what the cluster reader lists through). */
  list: WireList;
}

export function makeKubeApis(kc: KubeConfig): KubeApis {
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
    events: kc.makeApiClient(EventsV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    apiextensions: kc.makeApiClient(ApiextensionsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    list: makeWireList(kc),
  };
}
