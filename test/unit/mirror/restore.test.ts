import { describe, expect, test } from 'vitest';
import { InvalidStateChangeError, TableNotEmptyError } from '../../../lib/mirror/restore-errors.js';
import {
  READ_PROGRESS_EVERY,
  restoreState,
  type RestoreProgress,
  type RestoreTable,
} from '../../../lib/mirror/restore.js';
import type { StateChangePayload } from '../../../lib/mirror/payload.js';
import type { ReadSummary, StateChangeSource } from '../../../lib/mirror/state-topic-reader.js';
import type { Item } from '../../../lib/state/attributes.js';
import { connector, put, remove, status } from './state-changes.js';

/**
 * A source replaying changes in one batch, then failing with `error` if given; it says it read
 * from the queue offsets in `lowestOffsets` (all from the start by default).
 */
class FakeSource implements StateChangeSource {
  reads = 0;

  constructor(
    private readonly changes: readonly StateChangePayload[],
    private readonly error?: Error,
    private readonly lowestOffsets: Record<string, number> = { 'connector-config-topic': 0 },
  ) {}

  read(
    onChange: Parameters<StateChangeSource['read']>[0],
    progress: Parameters<StateChangeSource['read']>[1],
  ): Promise<ReadSummary> {
    this.reads += 1;
    this.changes.forEach((change, i) =>
      onChange(change, { topic: 'connector-config-topic', messageId: `m${i}` }),
    );
    progress({ kind: 'received', messages: this.changes.length });
    if (this.error) return Promise.reject(this.error);
    return Promise.resolve({
      messages: this.changes.length,
      changes: this.changes.length,
      skipped: 0,
      unacked: 0,
      lowestOffsets: this.lowestOffsets,
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
      lateTopics: [],
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
    const source = new FakeSource([put('connector', orders, 1)], invalid);
    await expect(restoreState({ source, table }, { force: false })).rejects.toBe(invalid);
    expect(table.puts).toBe(0);
    expect(table.items.size).toBe(0);
  });

  test('names the topics that no queue was read from the start of: the state may be incomplete', async () => {
    const source = new FakeSource([put('connector', orders, 1)], undefined, {
      'connector-config-topic': 0,
      'connector-status-topic': 1_041,
    });
    const result = await restoreState({ source, table: new FakeTable() }, { force: false });
    expect(result.lateTopics).toEqual([{ topic: 'connector-status-topic', lowestOffset: 1_041 }]);
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
