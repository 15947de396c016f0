import { describe, expect, test } from 'vitest';
import { keyItem, num, str, type Item } from '../../../lib/state/attributes.js';
import { canonicalJson } from '../../../lib/state/canonical-json.js';
import { StateError } from '../../../lib/state/errors.js';
import {
  countersValue,
  ZERO_COUNTERS,
  connectorItem,
  connectorStatusItem,
  decodeItem,
  taskConfigsItem,
  taskStatusValue,
} from '../../../lib/state/items.js';
import { offsetKey, taskKey } from '../../../lib/state/keys.js';
import type { ConnectorRecord, TaskConfigsRecord, TaskStatus } from '../../../lib/state/types.js';

describe('state items', () => {
  test('a connector, its task configs and its status read back as written', () => {
    const connector: ConnectorRecord = {
      name: 'orders',
      // A key named __proto__ must stay a key, not become the prototype.
      config: Object.fromEntries([
        ['connector.class', 'X'],
        ['__proto__', 'kept as a key'],
        ['empty', ''],
      ]),
      targetState: 'PAUSED',
      version: 3,
      createdAt: 1,
      updatedAt: 2,
    };
    const decoded = decodeItem(connectorItem(connector));
    expect(decoded).toEqual({ kind: 'connector', record: connector });
    if (decoded.kind === 'connector') {
      expect(Object.keys(decoded.record.config)).toContain('__proto__');
    }

    const configs: TaskConfigsRecord = {
      connector: 'orders',
      generation: 0,
      configVersion: 3,
      tasks: [{ a: '1' }, {}],
    };
    expect(decodeItem(taskConfigsItem(configs, 5))).toEqual({
      kind: 'taskConfigs',
      record: configs,
    });

    const status = { connector: 'orders', state: 'FAILED' as const, trace: 'x', updatedAt: 9 };
    expect(decodeItem(connectorStatusItem(status))).toEqual({
      kind: 'connectorStatus',
      record: status,
    });
  });

  test('a task item gives its lease and status, holder and optional fields only when present', () => {
    const status: TaskStatus = {
      state: 'FAILED',
      trace: 't',
      restartCount: 2,
      nextRestartAt: 7,
      workerId: 'w',
      updatedAt: 3,
    };
    const item = {
      ...keyItem(taskKey('orders', 12)),
      generation: num(4),
      epoch: num(6),
      holder: str('slice-1'),
      leaseExpiresAt: num(1000),
      status: taskStatusValue(status),
    };
    expect(decodeItem(item)).toEqual({
      kind: 'task',
      record: {
        connector: 'orders',
        taskId: 12,
        generation: 4,
        lease: { holder: 'slice-1', epoch: 6, expiresAt: 1000 },
        status,
        metrics: { totals: ZERO_COUNTERS },
      },
    });
    // Counters missing from a stored map (added in a later version) read as 0.
    const counted = decodeItem({
      ...item,
      counters: { M: { sourceRecordPoll: num(5) } },
      lastSlice: {
        M: { startedAt: num(1), endedAt: num(2), counters: countersValue(ZERO_COUNTERS) },
      },
    });
    expect(counted).toMatchObject({
      record: {
        metrics: {
          totals: { ...ZERO_COUNTERS, sourceRecordPoll: 5 },
          lastSlice: { startedAt: 1, endedAt: 2, counters: ZERO_COUNTERS },
        },
      },
    });
    const free: Item = { ...item };
    delete free.holder;
    const minimal: TaskStatus = { state: 'UNASSIGNED', restartCount: 0, updatedAt: 1 };
    expect(decodeItem({ ...free, status: taskStatusValue(minimal) })).toMatchObject({
      record: { lease: { epoch: 6, expiresAt: 1000 }, status: minimal },
    });
  });

  test('an offset item reads back its partition and offset', () => {
    const partition = { db: 'd', table: 't' };
    const offset = { lsn: [1, 2], done: false };
    const key = offsetKey('orders', partition);
    const item = {
      ...keyItem(key),
      partition: str(canonicalJson(partition, 'p')),
      offset: str(canonicalJson(offset, 'o')),
    };
    expect(decodeItem(item)).toEqual({
      kind: 'offset',
      connector: 'orders',
      entry: { partition, offset },
    });
  });

  test('a corrupt item is reported with where it is and what is wrong', () => {
    const item = { ...keyItem(taskKey('orders', 1)), generation: str('zero'), epoch: num(1) };
    expect(() => decodeItem(item)).toThrow(StateError);
    expect(() => decodeItem(item)).toThrow(
      'state item connector#orders/task#0001 is corrupt: generation is not a number',
    );
    expect(decodeItem({ pk: str('someone-elses'), sk: str('x') })).toEqual({ kind: 'unknown' });
    expect(decodeItem({})).toEqual({ kind: 'unknown' });
  });
});
