import type { ConnectorMetrics, ConnectorType, TaskCounters } from './api-types.js';

/** Records and record errors, the two series the console charts. */
export interface Amounts {
  readonly records: number;
  readonly errors: number;
}

/** One bucket of the chart: its start (epoch ms) and per-second rates over it. */
export interface RatePoint {
  readonly start: number;
  readonly recordsPerSecond: number;
  readonly errorsPerSecond: number;
}

/**
 * The records a connector moved, by its type: what a source had acknowledged by RocketMQ, what a
 * sink had flushed downstream. Errors are records that failed a stage after their retries.
 */
export function amountsOf(type: ConnectorType, counters: TaskCounters): Amounts {
  const records =
    type === 'source'
      ? counters.source_record_write
      : type === 'sink'
        ? counters.sink_record_send
        : counters.source_record_write + counters.sink_record_send;
  return { records, errors: counters.record_errors };
}

interface Seen {
  readonly sampledAt: number;
  readonly totals: Amounts;
}

/**
 * Records/s and errors/s of one connector over the last minutes, from the metrics the API
 * answers at each poll. Slices report their counters when they end, so a poll sees totals jump;
 * the jump is spread over the time the records really moved: over the last slice when it ended
 * since the previous poll (its start and end are known), the rest over the time between polls.
 * The first poll knows only each task's last slice, which is charted as it was.
 *
 * @example
 * const history = new RateHistory();
 * history.add(metrics); // at each poll
 * history.points(Date.now()); // the chart's buckets, oldest first
 */
export class RateHistory {
  readonly #buckets = new Map<number, { records: number; errors: number }>();
  readonly #seen = new Map<number, Seen>();

  constructor(
    readonly windowMs = 5 * 60_000,
    readonly bucketMs = 5_000,
  ) {}

  add(metrics: ConnectorMetrics): void {
    const now = metrics.sampled_at;
    for (const task of metrics.tasks) {
      const totals = amountsOf(metrics.type, task.totals);
      const slice = task.last_slice && {
        start: task.last_slice.started_at,
        end: task.last_slice.ended_at,
        amounts: amountsOf(metrics.type, task.last_slice.counters),
      };
      const seen = this.#seen.get(task.id);
      // An answer older than one already taken (a poll overtaken by a later one) adds nothing.
      if (seen !== undefined && now <= seen.sampledAt) continue;
      this.#seen.set(task.id, { sampledAt: now, totals });
      if (seen === undefined) {
        if (slice) this.#spread(slice.amounts, slice.start, slice.end);
        continue;
      }
      const delta = {
        records: totals.records - seen.totals.records,
        errors: totals.errors - seen.totals.errors,
      };
      // Totals that went down belong to a connector deleted and created again: a new baseline.
      if (delta.records < 0 || delta.errors < 0) continue;
      if (slice && slice.end > seen.sampledAt) {
        const fromSlice = {
          records: Math.min(delta.records, slice.amounts.records),
          errors: Math.min(delta.errors, slice.amounts.errors),
        };
        this.#spread(fromSlice, slice.start, slice.end);
        // Slices that ended before the last one, unseen: between the previous poll and its start.
        const rest = {
          records: delta.records - fromSlice.records,
          errors: delta.errors - fromSlice.errors,
        };
        const restEnd = slice.start > seen.sampledAt ? slice.start : now;
        this.#spread(rest, seen.sampledAt, restEnd);
      } else {
        this.#spread(delta, seen.sampledAt, now);
      }
    }
    this.#forget(now);
  }

  /** Every bucket of the window ending at `now`, oldest first; buckets with nothing read 0. */
  points(now: number): RatePoint[] {
    const seconds = this.bucketMs / 1000;
    const last = this.#bucketOf(now);
    const points: RatePoint[] = [];
    for (let start = last - this.windowMs + this.bucketMs; start <= last; start += this.bucketMs) {
      const bucket = this.#buckets.get(start);
      points.push({
        start,
        recordsPerSecond: (bucket?.records ?? 0) / seconds,
        errorsPerSecond: (bucket?.errors ?? 0) / seconds,
      });
    }
    return points;
  }

  /**
   * The mean rates over the `spanMs` before `now`: what a list shows as "records/s". `now` is
   * the server's time (the last answer's `sampled_at`), as every time in the buckets is.
   */
  recent(now: number, spanMs = 60_000): { recordsPerSecond: number; errorsPerSecond: number } {
    let records = 0;
    let errors = 0;
    for (const [start, bucket] of this.#buckets) {
      // Only the part of a bucket inside the span counts (the oldest one is cut).
      const overlap = Math.min(now, start + this.bucketMs) - Math.max(now - spanMs, start);
      if (overlap <= 0) continue;
      records += (bucket.records * overlap) / this.bucketMs;
      errors += (bucket.errors * overlap) / this.bucketMs;
    }
    return {
      recordsPerSecond: records / (spanMs / 1000),
      errorsPerSecond: errors / (spanMs / 1000),
    };
  }

  #bucketOf(time: number): number {
    return Math.floor(time / this.bucketMs) * this.bucketMs;
  }

  /** Adds `amounts` to the buckets over [from, to], in proportion to each one's overlap. */
  #spread(amounts: Amounts, from: number, to: number): void {
    if (amounts.records === 0 && amounts.errors === 0) return;
    if (to <= from) {
      this.#addTo(this.#bucketOf(to), amounts, 1);
      return;
    }
    // Only the window is kept: a slice that began long before it adds only its recent share.
    const first = this.#bucketOf(Math.max(from, to - this.windowMs - this.bucketMs));
    for (let start = first; start < to; start += this.bucketMs) {
      const overlap = Math.min(to, start + this.bucketMs) - Math.max(from, start);
      if (overlap > 0) this.#addTo(start, amounts, overlap / (to - from));
    }
  }

  #addTo(start: number, amounts: Amounts, share: number): void {
    const bucket = this.#buckets.get(start) ?? { records: 0, errors: 0 };
    bucket.records += amounts.records * share;
    bucket.errors += amounts.errors * share;
    this.#buckets.set(start, bucket);
  }

  #forget(now: number): void {
    const oldest = this.#bucketOf(now) - this.windowMs;
    for (const start of this.#buckets.keys()) if (start <= oldest) this.#buckets.delete(start);
  }
}
