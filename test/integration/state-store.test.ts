import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect } from 'vitest';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import {
  ConflictError,
  ConnectorExistsError,
  ConnectorNotFoundError,
  ConnectorNotStoppedError,
  FencedError,
  StaleWriteError,
  StateInputError,
} from '../../lib/state/errors.js';
import { keyItem } from '../../lib/state/attributes.js';
import {
  connectorKey,
  connectorPk,
  CONNECTORS_PK,
  taskKey,
  taskSortKey,
} from '../../lib/state/keys.js';
import { ZERO_COUNTERS } from '../../lib/state/items.js';
import type { LeaseToken, SliceReport, TaskStatus } from '../../lib/state/types.js';
import type { OffsetEntry } from '../../lib/api/source-offsets.js';
import { test as fileTest, uniqueName } from './fixtures.js';

const T0 = 1_700_000_000_000;
const TTL = 60_000;
const config = (extra: Record<string, string> = {}) => ({
  'connector.class': 'FileSource',
  'tasks.max': '2',
  ...extra,
});
const running = (updatedAt: number): TaskStatus => ({
  state: 'RUNNING',
  restartCount: 0,
  updatedAt,
});
const report = (endedAt: number): SliceReport => ({
  status: running(endedAt),
  startedAt: T0,
  endedAt,
  counters: ZERO_COUNTERS,
});
const entry = (file: string, position: number): OffsetEntry => ({
  partition: { file },
  offset: { position },
});

/** A fresh connector with task configs for `tasks` tasks, in this file's table. */
async function connectorWithTasks(store: DynamoStateStore, tasks = 1, prefix = 'conn') {
  const name = uniqueName(prefix);
  const connector = await store.createConnector(name, config(), 'RUNNING', T0);
  const configs = await store.writeTaskConfigs(
    connector,
    Array.from({ length: tasks }, (_, i) => ({ task: String(i) })),
    -1,
    T0,
  );
  return { name, generation: configs.generation, connector };
}

async function lease(
  store: DynamoStateStore,
  name: string,
  holder: string,
  now = T0,
  generation = 0,
) {
  const token = await store.acquireLease(name, 0, holder, generation, now, TTL);
  if (!token) throw new Error(`${holder} did not get the lease of ${name}/0`);
  return token;
}

async function rawTaskItem(dynamo: DynamoDBClient, table: string, token: LeaseToken) {
  const { Item } = await dynamo.send(
    new GetItemCommand({
      TableName: table,
      Key: keyItem(taskKey(token.connector, token.taskId)),
      ConsistentRead: true,
    }),
  );
  return Item;
}

const test = fileTest.extend(
  'store',
  { scope: 'file' },
  ({ dynamo, table }) => new DynamoStateStore(dynamo, table),
);

describe('DynamoStateStore leases', () => {
  test('20 concurrent acquireLease attempts on one task: exactly one wins, the others get undefined', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.acquireLease(name, 0, `slice-${i}`, 0, T0, TTL)),
    );
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ connector: name, taskId: 0, epoch: 1 });
    const task = (await store.snapshot()).tasks.find((t) => t.connector === name);
    expect(task?.lease).toEqual({ holder: winners[0]?.holder, epoch: 1, expiresAt: T0 + TTL });
    expect(task?.status).toEqual({
      state: 'RUNNING',
      restartCount: 0,
      workerId: winners[0]?.holder,
      updatedAt: T0,
    });
  });

  test('a lease is taken again when released, expired, or by its own holder, each time with a higher epoch', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const first = await lease(store, name, 'a');
    expect(await store.acquireLease(name, 0, 'b', 0, T0 + 1, TTL)).toBeUndefined();
    expect((await store.acquireLease(name, 0, 'a', 0, T0 + 1, TTL))?.epoch).toBe(2);
    // Expired: strictly past expiresAt.
    expect(await store.acquireLease(name, 0, 'b', 0, T0 + 1 + TTL, TTL)).toBeUndefined();
    const taken = await store.acquireLease(name, 0, 'b', 0, T0 + 2 + TTL, TTL);
    expect(taken?.epoch).toBe(3);
    await store.releaseLease(first); // fenced: does nothing, throws nothing
    expect(await store.acquireLease(name, 0, 'c', 0, T0 + 3 + TTL, TTL)).toBeUndefined();
    await store.releaseLease(taken as LeaseToken);
    expect((await store.acquireLease(name, 0, 'c', 0, T0 + 4 + TTL, TTL))?.epoch).toBe(4);
  });

  test('taking a lease reports the task RUNNING and keeps its restart count; renewLease extends only a current lease', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const token = await lease(store, name, 'a');
    await store.writeTaskStatus(token, {
      ...running(T0 + 5),
      state: 'RESTARTING',
      restartCount: 2,
    });
    await store.renewLease(token, T0 + 10, TTL);
    const again = await store.acquireLease(name, 0, 'a', 0, T0 + 20, TTL);
    const task = (await store.snapshot()).tasks.find((t) => t.connector === name);
    expect(task).toMatchObject({
      generation: 0,
      status: { state: 'RUNNING', restartCount: 2, workerId: 'a', updatedAt: T0 + 20 },
    });
    expect(task?.lease.expiresAt).toBe(T0 + 20 + TTL);
    await expect(store.renewLease(token, T0 + 30, TTL)).rejects.toBeInstanceOf(FencedError);
    await store.renewLease(again as LeaseToken, T0 + 30, TTL);
  });

  test('a FAILED task is not leased until its status moves on (the restart), and nothing is written meanwhile', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const token = await lease(store, name, 'a');
    const failed: TaskStatus = {
      state: 'FAILED',
      trace: 'boom',
      restartCount: 0,
      updatedAt: T0 + 1,
    };
    await store.releaseLease(token, { ...report(T0 + 1), status: failed });
    expect(await store.acquireLease(name, 0, 'b', 0, T0 + 2, TTL)).toBeUndefined();
    let task = (await store.snapshot()).tasks.find((t) => t.connector === name);
    expect(task).toMatchObject({ lease: { epoch: 1 }, status: failed });
    const restarting = { state: 'RESTARTING' as const, restartCount: 1, updatedAt: T0 + 3 };
    await store.setTaskStatus(name, 0, restarting, { epoch: 1, statusUpdatedAt: T0 + 1 });
    expect((await store.acquireLease(name, 0, 'b', 0, T0 + 4, TTL))?.epoch).toBe(2);
    task = (await store.snapshot()).tasks.find((t) => t.connector === name);
    expect(task?.status).toEqual({
      state: 'RUNNING',
      restartCount: 1,
      workerId: 'b',
      updatedAt: T0 + 4,
    });
  });

  test("releasing with a slice report stores the status and last slice and adds the slice's counters to the totals", async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const first = await lease(store, name, 'a');
    await store.releaseLease(first, {
      ...report(T0 + 100),
      counters: { ...ZERO_COUNTERS, sourceRecordPoll: 500, sourceRecordWrite: 498, slices: 1 },
      lastError: { at: T0 + 50, message: 'bad record' },
    });
    const second = (await store.acquireLease(name, 0, 'b', 0, T0 + 200, TTL)) as LeaseToken;
    await store.releaseLease(second, {
      ...report(T0 + 300),
      counters: { ...ZERO_COUNTERS, sourceRecordPoll: 7, sourceRecordWrite: 7, slices: 1 },
    });
    // A fenced release reports nothing.
    await store.releaseLease(first, {
      ...report(T0 + 400),
      counters: { ...ZERO_COUNTERS, slices: 9 },
    });
    const task = (await store.snapshot()).tasks.find((t) => t.connector === name);
    expect(task?.lease.holder).toBeUndefined();
    expect(task?.status).toEqual(running(T0 + 300));
    expect(task?.metrics).toEqual({
      totals: { ...ZERO_COUNTERS, sourceRecordPoll: 507, sourceRecordWrite: 505, slices: 2 },
      lastSlice: {
        startedAt: T0,
        endedAt: T0 + 300,
        counters: { ...ZERO_COUNTERS, sourceRecordPoll: 7, sourceRecordWrite: 7, slices: 1 },
      },
      lastError: { at: T0 + 50, message: 'bad record' },
    });
  });

  test("a fenced holder's commitOffsets and writeTaskStatus are rejected with FencedError and write nothing", async ({
    store,
    dynamo,
    table,
  }) => {
    const { name } = await connectorWithTasks(store);
    const old = await lease(store, name, 'old');
    await store.commitOffsets(old, 1, [entry('a.txt', 10)], T0);
    await store.fenceTask(name, 0, T0 + 1);
    const before = await rawTaskItem(dynamo, table, old);

    const commit = store.commitOffsets(old, 2, [entry('a.txt', 20), entry('b.txt', 5)], T0 + 2);
    await expect(commit).rejects.toBeInstanceOf(FencedError);
    await expect(commit).rejects.toThrow(
      `task 0 of connector ${name} at epoch 1 is no longer current`,
    );
    const status = store.writeTaskStatus(old, { ...running(T0 + 2), state: 'FAILED' });
    await expect(status).rejects.toBeInstanceOf(FencedError);

    expect(await store.readOffsets(name)).toEqual([entry('a.txt', 10)]);
    expect(await rawTaskItem(dynamo, table, old)).toEqual(before);
  });
});

describe('DynamoStateStore offsets', () => {
  test('offsets never go backwards: a lower or equal seq of the same lease is refused, an older lease is fenced, a newer lease commits', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const first = await lease(store, name, 'a');
    await store.commitOffsets(first, 5, [entry('f', 50)], T0);

    for (const seq of [4, 5]) {
      const late = store.commitOffsets(first, seq, [entry('g', 1), entry('f', 40)], T0);
      await expect(late).rejects.toBeInstanceOf(StaleWriteError);
      await expect(late).rejects.toThrow(/partition \{"file":"f"\} already has seq 5/);
    }
    expect(await store.readOffsets(name)).toEqual([entry('f', 50)]);

    // The task is taken over (expired lease): the older epoch can no longer commit at all,
    // even with a higher seq; the newer one commits, starting its own seq again.
    const second = await store.acquireLease(name, 0, 'b', 0, T0 + TTL + 1, TTL);
    expect(second?.epoch).toBe(2);
    await expect(store.commitOffsets(first, 6, [entry('f', 60)], T0)).rejects.toBeInstanceOf(
      FencedError,
    );
    await store.commitOffsets(second as LeaseToken, 1, [entry('f', 70)], T0 + TTL + 2);
    await store.commitOffsets(second as LeaseToken, 2, [entry('f', 80)], T0 + TTL + 3);
    expect(await store.readOffsets(name)).toEqual([entry('f', 80)]);
  });

  test('a partition moved to another task by new task configs is committed by that task, whatever the two epochs', async ({
    store,
  }) => {
    const { name, connector } = await connectorWithTasks(store, 2);
    let token: LeaseToken | undefined;
    for (let i = 0; i < 3; i++) token = await store.acquireLease(name, 1, 'b', 0, T0 + i, TTL);
    expect(token?.epoch).toBe(3);
    await store.commitOffsets(token as LeaseToken, 9, [entry('moving', 1)], T0);

    await store.writeTaskConfigs(connector, [{ files: 'moving' }], 0, T0 + 10);
    const taker = await lease(store, name, 'a', T0 + 11, 1);
    expect(taker.epoch).toBe(2); // created by the fence at 1, then leased
    await store.commitOffsets(taker, 1, [entry('moving', 2)], T0 + 12);
    expect(await store.readOffsets(name)).toEqual([entry('moving', 2)]);
  });

  test('offsets read back exactly as committed, whatever the key order of a partition, the last entry of a partition winning', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const token = await lease(store, name, 'a');
    const offset = { lsn: 12, file: 'x', nested: { list: [1, 'two', null, true], z: -0.5 } };
    await store.commitOffsets(
      token,
      1,
      [
        { partition: { table: 't', db: 'd' }, offset: { lsn: 1 } },
        { partition: { db: 'd', table: 't' }, offset },
        { partition: { db: 'd', table: 'u' }, offset: { lsn: 3 } },
      ],
      T0,
    );
    expect(await store.readOffsets(name)).toHaveLength(2);
    expect(
      await store.readOffsets(name, [{ table: 'u', db: 'd' }, { table: 't', db: 'd' }, { x: 1 }]),
    ).toEqual([
      { partition: { db: 'd', table: 'u' }, offset: { lsn: 3 } },
      { partition: { db: 'd', table: 't' }, offset },
    ]);
  });

  test('a commit of more than 99 partitions is refused with a clear error, and an empty commit writes nothing', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const token = await lease(store, name, 'a');
    const many = Array.from({ length: 100 }, (_, i) => entry(`f${i}`, i));
    await expect(store.commitOffsets(token, 1, many, T0)).rejects.toThrow(
      /cannot commit 100 partitions .* at most 99/,
    );
    await store.commitOffsets(token, 1, many.slice(0, 99), T0);
    await store.commitOffsets(token, 1, [], T0); // seq 1 again, but no write at all
    expect(await store.readOffsets(name)).toHaveLength(99);
  });

  test('alterOffsets is refused while RUNNING or PAUSED, accepted when STOPPED, and fences every lease', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store, 2);
    const token = await lease(store, name, 'a');
    await store.commitOffsets(token, 1, [entry('a', 1), entry('b', 2)], T0);
    const change = {
      kind: 'alter' as const,
      entries: [
        { partition: { file: 'a' }, offset: { position: 100 } },
        { partition: { file: 'b' }, offset: null },
        { partition: { file: 'c' }, offset: { position: 7 } },
      ],
    };
    await expect(store.alterOffsets(name, change, T0)).rejects.toBeInstanceOf(
      ConnectorNotStoppedError,
    );
    await store.setTargetState(name, 'PAUSED', T0);
    await expect(store.alterOffsets(name, change, T0)).rejects.toThrow(
      /target state is PAUSED, and offsets change only while it is STOPPED/,
    );
    await expect(store.alterOffsets(uniqueName('absent'), change, T0)).rejects.toBeInstanceOf(
      ConnectorNotFoundError,
    );
    expect(await store.readOffsets(name)).toEqual([entry('a', 1), entry('b', 2)]);

    await store.setTargetState(name, 'STOPPED', T0);
    await store.alterOffsets(name, change, T0 + 1);
    expect(await store.readOffsets(name)).toEqual([entry('a', 100), entry('c', 7)]);
    // Both tasks were fenced, task 1 (never leased) included: the old slice cannot commit.
    await expect(store.commitOffsets(token, 2, [entry('a', 3)], T0)).rejects.toBeInstanceOf(
      FencedError,
    );
    const tasks = (await store.snapshot()).tasks.filter((t) => t.connector === name);
    expect(tasks.map((t) => [t.taskId, t.lease])).toEqual([
      [0, { epoch: 2, expiresAt: 0 }],
      [1, { epoch: 1, expiresAt: 0 }],
    ]);
    // No lease while STOPPED; once RUNNING, the next slice commits over the altered offsets
    // from its first seq.
    expect(await store.acquireLease(name, 0, 'b', 0, T0 + 2, TTL)).toBeUndefined();
    await store.setTargetState(name, 'RUNNING', T0 + 2);
    const next = await lease(store, name, 'b', T0 + 2);
    await store.commitOffsets(next, 1, [entry('a', 101)], T0 + 3);
    expect(await store.readOffsets(name, [{ file: 'a' }])).toEqual([entry('a', 101)]);
  });

  test('alterOffsets reset removes every offset of the connector, more than one transaction holds', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store);
    const token = await lease(store, name, 'a');
    for (let batch = 0; batch < 3; batch++) {
      const entries = Array.from({ length: 60 }, (_, i) => entry(`f${batch}-${i}`, i));
      await store.commitOffsets(token, batch + 1, entries, T0);
    }
    expect(await store.readOffsets(name)).toHaveLength(180);
    await store.setTargetState(name, 'STOPPED', T0);
    await store.alterOffsets(name, { kind: 'reset' }, T0);
    expect(await store.readOffsets(name)).toEqual([]);
  });
});

describe('DynamoStateStore connectors', () => {
  test('creating a connector twice fails with ConnectorExistsError', async ({ store }) => {
    const name = uniqueName('twice');
    const created = await store.createConnector(name, config(), 'PAUSED', T0);
    expect(created).toEqual({
      name,
      config: config(),
      targetState: 'PAUSED',
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    });
    const again = store.createConnector(name, config({ x: 'y' }), 'RUNNING', T0 + 1);
    await expect(again).rejects.toBeInstanceOf(ConnectorExistsError);
    await expect(again).rejects.toThrow(`connector "${name}" already exists`);
    expect(await store.getConnector(name)).toEqual(created);
  });

  test('putConnectorConfig creates, then replaces with version + 1, never losing a concurrent update', async ({
    store,
  }) => {
    const name = uniqueName('put');
    const first = await store.putConnectorConfig(name, config(), T0);
    expect(first).toEqual({
      created: true,
      record: {
        name,
        config: config(),
        targetState: 'RUNNING',
        version: 1,
        createdAt: T0,
        updatedAt: T0,
      },
    });
    await store.setTargetState(name, 'PAUSED', T0 + 1); // version 2
    const puts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.putConnectorConfig(name, config({ i: String(i) }), T0 + 2),
      ),
    );
    expect(puts.map((p) => p.record.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 3),
    );
    expect(puts.every((p) => !p.created)).toBe(true);
    const stored = await store.getConnector(name);
    expect(stored).toMatchObject({ version: 12, targetState: 'PAUSED', createdAt: T0 });

    const stale = store.putConnectorConfig(name, config(), T0 + 3, 11);
    await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
    await expect(stale).rejects.toThrow(/at version 12, not the expected 11/);
    const matched = await store.putConnectorConfig(name, config({ z: '1' }), T0 + 3, 12);
    expect(matched.record).toMatchObject({ version: 13, config: config({ z: '1' }) });
    await expect(
      store.putConnectorConfig(uniqueName('absent'), config(), T0, 1),
    ).rejects.toBeInstanceOf(ConnectorNotFoundError);
    await expect(store.setTargetState(uniqueName('absent'), 'STOPPED', T0)).rejects.toBeInstanceOf(
      ConnectorNotFoundError,
    );
  });

  test('listConnectors pages through 25 connectors 10 at a time, visiting each once, and refuses a forged cursor', async ({
    store,
  }) => {
    const prefix = uniqueName('list');
    const names = Array.from({ length: 25 }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((n) => store.createConnector(n, config(), 'RUNNING', T0)));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listConnectors({ limit: 10, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((c) => c.name));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((n) => n.startsWith(prefix))).toEqual(names);
    const all = await store.listConnectors();
    expect(all.cursor).toBeUndefined();
    expect(all.items.map((c) => c.name)).toEqual(seen);

    for (const forged of [
      'not base64!',
      Buffer.from('{"pk":{"S":"other"}}').toString('base64url'),
    ]) {
      const listed = store.listConnectors({ limit: 10, cursor: forged });
      await expect(listed).rejects.toBeInstanceOf(StateInputError);
      await expect(listed).rejects.toThrow(/page cursor .* is invalid/);
    }
  });

  test('deleteConnector removes config, task configs, status and task items but keeps offsets, which a re-created connector reads and moves on', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store, 2, 'del');
    const token = await lease(store, name, 'a');
    await store.commitOffsets(token, 1, [entry('a', 5)], T0);
    await store.setConnectorStatus({ connector: name, state: 'RUNNING', updatedAt: T0 });
    await store.fenceTask(name, 1, T0);

    await store.deleteConnector(name);
    expect(await store.getConnector(name)).toBeUndefined();
    expect(await store.getTaskConfigs(name)).toBeUndefined();
    const snap = await store.snapshot();
    expect(snap.tasks.filter((t) => t.connector === name)).toEqual([]);
    expect(snap.connectorStatuses.filter((s) => s.connector === name)).toEqual([]);
    await expect(store.deleteConnector(name)).rejects.toBeInstanceOf(ConnectorNotFoundError);
    await expect(store.commitOffsets(token, 2, [entry('a', 6)], T0)).rejects.toBeInstanceOf(
      FencedError,
    );

    const again = await store.createConnector(name, config(), 'RUNNING', T0 + 1);
    await store.writeTaskConfigs(again, [{}], -1, T0 + 1);
    expect(await store.readOffsets(name)).toEqual([entry('a', 5)]);
    // Task items start again at epoch 1, yet the new slice's commit goes through.
    const next = await lease(store, name, 'b', T0 + 2);
    expect(next.epoch).toBe(1);
    await store.commitOffsets(next, 1, [entry('a', 6)], T0 + 3);
    expect(await store.readOffsets(name)).toEqual([entry('a', 6)]);
  });
});

describe('DynamoStateStore tasks and statuses', () => {
  test("writeTaskConfigs bumps the generation and fences existing leases (the old token's commit then fails); a stale expectedGeneration gets StaleWriteError", async ({
    store,
  }) => {
    const { name, generation } = await connectorWithTasks(store, 1);
    expect(generation).toBe(0);
    const token = await lease(store, name, 'a');
    const v2 = await store.putConnectorConfig(name, config({ v: '2' }), T0 + 1);
    const next = await store.writeTaskConfigs(v2.record, [{ t: '0' }, { t: '1' }], 0, T0 + 1);
    expect(next).toEqual({
      connector: name,
      generation: 1,
      configVersion: 2,
      tasks: [{ t: '0' }, { t: '1' }],
    });
    expect(await store.getTaskConfigs(name)).toEqual(next);
    await expect(store.commitOffsets(token, 1, [entry('a', 1)], T0)).rejects.toBeInstanceOf(
      FencedError,
    );
    expect(await store.readOffsets(name)).toEqual([]);

    for (const expected of [0, -1, 5]) {
      const stale = store.writeTaskConfigs(v2.record, [{}], expected, T0 + 2);
      await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
      await expect(stale).rejects.toThrow(`the expected generation was ${expected}`);
    }
    await expect(
      store.writeTaskConfigs({ name: uniqueName('absent'), version: 1, createdAt: T0 }, [], -1, T0),
    ).rejects.toBeInstanceOf(ConnectorNotFoundError);
  });

  test('setTaskStatus lands only on the epoch the coordinator read; setConnectorStatus never goes back in time', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store, 2);
    // Task 1 never had a lease: epoch 0 creates its item.
    const absent = { epoch: 0, statusUpdatedAt: undefined };
    await store.setTaskStatus(
      name,
      1,
      { state: 'UNASSIGNED', restartCount: 0, updatedAt: T0 },
      absent,
    );
    const token = await lease(store, name, 'a');
    const failed: TaskStatus = {
      state: 'FAILED',
      trace: 'boom',
      restartCount: 2,
      nextRestartAt: T0 + 9,
      updatedAt: T0,
    };
    const stale = store.setTaskStatus(name, 0, failed, absent);
    await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
    await expect(stale).rejects.toThrow(
      /its epoch is 1 and its status updatedAt 1700000000000, not the expected 0 and absent/,
    );
    await store.setTaskStatus(name, 0, failed, { epoch: token.epoch, statusUpdatedAt: T0 });
    const tasks = (await store.snapshot()).tasks.filter((t) => t.connector === name);
    expect(tasks.map((t) => [t.taskId, t.generation, t.status.state])).toEqual([
      [0, 0, 'FAILED'],
      [1, -1, 'UNASSIGNED'],
    ]);
    expect(tasks[0]?.status).toEqual(failed);

    await store.setConnectorStatus({ connector: name, state: 'RUNNING', updatedAt: T0 + 10 });
    await expect(
      store.setConnectorStatus({ connector: name, state: 'FAILED', updatedAt: T0 + 5 }),
    ).rejects.toBeInstanceOf(StaleWriteError);
    await expect(
      store.setConnectorStatus({ connector: uniqueName('absent'), state: 'FAILED', updatedAt: T0 }),
    ).rejects.toBeInstanceOf(ConnectorNotFoundError);
  });

  test('removeTasksFrom deletes only the task items of ids at or above the count', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store, 3);
    for (const taskId of [0, 1, 2]) await store.fenceTask(name, taskId, T0);
    await store.removeTasksFrom(name, 1);
    const ids = (await store.snapshot()).tasks
      .filter((t) => t.connector === name)
      .map((t) => t.taskId);
    expect(ids).toEqual([0]);
    expect(await store.getTaskConfigs(name)).toBeDefined();
  });

  test('the coordinator lease is single-flight, and only its current holder frees it', async ({
    store,
  }) => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => store.acquireCoordinatorLease(`run-${i}`, T0, TTL)),
    );
    const [winner, ...others] = results.filter((r) => r !== undefined);
    expect(others).toEqual([]);
    expect(winner).toMatchObject({ connector: '', taskId: -1 });
    const later = await store.acquireCoordinatorLease('late', T0 + TTL + 1, TTL);
    expect(later?.epoch).toBe((winner?.epoch ?? 0) + 1);
    await store.releaseCoordinatorLease(winner as LeaseToken); // fenced: a no-op
    expect(await store.acquireCoordinatorLease('other', T0 + TTL + 2, TTL)).toBeUndefined();
    await store.releaseCoordinatorLease(later as LeaseToken);
    expect(await store.acquireCoordinatorLease('other', T0 + TTL + 2, TTL)).toBeDefined();
  });

  test('snapshot returns what was written', async ({ store }) => {
    const { name } = await connectorWithTasks(store, 2, 'snap');
    const token = await lease(store, name, 'a');
    await store.writeTaskStatus(token, running(T0 + 1));
    await store.setConnectorStatus({
      connector: name,
      state: 'RUNNING',
      trace: 't',
      updatedAt: T0 + 2,
    });
    const snap = await store.snapshot();
    expect(snap.connectors.find((c) => c.name === name)).toEqual({
      name,
      config: config(),
      targetState: 'RUNNING',
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(snap.taskConfigs.find((t) => t.connector === name)).toEqual({
      connector: name,
      generation: 0,
      configVersion: 1,
      tasks: [{ task: '0' }, { task: '1' }],
    });
    expect(snap.tasks.filter((t) => t.connector === name)).toEqual([
      {
        connector: name,
        taskId: 0,
        generation: 0,
        lease: { holder: 'a', epoch: 1, expiresAt: T0 + TTL },
        status: running(T0 + 1),
        metrics: { totals: ZERO_COUNTERS },
      },
    ]);
    expect(snap.connectorStatuses.find((s) => s.connector === name)).toEqual({
      connector: name,
      state: 'RUNNING',
      trace: 't',
      updatedAt: T0 + 2,
    });
  });
});

describe('DynamoStateStore review fixes', () => {
  test("setTaskStatus never overwrites a status the slice wrote after the coordinator's read, and with fence also fences in the same write", async ({
    store,
    dynamo,
    table,
  }) => {
    const { name } = await connectorWithTasks(store);
    const token = await lease(store, name, 'a');
    // The coordinator read epoch 1 and the initial status (updatedAt T0)...
    const read = { epoch: token.epoch, statusUpdatedAt: T0 };
    // ...then the slice reported, under the same lease.
    await store.writeTaskStatus(token, running(T0 + 5));
    const failed: TaskStatus = {
      state: 'FAILED',
      trace: 'lost',
      restartCount: 1,
      updatedAt: T0 + 6,
    };
    const stale = store.setTaskStatus(name, 0, failed, read, { fence: true });
    await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
    await expect(stale).rejects.toThrow(/its epoch is 1 and its status updatedAt 1700000000005/);
    const before = await rawTaskItem(dynamo, table, token);
    expect(before?.holder?.S).toBe('a');
    expect(before?.status?.M?.state?.S).toBe('RUNNING');

    // From a fresh read it lands, and fences: epoch + 1, holder removed, the slice is stopped.
    await store.setTaskStatus(
      name,
      0,
      failed,
      { epoch: 1, statusUpdatedAt: T0 + 5 },
      { fence: true },
    );
    const task = (await store.snapshot()).tasks.find((t) => t.connector === name);
    expect(task?.lease).toEqual({ epoch: 2, expiresAt: 0 });
    expect(task?.status).toEqual(failed);
    await expect(store.writeTaskStatus(token, running(T0 + 7))).rejects.toBeInstanceOf(FencedError);
    // A fenced status write on a task that has no item yet creates it at epoch 1.
    const other = await connectorWithTasks(store, 2);
    await store.setTaskStatus(
      other.name,
      1,
      failed,
      { epoch: 0, statusUpdatedAt: undefined },
      { fence: true },
    );
    const created = (await store.snapshot()).tasks.find((t) => t.connector === other.name);
    expect(created).toMatchObject({ taskId: 1, generation: -1, lease: { epoch: 1, expiresAt: 0 } });
  });

  test('writeTaskConfigs refuses tasks computed from an older config or from a connector since deleted and re-created', async ({
    store,
  }) => {
    const { name, connector } = await connectorWithTasks(store, 1);
    await store.setTargetState(name, 'PAUSED', T0 + 1); // version 2
    const old = store.writeTaskConfigs(connector, [{ t: 'old' }], 0, T0 + 2);
    await expect(old).rejects.toBeInstanceOf(StaleWriteError);
    await expect(old).rejects.toThrow(
      new RegExp(
        `computed from version 1 \\(created at ${T0}\\), but the connector is now at version 2`,
      ),
    );

    await store.deleteConnector(name);
    const recreated = await store.createConnector(name, config({ x: 'new' }), 'RUNNING', T0 + 3);
    expect(recreated.version).toBe(1); // same version as the old snapshot, other createdAt
    const ghost = store.writeTaskConfigs(connector, [{ t: 'old' }], -1, T0 + 4);
    await expect(ghost).rejects.toBeInstanceOf(StaleWriteError);
    await expect(ghost).rejects.toThrow(/deleted and re-created/);
    expect(await store.getTaskConfigs(name)).toBeUndefined();
    const written = await store.writeTaskConfigs(recreated, [{ t: 'new' }], -1, T0 + 4);
    expect(written).toMatchObject({ generation: 0, configVersion: 1, tasks: [{ t: 'new' }] });
  });

  test('acquireLease quietly refuses a paused, stopped or deleted connector, another generation and a task id beyond the task configs, creating nothing', async ({
    store,
    dynamo,
    table,
  }) => {
    const { name } = await connectorWithTasks(store, 2);
    const acquire = (taskId: number, generation = 0) =>
      store.acquireLease(name, taskId, 'q', generation, T0, TTL);
    expect(await acquire(1, 1)).toBeUndefined(); // generation 1 does not exist
    expect(await acquire(2)).toBeUndefined(); // two tasks: ids 0 and 1
    for (const state of ['PAUSED', 'STOPPED'] as const) {
      await store.setTargetState(name, state, T0);
      expect(await acquire(0)).toBeUndefined();
    }
    await store.setTargetState(name, 'RUNNING', T0);
    expect((await acquire(1))?.epoch).toBe(1);

    await store.deleteConnector(name);
    expect(await acquire(0)).toBeUndefined();
    const orphan = { connector: name, taskId: 0, holder: 'q', epoch: 1 };
    expect(await rawTaskItem(dynamo, table, orphan)).toBeUndefined();
    expect(await rawTaskItem(dynamo, table, { ...orphan, taskId: 2 })).toBeUndefined();
  });

  test('concurrent acquisitions of different tasks of one connector all succeed', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store, 8);
    const tokens = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.acquireLease(name, i, `s-${i}`, 0, T0, TTL)),
    );
    expect(tokens.map((t) => t?.epoch)).toEqual(Array.from({ length: 8 }, () => 1));
  });

  test('a transaction cancelled by a concurrent transaction is a retriable ConflictError', async ({
    store,
  }) => {
    const { name } = await connectorWithTasks(store, 1);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.fenceTask(name, 0, T0 + i)),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ConflictError);
      expect((failure as ConflictError).retriable).toBe(true);
      expect((failure as ConflictError).message).toContain(`fence task 0 of connector ${name}`);
    }
    const epoch = (await store.snapshot()).tasks.find((t) => t.connector === name)?.lease.epoch;
    expect(epoch).toBe(results.length - failures.length);
  });

  test('a coordinator run request is taken once, and only by the current coordinator lease', async ({
    store,
  }) => {
    const now = T0 + 100 * TTL; // past any coordinator lease of the other tests
    const token = await store.acquireCoordinatorLease('coord', now, TTL);
    if (!token) throw new Error('no coordinator lease');
    expect(await store.takeCoordinatorRunRequest(token)).toBe(false);
    await store.requestCoordinatorRun(now + 1);
    await store.requestCoordinatorRun(now + 2);
    expect(await store.takeCoordinatorRunRequest(token)).toBe(true);
    expect(await store.takeCoordinatorRunRequest(token)).toBe(false);

    await store.requestCoordinatorRun(now + 3);
    const next = await store.acquireCoordinatorLease('next', now + 2 * TTL, TTL);
    expect(next?.epoch).toBe(token.epoch + 1);
    await expect(store.takeCoordinatorRunRequest(token)).rejects.toBeInstanceOf(FencedError);
    // The request survived the change of holder and is the new holder's to take.
    expect(await store.takeCoordinatorRunRequest(next as LeaseToken)).toBe(true);
    await store.releaseCoordinatorLease(next as LeaseToken);
  });

  test('snapshot skips and reports an item that fails to decode instead of failing', async ({
    store,
    dynamo,
    table,
  }) => {
    const { name } = await connectorWithTasks(store, 1);
    await lease(store, name, 'a');
    const { name: corrupt } = await connectorWithTasks(store, 1, 'corrupt');
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: connectorPk(corrupt) },
          sk: { S: taskSortKey(0) },
          epoch: { S: 'not a number' },
        },
      }),
    );
    const snap = await store.snapshot();
    expect(snap.skipped).toContainEqual({
      pk: connectorPk(corrupt),
      sk: taskSortKey(0),
      reason: expect.stringMatching(/is corrupt: .* is not a number/),
    });
    expect(snap.tasks.filter((t) => t.connector === corrupt)).toEqual([]);
    expect(snap.taskConfigs.filter((t) => t.connector === corrupt)).toHaveLength(1);
    expect(snap.tasks.filter((t) => t.connector === name)).toHaveLength(1);
  });

  test('snapshot skips a corrupt connector item, and plans nothing from its partition', async ({
    store,
    dynamo,
    table,
  }) => {
    const { name } = await connectorWithTasks(store, 1, 'broken');
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: { ...keyItem(connectorKey(name)), version: { S: 'not a number' } },
      }),
    );
    const snap = await store.snapshot();
    expect(snap.skipped).toContainEqual({
      pk: CONNECTORS_PK,
      sk: name,
      reason: expect.stringMatching(/is corrupt/),
    });
    expect(snap.connectors.filter((c) => c.name === name)).toEqual([]);
    expect(snap.taskConfigs.filter((t) => t.connector === name)).toEqual([]);
  });

  test('snapshot lists connectors by name and tasks by connector and id, without offsets or task items of connectors that are gone', async ({
    store,
    dynamo,
    table,
  }) => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await connectorWithTasks(store, 3, 'sorted'));
    for (const { name } of created) {
      // Leased last to first: the snapshot sorts, whatever the order of the writes.
      for (const taskId of [2, 1]) await store.acquireLease(name, taskId, 'a', 0, T0, TTL);
      const token = await lease(store, name, 'a');
      await store.commitOffsets(token, 1, [entry('f', 1), entry('g', 2)], T0);
    }
    // A task item left in the partition of a connector that has no config item.
    const gone = uniqueName('gone');
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...keyItem(taskKey(gone, 0)),
          generation: { N: '0' },
          epoch: { N: '1' },
          status: {
            M: { state: { S: 'RUNNING' }, restartCount: { N: '0' }, updatedAt: { N: '1' } },
          },
        },
      }),
    );
    const snap = await store.snapshot();
    const names = snap.connectors.map((c) => c.name);
    expect(names).toEqual([...names].sort());
    const ids = snap.tasks.map((t) => [t.connector, t.taskId] as const);
    expect(ids).toEqual([...ids].sort(([a, i], [b, j]) => (a < b ? -1 : a > b ? 1 : i - j)));
    for (const { name } of created) {
      expect(snap.tasks.filter((t) => t.connector === name).map((t) => t.taskId)).toEqual([
        0, 1, 2,
      ]);
    }
    expect(snap.tasks.filter((t) => t.connector === gone)).toEqual([]);
  });
});
