import type { WebClient } from '@slack/web-api';
import type { ReportPoster } from './report-poster';

/** ReportPoster over the Slack Web API (whose client retries 429s after Retry-After by itself). */
export function slackPoster(client: WebClient): ReportPoster {
  return {
    async postInThread(channel, threadTs, message) {
      const result = await client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as never } : {}),
      });
      if (!result.ts) throw new Error(`chat.postMessage returned no ts (${result.error ?? 'no error'})`);
      return result.ts;
    },
    async update(channel, ts, message) {
      await client.chat.update({
        channel,
        ts,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as never } : {}),
      });
    },
    async uploadInThread(channel, threadTs, filename, content, title) {
      await client.filesUploadV2({ channel_id: channel, thread_ts: threadTs, filename, content, title });
    },
  };
}
