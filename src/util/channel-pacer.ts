/**
 * Spaces out calls per Slack channel (chat.postMessage allows about one message per second per channel),
 * so an alert storm never turns into a burst of 429s. Calls for one channel run one at a time, at least
 * `intervalMs` apart; other channels are not held up. The Web API client still honours Retry-After.
 */
export function createChannelPacer(intervalMs: number, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  const tails = new Map<string, Promise<unknown>>();
  return function pace<T>(channel: string, call: () => Promise<T>): Promise<T> {
    const previous = tails.get(channel) ?? Promise.resolve();
    const run = previous.then(call, call);
    const tail = run.then(
      () => sleep(intervalMs),
      () => sleep(intervalMs),
    );
    tails.set(channel, tail);
    void tail.then(() => {
      if (tails.get(channel) === tail) tails.delete(channel);
    });
    return run;
  };
}
