import type { Check, Evidence, Target } from '../diagnosis/evidence';
import type { SlackBlock } from '../report/blocks-types';
import type { ReadStats } from '../collect/live/collect-live';

/** A message as Slack takes it: fallback text and optional blocks. */
export interface Message {
  text: string;
  blocks?: SlackBlock[];
}

/** The Slack writes the workflows make; src/slack implements them over the Web API. */
export interface SlackThreads {
  /** Posts a channel message (a thread's root); returns its ts. */
  postRoot(channel: string, message: Message): Promise<string>;
  /** Posts into a thread; returns the new message's ts. */
  postInThread(channel: string, threadTs: string, message: Message): Promise<string>;
  update(channel: string, ts: string, message: Message): Promise<void>;
  uploadInThread(
    channel: string,
    threadTs: string,
    file: { filename: string; content: string; title: string },
  ): Promise<void>;
  /** A link to a message (in a thread or not); null when Slack gave none. */
  permalink(channel: string, ts: string): Promise<string | null>;
}

/** Where each job's posted messages are remembered, so a retried job updates them instead of posting again. */
export interface PostedStore {
  get(key: string): Promise<string | null>;
  /** Sets the key only if absent; returns true when it did. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
}

/** Evidence for a target, and the checks that say what could and could not be read. */
export type Collect = (target: Target) => Promise<{ evidence: Evidence; checks: Check[]; stats?: ReadStats }>;

/** Milliseconds since the epoch; injected so tests control expiry and windows. */
export type Clock = () => number;

/** How long a posted-message record is kept (longer than any retry or re-diagnosis of its job). */
export const POSTED_TTL_SECONDS = 14 * 24 * 3600;
