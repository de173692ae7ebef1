import type { SlackThreads } from './ports';
import type { DiagnoseRequest } from './request';

/** A person's ask for a diagnosis, before it has a thread. */
export type DiagnosisAsk = Omit<DiagnoseRequest, 'threadTs' | 'incidentKey'> & {
  /** The root message's text ("Diagnosing shop/cart, asked by …"). */
  rootText: string;
};

export interface OpenThreadDeps {
  /** Claims a request key once (a redelivered command gets false), before anything is posted. */
  claim(requestKey: string): Promise<boolean>;
  slack: Pick<SlackThreads, 'postRoot'>;
  enqueue(request: DiagnoseRequest): Promise<{ jobId: string; queued: boolean }>;
}

/**
 * The first steps of a diagnosis asked in Slack: claim the request, post the visible root message, and
 * queue the diagnosis for its thread. A redelivered ask is dropped before anything is posted.
 */
export function openDiagnosisThread(deps: OpenThreadDeps): (ask: DiagnosisAsk) => Promise<'queued' | 'duplicate'> {
  return async ({ rootText, ...ask }) => {
    if (!(await deps.claim(ask.requestKey))) return 'duplicate';
    const threadTs = await deps.slack.postRoot(ask.channel, { text: rootText });
    await deps.enqueue({ ...ask, threadTs });
    return 'queued';
  };
}
