import { describe, expect, test } from 'vitest';
import {
  classifyKey,
  connectorKey,
  connectorStatusKey,
  COORDINATOR_LEASE_KEY,
  offsetKey,
  parseTaskSortKey,
  partitionSortKey,
  taskConfigsKey,
  taskKey,
  taskSortKey,
} from '../../../lib/state/keys.js';

describe('state keys', () => {
  test('follow the documented layout', () => {
    expect(connectorKey('orders')).toEqual({ pk: 'connectors', sk: 'orders' });
    expect(taskConfigsKey('orders')).toEqual({ pk: 'connector#orders', sk: 'tasks' });
    expect(connectorStatusKey('orders')).toEqual({ pk: 'connector#orders', sk: 'status' });
    expect(taskKey('orders', 7)).toEqual({ pk: 'connector#orders', sk: 'task#0007' });
    expect(offsetKey('orders', { file: 'a' })).toEqual({
      pk: 'offsets#orders',
      sk: '{"file":"a"}',
    });
    expect(COORDINATOR_LEASE_KEY).toEqual({ pk: 'coordinator', sk: 'lease' });
  });

  test('task ids are zero-padded so that task items sort by id, and parse back', () => {
    const sks = [10, 2, 9999, 0].map(taskSortKey);
    expect(sks).toEqual(['task#0010', 'task#0002', 'task#9999', 'task#0000']);
    expect([...sks].sort().map(parseTaskSortKey)).toEqual([0, 2, 10, 9999]);
    expect(parseTaskSortKey('tasks')).toBeUndefined();
    expect(parseTaskSortKey('task#12')).toBeUndefined();
    expect(parseTaskSortKey('status')).toBeUndefined();
  });

  test('a partition gives the same sort key whatever the order of its keys, at any depth', () => {
    const a = partitionSortKey({ db: 'd', table: { schema: 's', name: 'n' }, shards: [2, 1] });
    const b = partitionSortKey({ table: { name: 'n', schema: 's' }, shards: [2, 1], db: 'd' });
    expect(a).toBe(b);
    expect(a).toBe('{"db":"d","shards":[2,1],"table":{"name":"n","schema":"s"}}');
    expect(partitionSortKey({ shards: [1, 2] })).not.toBe(partitionSortKey({ shards: [2, 1] }));
  });

  test('a partition too long for a sort key is keyed by its hash, still independent of key order', () => {
    const path = 'x'.repeat(1100);
    const sk = partitionSortKey({ path, host: 'h' });
    expect(sk).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(partitionSortKey({ host: 'h', path })).toBe(sk);
    expect(partitionSortKey({ host: 'i', path })).not.toBe(sk);
    // Counted in UTF-8 bytes, not characters.
    expect(partitionSortKey({ p: 'é'.repeat(600) })).toMatch(/^sha256:/);
    expect(partitionSortKey({ p: 'e'.repeat(600) })).toMatch(/^\{/);
  });

  test('a key tells what it addresses', () => {
    expect(classifyKey({ pk: 'connectors', sk: 'a#b' })).toEqual({
      kind: 'connector',
      connector: 'a#b',
    });
    expect(classifyKey(taskConfigsKey('a'))).toEqual({ kind: 'taskConfigs', connector: 'a' });
    expect(classifyKey(connectorStatusKey('a'))).toEqual({
      kind: 'connectorStatus',
      connector: 'a',
    });
    expect(classifyKey(taskKey('a#b', 3))).toEqual({ kind: 'task', connector: 'a#b', taskId: 3 });
    expect(classifyKey(offsetKey('a', { p: 1 }))).toEqual({ kind: 'offset', connector: 'a' });
    expect(classifyKey(COORDINATOR_LEASE_KEY)).toEqual({ kind: 'coordinatorLease' });
    expect(classifyKey({ pk: 'connector#a', sk: 'other' })).toEqual({ kind: 'unknown' });
    expect(classifyKey({ pk: 'elsewhere', sk: 'x' })).toEqual({ kind: 'unknown' });
  });
});
