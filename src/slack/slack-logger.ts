import type { Logger as SlackLogger } from '@slack/web-api';
import { LogLevel } from '@slack/web-api';
import { errorFields } from '../util/errors';
import type { Logger } from '../util/logger';

const RANK: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/** A Slack library's arguments as one record: texts joined as the message, an error's fields and other objects as data. */
function record(parts: unknown[]): { data: Record<string, unknown>; message: string } {
  const texts: string[] = [];
  let data: Record<string, unknown> = {};
  for (const part of parts) {
    if (part instanceof Error) data = { ...data, ...errorFields(part) };
    else if (typeof part === 'object' && part !== null) data = { ...data, detail: part };
    else texts.push(String(part));
  }
  return { data, message: texts.join(' ') || 'slack' };
}

/** Our levels as Slack's. */
export const SLACK_LEVEL = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
} as const;

/**
 * Slack's logger interface (Bolt, its receivers, the Socket Mode client, the Web API client) over ours, so
 * that they write the same structured lines (with `source`: the name they give, e.g. `bolt-app`) instead
 * of plain text of their own.
 */
export function slackLogger(log: Logger, initial: LogLevel = LogLevel.WARN): SlackLogger {
  let level = initial;
  let name = 'slack';
  const at =
    (lvl: LogLevel, write: Logger['info']) =>
    (...parts: unknown[]) => {
      if (RANK[lvl] < RANK[level]) return;
      const { data, message } = record(parts);
      write.call(log, { source: name, ...data }, message);
    };
  return {
    debug: at(LogLevel.DEBUG, log.debug),
    info: at(LogLevel.INFO, log.info),
    warn: at(LogLevel.WARN, log.warn),
    error: at(LogLevel.ERROR, log.error),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: (n) => void (name = n),
  };
}
