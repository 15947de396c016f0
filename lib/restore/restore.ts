import type { Item } from '../state/attributes.js';
import { NothingToRestoreError, TableNotEmptyError, type MessageWhere } from './errors.js';
import { LatestChanges, type MaskedSecret, type RestoreCounts } from './restore-plan.js';
import type { StateChangeSource } from './state-topic-reader.js';

/** The state table, as a restore sees it. */
export interface RestoreTable {
  /** The table's name, for messages. */
  readonly name: string;
  /** True when it holds no item but (perhaps) the coordinator's lease. */
  isEmpty(): Promise<boolean>;
  /** Puts every item; `onProgress` gets the count written so far. Keys must be distinct. */
  putAll(items: readonly Item[], onProgress: (written: number) => void): Promise<void>;
}

/** What a restore reports while it goes (a person is watching a terminal). */
export type RestoreProgress =
  /** The table was checked (and found empty, or `force` was given): reading starts. */
  | { readonly kind: 'reading'; readonly tableWasEmpty: boolean }
  /** Every {@link READ_PROGRESS_EVERY} changes, and once when reading is `done`. */
  | {
      readonly kind: 'read';
      readonly changes: number;
      readonly keys: number;
      readonly done: boolean;
    }
  /** An invalid message skipped (with the source's skipInvalid). */
  | { readonly kind: 'skipped'; readonly where: MessageWhere; readonly problem: string }
  /** Every {@link WRITE_PROGRESS_EVERY} items, and at the last. */
  | { readonly kind: 'wrote'; readonly written: number; readonly total: number };

export interface RestoreDeps {
  readonly source: StateChangeSource;
  readonly table: RestoreTable;
  readonly progress?: (event: RestoreProgress) => void;
}

export interface RestoreOptions {
  /**
   * Write even into a table that has items: an item is replaced by its key's latest version in
   * the topics, and kept when the topics have none or their latest is a deletion.
   */
  readonly force: boolean;
}

export interface RestoreResult {
  readonly table: string;
  /** False when `force` wrote into a table that had items. */
  readonly tableWasEmpty: boolean;
  readonly counts: RestoreCounts;
  /** Items written: the keys whose latest change is not a deletion. */
  readonly written: number;
  /** Invalid messages skipped. */
  readonly skipped: number;
  /** Messages whose ack failed (they come back to the restore's consumer group; harmless). */
  readonly unacked: number;
  /** Secrets restored as `[hidden]`: they must be set again. */
  readonly maskedSecrets: readonly MaskedSecret[];
  /** Connectors RUNNING in the topics, restored PAUSED for their masked secrets. */
  readonly pausedConnectors: readonly string[];
  /**
   * Topics read from no queue's start (the lowest offset read): the changes before it were
   * not read, so the restored state may be incomplete. A hint, not proof: a queue read from
   * its start hides the others.
   */
  readonly lateTopics: readonly { readonly topic: string; readonly lowestOffset: number }[];
  /**
   * Topics that yielded no message while another did: fine for one never written to (no
   * source offsets, say); else its consumer group started at its end, or it lost its messages.
   */
  readonly emptyTopics: readonly string[];
}

export const READ_PROGRESS_EVERY = 1_000;
export const WRITE_PROGRESS_EVERY = 250;

/**
 * Rebuilds the state table from the state topics: refuses a table that is not empty (unless
 * `force`) before reading anything, reads every change, keeps the latest of each key, and only
 * then writes, so an invalid message or a failed read leaves the table untouched. A read that
 * finds no change at all fails too: it is far more likely a consumer group that started at the
 * topics' end than a platform that never stored anything.
 *
 * @example
 * const result = await restoreState({ source, table, progress: console.error }, { force: false });
 */
export async function restoreState(
  deps: RestoreDeps,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const progress = deps.progress ?? (() => undefined);
  const tableWasEmpty = await deps.table.isEmpty();
  if (!tableWasEmpty && !options.force) throw new TableNotEmptyError(deps.table.name);
  progress({ kind: 'reading', tableWasEmpty });

  const latest = new LatestChanges();
  const readProgress = (done: boolean) =>
    progress({ kind: 'read', changes: latest.changes, keys: latest.keys, done });
  const onRead = stepped(READ_PROGRESS_EVERY, () => readProgress(false));
  const summary = await deps.source.read(
    (change) => latest.add(change),
    (event) => {
      switch (event.kind) {
        case 'received':
          onRead(latest.changes);
          return;
        case 'skipped':
          progress(event);
          return;
      }
    },
  );
  readProgress(true);
  if (latest.changes === 0) {
    throw new NothingToRestoreError(deps.source.topics, deps.source.consumerGroup, summary.skipped);
  }

  const plan = latest.plan();
  const total = plan.items.length;
  const onWrite = stepped(WRITE_PROGRESS_EVERY, (written) =>
    progress({ kind: 'wrote', written, total }),
  );
  await deps.table.putAll(plan.items, (written) => onWrite(written, written === total));
  return {
    table: deps.table.name,
    tableWasEmpty,
    counts: plan.counts,
    written: total,
    skipped: summary.skipped,
    unacked: summary.unacked,
    maskedSecrets: plan.maskedSecrets,
    pausedConnectors: plan.pausedConnectors,
    lateTopics: Object.entries(summary.lowestOffsets)
      .filter(([, lowest]) => lowest > 0)
      .map(([topic, lowestOffset]) => ({ topic, lowestOffset })),
    emptyTopics: Object.entries(summary.messagesByTopic)
      .filter(([, messages]) => messages === 0)
      .map(([topic]) => topic),
  };
}

/** Reports a growing count each time it passes a multiple of `step` (or when `last`). */
function stepped(
  step: number,
  report: (count: number) => void,
): (count: number, last?: boolean) => void {
  let next = step;
  return (count, last = false) => {
    if (count < next && !last) return;
    report(count);
    next = (Math.floor(count / step) + 1) * step;
  };
}
