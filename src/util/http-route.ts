import type { IncomingMessage, ServerResponse } from 'node:http';

/** An HTTP endpoint served beside Slack's (health, metrics, alert webhooks). */
export interface HttpRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}
