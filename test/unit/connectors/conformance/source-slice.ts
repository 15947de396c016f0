// A source task driven as the runtime drives it, with RocketMQ simulated: what a slice takes is
// "sent" (its receipts came back), and a commit stores the offsets as the state table does,
// through JSON, before telling the task.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceTask } from '../../../../lib/api/connector.js';
import type { SourceRecord } from '../../../../lib/api/record.js';
import type { OffsetEntry } from '../../../../lib/api/source-offsets.js';
import { lastOffsets } from '../../../../lib/runtime/source-loop.js';
import { canonicalJson } from '../../../../lib/state/canonical-json.js';
import { createTask, sourceContext, testContainer } from '../context.js';
import type { SourceConformanceAdapter, SourceFixture } from './adapter.js';

/** Committed offsets, kept as JSON text as the state table keeps them. */
export class CommittedOffsets {
  readonly #stored = new Map<string, string>();

  /** Stores the last offset of each partition of `records`, as a commit after their receipts. */
  store(records: readonly SourceRecord[]): void {
    for (const entry of lastOffsets(records)) {
      this.#stored.set(canonicalJson(entry.partition, 'partition'), JSON.stringify(entry));
    }
  }

  entries(): OffsetEntry[] {
    return [...this.#stored.values()].map((text) => JSON.parse(text) as OffsetEntry);
  }
}

/** Pause between empty polls while draining, as the runtime backs off (shortened). */
const EMPTY_POLL_PAUSE_MS = 20;

/** One slice of one task: started from the committed offsets, stopped by `withSlice`. */
export class SourceSlice {
  /** Polled but not taken yet: dropped when the slice ends, as unsent records are. */
  #polled: SourceRecord[] = [];

  constructor(
    readonly task: SourceTask,
    private readonly offsets: CommittedOffsets,
    private readonly emptyPolls: number,
  ) {}

  /**
   * The next `count` records (all there are when `count` is Infinity), polling as needed; fewer
   * when the source runs dry (`emptyPolls` empty polls in a row). Taken means sent.
   */
  async take(count: number): Promise<SourceRecord[]> {
    let empty = 0;
    while (this.#polled.length < count && empty < this.emptyPolls) {
      const batch = await this.task.poll();
      empty = batch.length === 0 ? empty + 1 : 0;
      this.#polled.push(...batch);
      if (batch.length === 0) await sleep(EMPTY_POLL_PAUSE_MS);
    }
    return this.#polled.splice(0, count);
  }

  /** Commits `records` (whose receipts came back), then tells the task, as the runtime does. */
  async commit(records: readonly SourceRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.offsets.store(records);
    await this.task.commit?.(records);
  }
}

/**
 * Runs `use` on a new task started from `offsets`, and always stops the task after, as the
 * runtime stops a slice that failed.
 */
export async function withSlice<T>(
  adapter: SourceConformanceAdapter,
  fixture: SourceFixture,
  offsets: CommittedOffsets,
  use: (slice: SourceSlice) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const task = await createTask(adapter.plugin);
  const container = testContainer();
  try {
    await task.start(
      fixture.config(),
      sourceContext(offsets.entries(), {
        resources: container.resources,
        ...(signal !== undefined && { signal }),
      }),
    );
    return await use(new SourceSlice(task, offsets, adapter.emptyPollsWhenDrained ?? 3));
  } finally {
    await task.stop();
    await container.end();
  }
}

/** What makes two deliveries the same record, by the adapter's rule or the default one. */
export function identities(
  adapter: SourceConformanceAdapter,
  records: readonly SourceRecord[],
): unknown[] {
  return records.map(
    (r) =>
      adapter.identity?.(r) ?? {
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        key: r.key,
        value: r.value,
      },
  );
}
