import { describe, expect, test } from 'vitest';
import { HIDDEN } from '../../../lib/config/mask.js';
import { stateChangePayloadSchema } from '../../../lib/mirror/payload.js';
import { LatestChanges, planRestore } from '../../../lib/restore/restore-plan.js';
import {
  SECOND_TABLE,
  connector,
  offset,
  put,
  remove,
  status,
  taskConfigs,
} from './state-changes.js';

/** Every order of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const v1 = connector('orders', { 'connector.class': 'FileStreamSource', file: '/a' }, 1);
const v2 = connector('orders', { 'connector.class': 'FileStreamSource', file: '/b' }, 2);
const v3 = connector('orders', { 'connector.class': 'FileStreamSource', file: '/c' }, 3);

describe('planning a restore from state changes', () => {
  test('the latest version of a key wins whatever order the changes arrive in', () => {
    const changes = [
      put('connector', v1, 10),
      put('connector', v2, 20),
      put('connector', v3, 30),
      put('offset', offset('orders', '/a', 7), 15),
    ];
    for (const order of permutations(changes)) {
      const plan = planRestore(order);
      expect(plan.items).toEqual([v3, offset('orders', '/a', 7)]);
      expect(plan.counts).toEqual({ changes: 4, keys: 2, tombstones: 0, superseded: 2 });
    }
  });

  test('a change from a table created later wins over any sequence number of the older table', () => {
    const plan = planRestore([
      put('connector', v2, 1, SECOND_TABLE),
      put('connector', v1, 999_999_999),
    ]);
    expect(plan.items).toEqual([v2]);
  });

  test('the items are exactly the items that were mirrored, numbers, lists and maps included', () => {
    const tasks = taskConfigs('orders', [{ a: '1' }, { b: '2' }]);
    const failed = status('orders', 'boom');
    const plan = planRestore([put('taskConfigs', tasks, 1), put('connectorStatus', failed, 2)]);
    // By pk, then sk: `status` before `tasks`.
    expect(plan.items).toEqual([failed, tasks]);
  });

  test('a key whose latest change is a tombstone is not written, and is counted', () => {
    const plan = planRestore([
      put('connector', v1, 10),
      remove('connector', v1, 11),
      put('connectorStatus', status('orders'), 12),
    ]);
    expect(plan.items).toEqual([status('orders')]);
    expect(plan.counts).toEqual({ changes: 3, keys: 2, tombstones: 1, superseded: 1 });
  });

  test('a tombstone older than the latest put does not delete the item', () => {
    const plan = planRestore([put('connector', v2, 20), remove('connector', v1, 11)]);
    expect(plan.items).toEqual([v2]);
    expect(plan.counts.tombstones).toBe(0);
  });

  test('duplicates of a change count once as a key and are ignored after that', () => {
    const change = put('connector', v1, 10);
    const plan = planRestore([change, { ...change }, { ...change }]);
    expect(plan.items).toEqual([v1]);
    expect(plan.counts).toEqual({ changes: 3, keys: 1, tombstones: 0, superseded: 2 });
  });

  test('keys are told apart by pk and sk together, even when their joined text is the same', () => {
    const a = { ...status('x'), pk: { S: 'connector#x/y' }, sk: { S: 'status' } };
    const b = { ...status('x'), pk: { S: 'connector#x' }, sk: { S: 'y/status' } };
    const plan = planRestore([put('connectorStatus', a, 1), put('connectorStatus', b, 2)]);
    expect(plan.counts.keys).toBe(2);
  });

  test('a growing fold reports its changes and keys as it goes', () => {
    const latest = new LatestChanges();
    latest.add(put('connector', v1, 1));
    latest.add(put('connector', v2, 2));
    expect([latest.changes, latest.keys]).toEqual([2, 1]);
  });

  test('no changes plan no items', () => {
    expect(planRestore([])).toEqual({
      items: [],
      counts: { changes: 0, keys: 0, tombstones: 0, superseded: 0 },
      maskedSecrets: [],
      pausedConnectors: [],
    });
  });
});

describe('masked secrets', () => {
  test('config values and task config values that read [hidden] are listed with their connector', () => {
    const plan = planRestore([
      put('connector', connector('orders', { 'db.password': HIDDEN, user: 'app' }), 1),
      put('taskConfigs', taskConfigs('orders', [{ user: 'app' }, { 'db.password': HIDDEN }]), 2),
    ]);
    expect(plan.maskedSecrets).toEqual([
      {
        key: { pk: 'connector#orders', sk: 'tasks' },
        connector: 'orders',
        path: 'tasks[1].db.password',
      },
      { key: { pk: 'connectors', sk: 'orders' }, connector: 'orders', path: 'config.db.password' },
    ]);
    // They are restored as they were published: the mask cannot be undone (the connector is
    // paused for it, below).
    expect(plan.items).toContainEqual(
      connector('orders', { 'db.password': HIDDEN, user: 'app' }, 1, 'PAUSED'),
    );
  });

  test('references to where a secret lives are not masked secrets', () => {
    const config = { 'db.password': '${env:DB_PASSWORD}', 'api.token': '${ssm:/connect/token}' };
    expect(planRestore([put('connector', connector('orders', config), 1)]).maskedSecrets).toEqual(
      [],
    );
  });

  test('only the latest live version counts, and [hidden] outside a config is data', () => {
    const secret = connector('orders', { 'db.password': HIDDEN }, 1);
    const plan = planRestore([
      put('connector', secret, 1),
      put('connector', v2, 2),
      put('connector', connector('gone', { 'db.password': HIDDEN }), 3),
      remove('connector', connector('gone', {}), 4),
      put('connectorStatus', status('orders', HIDDEN), 5),
    ]);
    expect(plan.maskedSecrets).toEqual([]);
  });
});

describe('connectors with masked secrets', () => {
  const secret = { 'db.password': HIDDEN, user: 'app' };

  test('a running connector with a masked secret in its config is restored PAUSED, nothing else changed', () => {
    const plan = planRestore([put('connector', connector('orders', secret, 3), 1)]);
    expect(plan.items).toEqual([connector('orders', secret, 3, 'PAUSED')]);
    expect(plan.pausedConnectors).toEqual(['orders']);
  });

  test('a masked secret in its task configs only pauses it too', () => {
    const plan = planRestore([
      put('connector', connector('orders', { user: 'app' }), 1),
      put('taskConfigs', taskConfigs('orders', [{ 'db.password': HIDDEN }]), 2),
    ]);
    expect(plan.items).toContainEqual(connector('orders', { user: 'app' }, 1, 'PAUSED'));
    expect(plan.pausedConnectors).toEqual(['orders']);
  });

  test('stopped and paused connectors stay as they are, and so do connectors without secrets', () => {
    const plan = planRestore([
      put('connector', connector('stopped', secret, 1, 'STOPPED'), 1),
      put('connector', connector('paused', secret, 1, 'PAUSED'), 2),
      put('connector', connector('clean', { user: 'app' }), 3),
      // Masked task configs of a connector that is gone pause nothing.
      put('taskConfigs', taskConfigs('gone', [{ 'db.password': HIDDEN }]), 4),
    ]);
    expect(plan.items).toEqual(
      expect.arrayContaining([
        connector('stopped', secret, 1, 'STOPPED'),
        connector('paused', secret, 1, 'PAUSED'),
        connector('clean', { user: 'app' }),
      ]),
    );
    expect(plan.pausedConnectors).toEqual([]);
  });
});

// Keep the helper honest: a payload made here is what the schema accepts.
test('the test payloads are valid state changes', () => {
  const change = put('connector', v1, 1);
  expect(stateChangePayloadSchema.parse(JSON.parse(JSON.stringify(change)))).toEqual(change);
});
