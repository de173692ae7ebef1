import { readFileSync } from 'node:fs';
import { Logging } from '@google-cloud/logging';
import { KubeConfig } from '@kubernetes/client-node';
import { OAuth2Client } from 'google-auth-library';
import { errorMessage, MeshError } from '../../util/errors';

export class ClientConfigError extends MeshError {
  constructor(message: string, options?: ErrorOptions) {
    super('CLIENT_CONFIG', message, options);
  }
}

/** Google settings as the configuration holds them. */
export interface GoogleSettings {
  project: string | undefined;
  credentialsFile: string | undefined;
  loggingApiEndpoint: string | undefined;
}

/**
 * The kubeconfig in use: the given file(s) (KUBECONFIG, `:`-separated) or ~/.kube/config, else the
 * in-cluster service account.
 */
export function loadKubeConfig(context: string | null, kubeconfig: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    const files = (kubeconfig ?? '').split(':').filter((f) => f.length > 0);
    const [first, ...others] = files;
    if (first === undefined) kc.loadFromDefault();
    else {
      kc.loadFromFile(first);
      for (const file of others) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more);
      }
    }
  } catch (err) {
    throw new ClientConfigError(`cannot load a kubeconfig: ${errorMessage(err)}`, { cause: err });
  }
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new ClientConfigError(
        `context "${context}" is not in the kubeconfig (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  // With no kubeconfig and no service account, the client falls back to an unauthenticated localhost:8080.
  if (!cluster || (cluster.name === 'cluster' && cluster.server === 'http://localhost:8080')) {
    throw new ClientConfigError(
      'no kubeconfig found: set KUBECONFIG (or create ~/.kube/config), use --context, or run inside a cluster',
    );
  }
  return kc;
}

/** The project to read logs from: --project, GOOGLE_CLOUD_PROJECT, or the ADC key file's project; else null. */
export function resolveProject(flag: string | null, google: GoogleSettings): string | null {
  if (flag) return flag;
  if (google.project) return google.project;
  if (google.credentialsFile) {
    try {
      const key = JSON.parse(readFileSync(google.credentialsFile, 'utf8')) as {
        project_id?: string;
        quota_project_id?: string;
      };
      return key.project_id ?? key.quota_project_id ?? null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * A Cloud Logging client with the key file when one is set (else Application Default Credentials).
 * CLOUD_LOGGING_API_ENDPOINT points it elsewhere (a private endpoint, or a local emulator over http,
 * which gets a placeholder token instead of credentials).
 */
export function makeLogging(projectId: string, google: GoogleSettings): Logging {
  const endpoint = google.loggingApiEndpoint;
  const keyFile = google.credentialsFile ? { keyFilename: google.credentialsFile } : {};
  if (!endpoint) return new Logging({ projectId, fallback: 'rest', ...keyFile } as never);
  const url = new URL(endpoint);
  const local = url.protocol === 'http:';
  const options: Record<string, unknown> = {
    projectId,
    apiEndpoint: url.hostname,
    port: Number(url.port || (local ? 80 : 443)),
    protocol: url.protocol.replace(':', ''),
    fallback: 'rest',
    transporterOptions: { fetchImplementation: globalThis.fetch },
    ...keyFile,
  };
  if (local) {
    const auth = new OAuth2Client({ transporterOptions: { fetchImplementation: globalThis.fetch } } as never);
    auth.setCredentials({ access_token: 'local-endpoint', expiry_date: Date.now() + 24 * 3600_000 });
    options.authClient = auth;
  }
  return new Logging(options as never);
}
