/**
 * Closes what a function's container opened (RocketMQ's connections, say) when it is told to end
 * (SIGTERM: Lambda shutting the container down, or serverless-offline stopping), then exits.
 * Registered once, at cold start.
 *
 * Not for a function whose module a long-running process imports to run it in process (the
 * mirror under the local stream poller, in tests and benches): the exit would end that
 * process too.
 */
export function closeOnSigterm(...closers: (() => Promise<unknown>)[]): void {
  process.once('SIGTERM', () => {
    // Each closes on its own: one that fails does not keep the others open.
    void Promise.allSettled(closers.map((close) => close())).finally(() => process.exit(0));
  });
}
