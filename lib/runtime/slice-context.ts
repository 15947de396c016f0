import type { ErrorPolicy } from './error-policy.js';
import type { SliceCounters } from './slice-counters.js';

/** Time as a slice sees it: injected, so that tests run retries and budgets without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Where the runtime logs (console on Lambda: CloudWatch). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** What every stage of one slice shares: who it is, its error policy, clock, budget, counters. */
export interface SliceEnv {
  readonly connector: string;
  readonly taskId: number;
  readonly policy: ErrorPolicy;
  readonly clock: Clock;
  /** Epoch ms by which the slice must be done; retries stop there. */
  readonly deadline: number;
  readonly counters: SliceCounters;
  readonly log: Logger;
}
