// Sinks that each break one rule, for the suite's own tests: each differs from the reference
// memory-table sink in that one behaviour, so the check that catches it is the one that fails.
import type { SinkRecord } from '../../../../lib/api/record.js';
import { memoryTableAdapter, memoryTableSink, MemoryTableSinkTask } from './memory-table-sink.js';

/**
 * Acks before flush: its flush resolves at once and writes a moment later, so the runtime
 * acknowledges records that are not in the table yet.
 */
class AcksBeforeFlushTask extends MemoryTableSinkTask {
  override flush(): Promise<void> {
    const batch = this.buffered;
    this.buffered = [];
    setTimeout(() => this.write(batch), 20);
    return Promise.resolve();
  }
}

/** Hides a failing flush: it drops what the table refused and resolves as if it wrote it. */
class HidesFlushFailureTask extends MemoryTableSinkTask {
  override async flush(): Promise<void> {
    try {
      await super.flush();
    } catch {
      this.buffered = [];
    }
  }
}

/**
 * Refuses at flush instead of put: a poison record fails the batch's flush, where the runtime
 * cannot tell it from its neighbours, so the task fails instead of dead-lettering it.
 */
class RefusesAtFlushTask extends MemoryTableSinkTask {
  override put(records: readonly SinkRecord[]): Promise<void> {
    this.buffered.push(...records);
    return Promise.resolve();
  }

  override flush(): Promise<void> {
    if (this.buffered.some((r) => this.table.refuses(r.value))) {
      return Promise.reject(new Error('the batch holds a refused row'));
    }
    return super.flush();
  }
}

/** Claims idempotence but appends: a batch delivered twice is written twice. */
class AppendsTask extends MemoryTableSinkTask {
  protected override write(records: readonly SinkRecord[]): void {
    this.table.rows = [...this.table.rows, ...records.map(({ key, value }) => ({ key, value }))];
  }
}

/**
 * Says it is not idempotent, and loses rows when a batch comes again: a record whose key it
 * already holds is taken as a delete of that row (a toggle), so a redelivery empties the table.
 */
class TogglesRowsTask extends MemoryTableSinkTask {
  protected override write(records: readonly SinkRecord[]): void {
    for (const { key, value } of records) {
      const held = this.table.rows.some((row) => row.key === key);
      this.table.rows = held
        ? this.table.rows.filter((row) => row.key !== key)
        : [...this.table.rows, { key, value }];
    }
  }
}

/** Timers the leaky task started, for the tests to clear once the check has seen them. */
export const leakedTimers: NodeJS.Timeout[] = [];

/** Leaks a timer: a heartbeat started at start and never cleared. */
class LeaksTimerTask extends MemoryTableSinkTask {
  override async start(...args: Parameters<MemoryTableSinkTask['start']>): Promise<void> {
    await super.start(...args);
    leakedTimers.push(setInterval(() => undefined, 60_000));
  }
}

/** The reference sink: passes every check. */
export const memoryTable = memoryTableAdapter(
  memoryTableSink('MemoryTableSink', MemoryTableSinkTask),
);

export const acksBeforeFlush = memoryTableAdapter(
  memoryTableSink('AcksBeforeFlushSink', AcksBeforeFlushTask),
);
export const hidesFlushFailure = memoryTableAdapter(
  memoryTableSink('HidesFlushFailureSink', HidesFlushFailureTask),
);
export const refusesAtFlush = memoryTableAdapter(
  memoryTableSink('RefusesAtFlushSink', RefusesAtFlushTask),
);
export const appendsClaimingIdempotence = memoryTableAdapter(
  memoryTableSink('AppendsSink', AppendsTask),
);
export const togglesRows = memoryTableAdapter(
  memoryTableSink('TogglesRowsSink', TogglesRowsTask),
  false,
);
export const leaksTimer = memoryTableAdapter(memoryTableSink('LeaksTimerSink', LeaksTimerTask));
