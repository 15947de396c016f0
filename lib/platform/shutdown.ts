/**
 * Closes what a function's container opened (RocketMQ's connections, the tasks' warm resources)
 * when it is told to end (SIGTERM: Lambda shutting the container down, or serverless-offline
 * stopping), then exits. Registered once, at cold start.
 *
 * Not for a function whose module a long-running process imports to run it in process (the
 * mirror under the local stream poller, in tests and benches): the exit would end that
 * process too.
 */
export function closeOnSigterm(...closers: (() => Promise<unknown>)[]): void {
  process.once('SIGTERM', () => {
    void closeWithin(CLOSE_LIMIT_MS, closers).finally(() => process.exit(0));
  });
}

/**
 * Lambda gives a container a few hundred milliseconds after SIGTERM before it kills it: a close
 * that hangs (a server that never answers a goodbye) must not hold the others past that.
 */
export const CLOSE_LIMIT_MS = 1_500;

/**
 * Runs every closer at once and resolves when all have settled or `limitMs` has passed,
 * whichever is first: one that fails or hangs does not keep the others open.
 */
export async function closeWithin(
  limitMs: number,
  closers: readonly (() => Promise<unknown>)[],
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  try {
    await Promise.race([Promise.allSettled(closers.map((close) => close())), limit]);
  } finally {
    clearTimeout(timer);
  }
}
