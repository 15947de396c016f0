// Sources that each break one rule, for the suite's own tests: each differs from the reference
// memory-log source in that one behaviour, so the check that catches it is the one that fails.
import { open, type FileHandle } from 'node:fs/promises';
import { devNull } from 'node:os';
import type { SourceTaskContext } from '../../../../lib/api/connector.js';
import type { ConnectorConfig } from '../../../../lib/api/connector-config.js';
import type { SourceOffset } from '../../../../lib/api/source-offsets.js';
import type { SourceConformanceAdapter } from './adapter.js';
import { memoryLogAdapter, memoryLogSource, MemoryLogSourceTask } from './memory-log-source.js';

/**
 * Commits before the send receipt: it acknowledges its upstream at poll time (as a queue
 * consumer acking on receipt) and resumes from that acknowledgement, not the committed offset.
 */
class AcksUpstreamAtPollTask extends MemoryLogSourceTask {
  protected override resumeFrom(committed: number): number {
    return Math.max(committed, this.log.acked);
  }

  override async poll() {
    const records = await super.poll();
    this.log.acked = this.next;
    return records;
  }
}

/** File handles the leaky task opened, for the tests to close once the check has seen them. */
export const leakedHandles: FileHandle[] = [];

/** Leaks a handle: opens a file at start and never closes it. */
class LeaksHandleTask extends MemoryLogSourceTask {
  override async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    await super.start(config, context);
    leakedHandles.push(await open(devNull, 'r'));
  }
}

/** Long-polls deaf to the abort signal: an idle poll waits its whole time unless stopped. */
class IgnoresAbortTask extends MemoryLogSourceTask {
  protected override idle(): Promise<void> {
    return this.wait(this.longPollMs);
  }
}

/** Busy-waits for data: an idle poll spins the CPU before it answers []. */
class SpinsWhenIdleTask extends MemoryLogSourceTask {
  protected override idle(): Promise<void> {
    const until = performance.now() + 800;
    let spins = 0;
    while (performance.now() < until) spins++;
    return Promise.resolve(void spins);
  }
}

/** Keeps a position past 2^53 (a log sequence number) as a JSON number, losing precision. */
class UnsafeOffsetTask extends MemoryLogSourceTask {
  protected override offsetOf(index: number): SourceOffset {
    return { index, lsn: 2 ** 53 + 2 * index };
  }
}

/** The reference source: passes every check. */
export const memoryLog = memoryLogAdapter(memoryLogSource('MemoryLogSource', MemoryLogSourceTask));

export const acksUpstreamAtPoll = memoryLogAdapter(
  memoryLogSource('AcksUpstreamAtPollSource', AcksUpstreamAtPollTask),
);
export const leaksHandle = memoryLogAdapter(memoryLogSource('LeaksHandleSource', LeaksHandleTask));
/** Long polls of 10 s, so that ignoring the abort signal shows. */
export const ignoresAbort: SourceConformanceAdapter = memoryLogAdapter(
  memoryLogSource('IgnoresAbortSource', IgnoresAbortTask),
  10_000,
);
export const spinsWhenIdle = memoryLogAdapter(
  memoryLogSource('SpinsWhenIdleSource', SpinsWhenIdleTask),
);
export const unsafeOffset = memoryLogAdapter(
  memoryLogSource('UnsafeOffsetSource', UnsafeOffsetTask),
);
