import type { WebClient } from '@slack/web-api';
import type { Message, SlackThreads } from '../pipeline/ports';
import { MeshError } from '../util/errors';

function tsOf(result: { ts?: string; error?: string }, method: string): string {
  if (!result.ts) throw new MeshError('SLACK_API', `${method} returned no ts (${result.error ?? 'no error'})`);
  return result.ts;
}

/**
 * Every Slack write mesh-doctor makes, over the Web API (whose client retries 429s after Retry-After by
 * itself): root messages, thread messages, updates and file uploads.
 */
export function slackThreads(client: WebClient): SlackThreads {
  const content = (m: Message) => ({ text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}) });
  return {
    async postRoot(channel, message) {
      return tsOf(await client.chat.postMessage({ channel, ...content(message) }), 'chat.postMessage');
    },
    async postInThread(channel, threadTs, message) {
      return tsOf(
        await client.chat.postMessage({ channel, thread_ts: threadTs, ...content(message) }),
        'chat.postMessage',
      );
    },
    async update(channel, ts, message) {
      await client.chat.update({ channel, ts, ...content(message) });
    },
    async uploadInThread(channel, threadTs, file) {
      await client.filesUploadV2({ channel_id: channel, thread_ts: threadTs, ...file });
    },
    async permalink(channel, ts) {
      // No scope needed. A link is a convenience: without one, the verdict still points to the thread.
      const result = await client.chat.getPermalink({ channel, message_ts: ts }).catch(() => null);
      return result?.permalink ?? null;
    },
  };
}

/** The members of a Slack user group (for approvers named by group). */
export function userGroupMembers(client: WebClient): (usergroup: string) => Promise<string[]> {
  return async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [];
}

/** The same writes, each root and update waiting for its channel's turn (Slack allows about one a second). */
export function pacedThreads(
  threads: SlackThreads,
  pace: <T>(channel: string, task: () => Promise<T>) => Promise<T>,
): SlackThreads {
  return {
    postRoot: (channel, message) => pace(channel, () => threads.postRoot(channel, message)),
    postInThread: (channel, threadTs, message) => pace(channel, () => threads.postInThread(channel, threadTs, message)),
    update: (channel, ts, message) => pace(channel, () => threads.update(channel, ts, message)),
    uploadInThread: (channel, threadTs, file) => pace(channel, () => threads.uploadInThread(channel, threadTs, file)),
    // A read with its own generous rate limit; it does not wait for the channel's turn.
    permalink: (channel, ts) => threads.permalink(channel, ts),
  };
}
