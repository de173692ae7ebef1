import type { SlackThreads } from './ports';
import type { DiagnoseRequest } from './request';

/**
 * A person's ask for a diagnosis: either with the text of a new root message ("Diagnosing shop/cart, asked
 * by …"), whose thread gets the report, or asked inside an existing thread, which gets it.
 */
export type DiagnosisAsk = Omit<DiagnoseRequest, 'threadTs' | 'incidentKey' | 'rootTs'> &
  ({ rootText: string; inThread?: undefined } | { inThread: string; rootText?: undefined });

export interface OpenThreadDeps {
  /** Claims a request key once (a redelivered command gets false), before anything is posted. */
  claim(requestKey: string): Promise<boolean>;
  slack: Pick<SlackThreads, 'postRoot'>;
  enqueue(request: DiagnoseRequest): Promise<{ jobId: string; queued: boolean }>;
}

/**
 * The first steps of a diagnosis asked in Slack: claim the request, post the visible root message (unless
 * it was asked inside a thread), and queue the diagnosis for the thread. A redelivered ask is dropped
 * before anything is posted.
 */
export function openDiagnosisThread(deps: OpenThreadDeps): (ask: DiagnosisAsk) => Promise<'queued' | 'duplicate'> {
  return async ({ rootText, inThread, ...ask }) => {
    if (!(await deps.claim(ask.requestKey))) return 'duplicate';
    if (inThread !== undefined) {
      await deps.enqueue({ ...ask, threadTs: inThread });
      return 'queued';
    }
    const rootTs = await deps.slack.postRoot(ask.channel, { text: rootText });
    await deps.enqueue({ ...ask, threadTs: rootTs, rootTs });
    return 'queued';
  };
}
