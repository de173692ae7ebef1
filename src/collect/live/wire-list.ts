import {
  ApiException,
  createConfiguration,
  HttpMethod,
  type KubeConfig,
  ServerConfiguration,
} from '@kubernetes/client-node';

/** One page of a list call. */
export interface Page {
  items: unknown[];
  metadata?: { _continue?: string; continue?: string };
}

export type PageArgs = {
  namespace?: string;
  limit: number;
  _continue?: string;
  fieldSelector?: string;
  labelSelector?: string;
};

/** One page of a list call at an API path (`/api/v1/pods`), as the server sent it. */
export type WireList = (path: string, args: PageArgs) => Promise<Page>;

/** The list path of a resource: `/api/v1[/namespaces/NS]/pods`, `/apis/GROUP/VERSION[/namespaces/NS]/PLURAL`. */
export function listPath(apiVersion: string, resource: string, namespace?: string): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${root}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${resource}`;
}

function query(args: PageArgs): string {
  const params = new URLSearchParams({ limit: String(args.limit) });
  if (args._continue) params.set('continue', args._continue);
  if (args.fieldSelector) params.set('fieldSelector', args.fieldSelector);
  if (args.labelSelector) params.set('labelSelector', args.labelSelector);
  return params.toString();
}

/** Fields no check reads that the API server sends with every object (`kubectl get -o json` drops them too). */
function trimmed(item: unknown): unknown {
  const metadata = (item as { metadata?: Record<string, unknown> } | null)?.metadata;
  if (metadata && 'managedFields' in metadata) delete metadata.managedFields;
  return item;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * List calls through the kubeconfig's credentials and TLS settings (the same transport and authentication
 * as the typed clients), keeping the objects as the JSON the server sent: the typed clients would build
 * model objects with dates and renamed keys for every field of every object, only to have them turned back
 * into JSON, which at tens of thousands of pods costs more than the rest of the diagnosis. A failed call
 * throws the typed clients' ApiException (status, body, headers), so retries and messages treat both alike.
 */
export function makeWireList(kc: KubeConfig): WireList {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('No active cluster!');
  const config = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
  });
  return async (path, args) => {
    const request = config.baseServer.makeRequestContext(`${path}?${query(args)}`, HttpMethod.GET);
    request.setHeaderParam('Accept', 'application/json');
    await config.authMethods.default?.applySecurityAuthentication(request);
    const response = await config.httpApi.send(request).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new ApiException(response.httpStatusCode, `list ${path}`, parsed(text), response.headers);
    }
    const list = JSON.parse(text) as { items?: unknown[]; metadata?: { continue?: string } };
    const items = Array.isArray(list.items) ? list.items : [];
    for (const item of items) trimmed(item);
    return { items, ...(list.metadata?.continue ? { metadata: { continue: list.metadata.continue } } : {}) };
  };
}
