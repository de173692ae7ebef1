import type {
  FakeSlackApiOptions,
  SlackChannel,
  SlackEphemeral,
  SlackIdentity,
  SlackMessage,
  SlackUpload,
  SlackUser,
} from './types';

/** The first message ts; later ones are 100 µs apart, so every ts is unique and sorts in posting order. */
const FIRST_TS_SECONDS = 1_716_000_000;

export const DEFAULT_IDENTITY: SlackIdentity = {
  team_id: 'T0FAKE0001',
  team: 'Fake Team',
  user_id: 'U0BOT00001',
  user: 'mesh-doctor',
  bot_id: 'B0BOT00001',
};

/** Everything the fake's methods read and write. */
export interface SlackState {
  readonly identity: SlackIdentity;
  /** Live messages by ts, in posting order. */
  readonly messages: Map<string, SlackMessage>;
  readonly ephemerals: SlackEphemeral[];
  readonly uploads: Map<string, SlackUpload>;
  readonly usergroups: Map<string, string[]>;
  readonly users: Record<string, Partial<SlackUser>>;
  readonly channels: Record<string, Partial<SlackChannel>>;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl: string;
  nextTs(): string;
  nextFileId(): string;
}

export function createState(options: FakeSlackApiOptions): SlackState {
  let tsCount = 0;
  let fileCount = 0;
  return {
    identity: { ...DEFAULT_IDENTITY, ...options.identity },
    messages: new Map(),
    ephemerals: [],
    uploads: new Map(),
    usergroups: new Map(Object.entries(options.usergroups ?? {})),
    users: options.users ?? {},
    channels: options.channels ?? {},
    baseUrl: '',
    nextTs() {
      tsCount++;
      return formatTs(tsCount * 100);
    },
    nextFileId() {
      fileCount++;
      return `F0FAKE${String(fileCount).padStart(5, '0')}`;
    },
  };
}

function formatTs(micros: number): string {
  const seconds = FIRST_TS_SECONDS + Math.floor(micros / 1_000_000);
  return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** A copy that callers may change freely. */
export function copyMessage(message: SlackMessage): SlackMessage {
  return structuredClone(message);
}
