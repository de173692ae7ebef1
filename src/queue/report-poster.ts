/** A message as Slack takes it. */
export interface SlackMessage {
  text: string;
  blocks?: unknown[];
}

/** The Slack calls a worker makes, behind a port so the processor does not know the Web API. */
export interface ReportPoster {
  /** Posts into a thread; returns the new message's ts. */
  postInThread(channel: string, threadTs: string, message: SlackMessage): Promise<string>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  uploadInThread(channel: string, threadTs: string, filename: string, content: string, title: string): Promise<void>;
}

/** Where each job's posted message is remembered, so a retried job updates it instead of posting again. */
export interface PostedStore {
  get(key: string): Promise<string | null>;
  /** Sets the key only if absent; returns true when it did. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
}
