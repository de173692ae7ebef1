import { Logging } from '@google-cloud/logging';
import { OAuth2Client } from 'google-auth-library';
import type { FakeLogging } from './server';

/**
 * The real `@google-cloud/logging` client, over REST, pointed at the fake, with a dummy access token.
 * `fetchImplementation` keeps the client on Node's own fetch under jest's CommonJS transform.
 */
export function connectLogging(fake: Pick<FakeLogging, 'port' | 'projectId'>): Logging {
  const transporterOptions = { fetchImplementation: globalThis.fetch };
  const auth = new OAuth2Client({ transporterOptions } as never);
  auth.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 3_600_000 });
  return new Logging({
    projectId: fake.projectId,
    apiEndpoint: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    fallback: 'rest',
    authClient: auth,
    transporterOptions,
  } as never);
}
