import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kubeconfigFor, writeKubeconfigFile } from './kubeconfig';
import { parseInstant } from './logs';
import { Handler } from './server';
import { loadSnapshotDir } from './snapshot';
import { ObjectStore } from './store';
import type { FakeKubeApi, FakeKubeApiOptions, KubeObject } from './types';

export type {
  FakeKubeApi,
  FakeKubeApiOptions,
  FaultController,
  FaultRule,
  KubeObject,
  LogLineInput,
  PodLogInput,
  RecordedRequest,
} from './types';
export { FAKE_USER } from './faults';
export { FAKE_TOKEN } from './kubeconfig';
export { pluralize } from './resources';

/**
 * Starts a fake Kubernetes API server on 127.0.0.1 (an ephemeral port) that the real
 * `@kubernetes/client-node` can talk to: lists with selectors and paging, both Event APIs, pod logs,
 * patches (merge, strategic, JSON), create/replace/delete, discovery, and injected faults.
 * Call `close()` when done.
 *
 * Behaviour worth knowing:
 * - Built-in resources always exist (an empty list when there are no objects); a custom resource exists
 *   only when objects of it or a CustomResourceDefinition object for it were loaded, or `crds` names it,
 *   else its paths answer 404 like an absent CRD. Istio, Gateway API and Cloud Service Mesh kinds are
 *   known in advance, so their objects are served at every version of their API; a loaded CRD object's
 *   resource is served at exactly the versions it serves. Every custom resource served is listed under
 *   `customresourcedefinitions`, as on a real cluster.
 * - `requests` records every request (faulted ones included), so tests and benchmarks can count calls.
 * - Built-in list items carry no kind/apiVersion (as the real server sends them); custom resource items do.
 * - Events are stored once in core/v1 form; `get`/`list` return that form.
 * - Captured objects keep their resourceVersion; writes take the next value of one global counter.
 *   A patch that changes nothing is not a write (no new resourceVersion, as on the real server).
 *   `metadata.generation` counts changes outside metadata/status for API-group and custom resources.
 * - Writes to the main resource of a built-in type keep the stored status; `/status` writes status only.
 * Not supported: watch (400), server-side apply (415), deletecollection (405), Table output,
 * namespace existence checks on create, and previous container logs (a container whose status shows
 * `restartCount > 0` has an empty previous log; otherwise `previous=true` is a 400). `follow=true`
 * returns what is stored and ends.
 */
export async function startFakeKubeApi(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const store = new ObjectStore();
  for (const crd of options.crds ?? []) store.registry.addCrd(crd);
  if (options.snapshotDir !== undefined) await loadSnapshotDir(options.snapshotDir, store);
  for (const object of options.objects ?? []) store.load(object);
  for (const logs of options.logs ?? []) store.logs.add(logs.namespace, logs.pod, logs.container, logs.lines);
  let now = null;
  if (options.now !== undefined) {
    now = parseInstant(options.now);
    if (!now) throw new Error(`now: "${options.now}" is not an RFC 3339 time`);
  }
  if (options.defaultPageLimit !== undefined && !(options.defaultPageLimit > 0)) {
    throw new Error('defaultPageLimit must be positive');
  }

  let port = 0;
  const handler = new Handler(store, {
    defaultPageLimit: options.defaultPageLimit ?? null,
    now,
    port: () => port,
  });
  const server = createServer((req, res) => handler.handle(req, res));
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfigYaml = kubeconfigFor(url);

  const find = (kindOrPlural: string) => store.registry.find(kindOrPlural);
  let closing: Promise<void> | null = null;

  return {
    url,
    port,
    kubeconfigYaml,
    writeKubeconfig: (dir) => writeKubeconfigFile(dir, kubeconfigYaml),
    requests: handler.requests,
    faults: handler.faults,
    get(kindOrPlural, namespace, name): KubeObject | undefined {
      for (const type of find(kindOrPlural)) {
        const object = store.get(type, type.namespaced ? (namespace ?? 'default') : null, name);
        if (object) return structuredClone(object);
      }
      return undefined;
    },
    list(kindOrPlural): KubeObject[] {
      return find(kindOrPlural).flatMap((type) => store.all(type).map((o) => structuredClone(o)));
    },
    put(object) {
      return structuredClone(store.write(object));
    },
    addLogs(input) {
      store.logs.add(input.namespace, input.pod, input.container, input.lines);
    },
    get resourceVersion() {
      return store.resourceVersion;
    },
    expireContinueTokens() {
      store.compact();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        handler.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
