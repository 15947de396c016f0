import { ZERO_COUNTERS } from '../state/items.js';
import type { TaskCounter, TaskCounters } from '../state/types.js';

/** What one slice has done so far: its counters and its last record failure. */
export class SliceCounters {
  #counts: Record<TaskCounter, number> = { ...ZERO_COUNTERS };
  #lastError: { at: number; message: string } | undefined;

  add(counter: TaskCounter, n = 1): void {
    this.#counts[counter] += n;
  }

  get(counter: TaskCounter): number {
    return this.#counts[counter];
  }

  /** A record failed a stage after `attempts` tries (its retries are counted too). */
  failed(at: number, error: Error, attempts: number): void {
    this.#counts.recordErrors += 1;
    this.#counts.recordRetries += attempts - 1;
    this.#lastError = { at, message: error.message };
  }

  retried(attempts: number): void {
    this.#counts.recordRetries += attempts - 1;
  }

  snapshot(): { counters: TaskCounters; lastError?: { at: number; message: string } } {
    return {
      counters: { ...this.#counts },
      ...(this.#lastError && { lastError: this.#lastError }),
    };
  }
}
