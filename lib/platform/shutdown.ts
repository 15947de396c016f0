/**
 * Closes what a function's container opened (RocketMQ's connections) when it is told to end
 * (SIGTERM: Lambda shutting the container down, or serverless-offline stopping), then exits.
 * Registered once, at cold start.
 *
 * Not for a function whose module a long-running process imports to run it in process (the
 * mirror under the local stream poller, in tests and benches): the exit would end that
 * process too.
 */
export function closeOnSigterm(close: () => Promise<void>): void {
  process.once('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
}
