import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, parseBody, readRaw } from './body';
import { addMessage } from './chat';
import type { SlackReply } from './reply';
import { fail, str } from './reply';
import type { SlackState } from './state';
import type { SlackBody, SlackUpload } from './types';

/** Where the client sends a file's bytes: `/upload/v1/FILE_ID` on the fake itself. */
export const UPLOAD_PATH = /^\/upload\/v1\/([A-Za-z0-9]+)$/;

export function getUploadUrlExternal(body: SlackBody, state: SlackState): SlackReply {
  const filename = str(body, 'filename');
  const length = Number(str(body, 'length'));
  if (filename === null || !Number.isInteger(length) || length < 1) return fail('invalid_arguments');
  const fileId = state.nextFileId();
  state.uploads.set(fileId, {
    fileId,
    filename,
    length,
    content: null,
    title: null,
    completed: false,
    channel_id: null,
    thread_ts: null,
    initial_comment: null,
  });
  return { ok: true, upload_url: `${state.baseUrl}/upload/v1/${fileId}`, file_id: fileId };
}

/** Stores the bytes sent to an upload URL: a multipart file field, or the raw body. Answers as Slack does. */
export async function receiveUpload(
  req: IncomingMessage,
  res: ServerResponse,
  fileId: string,
  state: SlackState,
): Promise<void> {
  const upload = state.uploads.get(fileId);
  const raw = await readRaw(req);
  if (!upload || raw === null) {
    res.writeHead(upload ? 413 : 404, { 'content-type': 'text/plain' }).end(upload ? 'too large' : 'not found');
    return;
  }
  const contentType = req.headers['content-type'];
  const fields = contentType?.startsWith('multipart/') ? await parseBody(raw, contentType) : {};
  const file = Object.values(fields).find((value) => Buffer.isBuffer(value));
  upload.content = Buffer.isBuffer(file) ? file : raw;
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${upload.content.length}`);
}

export function completeUploadExternal(body: SlackBody, state: SlackState): SlackReply {
  const entries = Array.isArray(body.files) ? (body.files as unknown[]) : [];
  if (entries.length === 0) return fail('invalid_arguments');
  const ready: { upload: SlackUpload; title: string | null }[] = [];
  for (const entry of entries) {
    const fields = isRecord(entry) ? entry : {};
    const upload = typeof fields.id === 'string' ? state.uploads.get(fields.id) : undefined;
    if (!upload || upload.content === null || upload.completed) return fail('file_not_found');
    ready.push({ upload, title: typeof fields.title === 'string' ? fields.title : null });
  }
  const channel = str(body, 'channel_id');
  const threadTs = str(body, 'thread_ts');
  const comment = str(body, 'initial_comment');
  const shared = ready.map(({ upload, title }) => {
    upload.title = title ?? upload.filename;
    upload.completed = true;
    upload.channel_id = channel;
    upload.thread_ts = threadTs;
    upload.initial_comment = comment;
    return { id: upload.fileId, name: upload.filename, title: upload.title, size: upload.length };
  });
  if (channel !== null) {
    const message = addMessage(state, channel, { ...body, text: comment ?? '' });
    message.files = shared.map(({ id, name, title }) => ({ id, name, title }));
  }
  return { ok: true, files: shared };
}
