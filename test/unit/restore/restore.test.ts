import { describe, expect, test } from 'vitest';
import { HIDDEN } from '../../../lib/config/mask.js';
import {
  InvalidStateChangeError,
  NothingToRestoreError,
  RestoreWriteError,
  TableNotEmptyError,
} from '../../../lib/restore/errors.js';
import {
  READ_PROGRESS_EVERY,
  restoreState,
  type RestoreProgress,
  type RestoreTable,
} from '../../../lib/restore/restore.js';
import type { StateChangePayload } from '../../../lib/mirror/payload.js';
import type { ReadSummary, StateChangeSource } from '../../../lib/restore/state-topic-reader.js';
import type { Item } from '../../../lib/state/attributes.js';
import { connector, put, remove, status } from './state-changes.js';

/** How a {@link FakeSource}'s read ends, and what its summary says besides the counts. */
interface FakeRead {
  /** Fail with it after handing the changes over. */
  readonly error?: Error;
  /** By default every queue was read from its start. */
  readonly lowestOffsets?: Record<string, number>;
  /** The topics read, with their messages: by default all came from the config topic. */
  readonly messagesByTopic?: Record<string, number>;
  readonly skipped?: number;
}

/** A source replaying changes in one batch, as consumer group `restore-g`. */
class FakeSource implements StateChangeSource {
  readonly consumerGroup = 'restore-g';
  readonly topics: readonly string[];
  reads = 0;

  constructor(
    private readonly changes: readonly StateChangePayload[],
    private readonly outcome: FakeRead = {},
  ) {
    this.topics = Object.keys(this.messagesByTopic);
  }

  private get messagesByTopic(): Record<string, number> {
    return this.outcome.messagesByTopic ?? { 'connector-config-topic': this.changes.length };
  }

  read(
    onChange: Parameters<StateChangeSource['read']>[0],
    progress: Parameters<StateChangeSource['read']>[1],
  ): Promise<ReadSummary> {
    this.reads += 1;
    this.changes.forEach((change, i) =>
      onChange(change, { topic: 'connector-config-topic', messageId: `m${i}` }),
    );
    progress({ kind: 'received', messages: this.changes.length });
    if (this.outcome.error) return Promise.reject(this.outcome.error);
    const skipped = this.outcome.skipped ?? 0;
    return Promise.resolve({
      messages: this.changes.length + skipped,
      changes: this.changes.length,
      skipped,
      unacked: 0,
      lowestOffsets: this.outcome.lowestOffsets ?? { 'connector-config-topic': 0 },
      messagesByTopic: this.messagesByTopic,
    });
  }
}

/** A table in memory: `items` by key. */
class FakeTable implements RestoreTable {
  readonly name = 'state-test';
  readonly items = new Map<string, Item>();
  puts = 0;

  constructor(initial: readonly Item[] = []) {
    for (const item of initial) this.items.set(`${item.pk?.S}/${item.sk?.S}`, item);
  }

  isEmpty(): Promise<boolean> {
    return Promise.resolve(this.items.size === 0);
  }

  putAll(items: readonly Item[], onProgress: (written: number) => void): Promise<void> {
    this.puts += 1;
    items.forEach((item, i) => {
      this.items.set(`${item.pk?.S}/${item.sk?.S}`, item);
      onProgress(i + 1);
    });
    return Promise.resolve();
  }
}

const orders = connector('orders', { 'connector.class': 'FileStreamSource', file: '/a' }, 1);
const ordersV2 = connector('orders', { 'connector.class': 'FileStreamSource', file: '/b' }, 2);

describe('restoring the state table', () => {
  test('writes the latest item of every key that was not deleted into an empty table', async () => {
    const table = new FakeTable();
    const source = new FakeSource([
      put('connector', ordersV2, 2),
      put('connector', orders, 1),
      put('connectorStatus', status('orders'), 3),
      put('connector', connector('gone', {}), 4),
      remove('connector', connector('gone', {}), 5),
    ]);
    const result = await restoreState({ source, table }, { force: false });
    expect([...table.items.values()]).toEqual([status('orders'), ordersV2]);
    expect(result).toEqual({
      table: 'state-test',
      tableWasEmpty: true,
      counts: { changes: 5, keys: 3, tombstones: 1, superseded: 2 },
      written: 2,
      skipped: 0,
      unacked: 0,
      maskedSecrets: [],
      pausedConnectors: [],
      lateTopics: [],
      emptyTopics: [],
    });
  });

  test('refuses a table that has items before reading anything, naming the table and --force', async () => {
    const table = new FakeTable([status('old')]);
    const source = new FakeSource([put('connector', orders, 1)]);
    const refusal = restoreState({ source, table }, { force: false });
    await expect(refusal).rejects.toBeInstanceOf(TableNotEmptyError);
    await expect(refusal).rejects.toThrow(/state-test is not empty.*--force/);
    expect(source.reads).toBe(0);
    expect(table.puts).toBe(0);
    expect([...table.items.values()]).toEqual([status('old')]);
  });

  test('with force, writes into a table that has items and says it was not empty', async () => {
    const table = new FakeTable([status('old'), orders]);
    const source = new FakeSource([put('connector', ordersV2, 2)]);
    const result = await restoreState({ source, table }, { force: true });
    expect(result.tableWasEmpty).toBe(false);
    expect(table.items.get('connectors/orders')).toEqual(ordersV2);
    expect(table.items.get('connector#old/status')).toEqual(status('old'));
  });

  test('writes nothing when reading fails on an invalid message, even after valid changes', async () => {
    const table = new FakeTable();
    const invalid = new InvalidStateChangeError(
      { topic: 'connector-config-topic', messageId: 'm9' },
      'version: must be <stream label>:<40-digit sequence number>',
    );
    const source = new FakeSource([put('connector', orders, 1)], { error: invalid });
    await expect(restoreState({ source, table }, { force: false })).rejects.toBe(invalid);
    expect(table.puts).toBe(0);
    expect(table.items.size).toBe(0);
  });

  test('names the topics that no queue was read from the start of: the state may be incomplete', async () => {
    const source = new FakeSource([put('connector', orders, 1)], {
      lowestOffsets: { 'connector-config-topic': 0, 'connector-status-topic': 1_041 },
    });
    const result = await restoreState({ source, table: new FakeTable() }, { force: false });
    expect(result.lateTopics).toEqual([{ topic: 'connector-status-topic', lowestOffset: 1_041 }]);
  });

  test('fails when no change was read at all, naming the topics and group, and writes nothing', async () => {
    const table = new FakeTable([status('old')]);
    const source = new FakeSource([], {
      messagesByTopic: { 'connector-config-topic': 0, 'connector-status-topic': 0 },
    });
    const failure = restoreState({ source, table }, { force: true });
    await expect(failure).rejects.toBeInstanceOf(NothingToRestoreError);
    await expect(failure).rejects.toThrow(
      'no state change was found in connector-config-topic, connector-status-topic as consumer ' +
        'group restore-g, so nothing was written: an empty platform has nothing to restore; ' +
        "on a broker that has run a while, a new consumer group may start at the topics' end: " +
        "reset the group's offsets to 0 (mqadmin resetOffsetByTime -g restore-g -t TOPIC -s 0, " +
        'for each topic) and run again with --group restore-g',
    );
    expect(table.puts).toBe(0);
    expect([...table.items.values()]).toEqual([status('old')]);
  });

  test('a read of only invalid messages, skipped, is a read of no change', async () => {
    const source = new FakeSource([], { skipped: 2 });
    await expect(
      restoreState({ source, table: new FakeTable() }, { force: false }),
    ).rejects.toThrow(/as consumer group restore-g \(it read only invalid messages: 2 skipped\)/);
  });

  test('names the topics that yielded no message while another did', async () => {
    const source = new FakeSource([put('connector', orders, 1)], {
      messagesByTopic: {
        'connector-config-topic': 1,
        'connector-offset-topic': 0,
        'connector-status-topic': 0,
      },
    });
    const result = await restoreState({ source, table: new FakeTable() }, { force: false });
    expect(result.emptyTopics).toEqual(['connector-offset-topic', 'connector-status-topic']);
  });

  test('restores PAUSED a running connector with a masked secret, and says so', async () => {
    const table = new FakeTable();
    const secret = connector('orders', { 'db.password': HIDDEN }, 1);
    const source = new FakeSource([
      put('connector', secret, 1),
      put('connector', connector('clean', { file: '/a' }), 2),
    ]);
    const result = await restoreState({ source, table }, { force: false });
    expect(result.pausedConnectors).toEqual(['orders']);
    expect(table.items.get('connectors/orders')?.targetState).toEqual({ S: 'PAUSED' });
    expect(table.items.get('connectors/clean')?.targetState).toEqual({ S: 'RUNNING' });
  });

  test('reports the start of reading, every thousand changes and the end, then writing', async () => {
    const changes = Array.from({ length: READ_PROGRESS_EVERY + 5 }, (_, i) =>
      put('connectorStatus', status(`c${i % 3}`), i + 1),
    );
    const events: RestoreProgress[] = [];
    await restoreState(
      { source: new FakeSource(changes), table: new FakeTable(), progress: (e) => events.push(e) },
      { force: false },
    );
    expect(events).toEqual([
      { kind: 'reading', tableWasEmpty: true },
      { kind: 'read', changes: READ_PROGRESS_EVERY + 5, keys: 3, done: false },
      { kind: 'read', changes: READ_PROGRESS_EVERY + 5, keys: 3, done: true },
      { kind: 'wrote', written: 3, total: 3 },
    ]);
  });
});

describe('the advice of a failed restore', () => {
  // The reader acks what it read before anything is written: the same group reads on from there.
  const rerun =
    'the messages read were acked, so run it again with a new consumer group (the default: ' +
    "leave out --group), or first reset the given group's offsets to 0 (mqadmin " +
    'resetOffsetByTime -g GROUP -t TOPIC -s 0, for each state topic)';

  test('an invalid message: a new group, or the given one reset to 0', () => {
    const error = new InvalidStateChangeError({ topic: 't', messageId: 'm1' }, 'format: bad');
    expect(error.message).toBe(
      'message m1 in topic t is not a valid state change: format: bad (nothing was written; ' +
        `--skip-invalid skips such messages): ${rerun}`,
    );
  });

  test('a write that failed before any item: the same, without --force', () => {
    const error = new RestoreWriteError(0, 40, 'DynamoDB failed: boom', { retriable: true });
    expect(error.message).toBe(`could not write the 40 items: DynamoDB failed: boom; ${rerun}`);
  });

  test('a write that failed part way: the same, with --force', () => {
    const error = new RestoreWriteError(25, 40, 'DynamoDB failed: boom', { retriable: true });
    expect(error.message).toBe(
      `wrote 25 of 40 items, then DynamoDB failed: boom; ${rerun}, and with --force, since the ` +
        'table now holds part of the state',
    );
  });
});
