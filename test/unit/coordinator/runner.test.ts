import { describe, expect, test } from 'vitest';
import { InProcessSliceDispatcher } from '../../../lib/coordinator/dispatch.js';
import { runCoordinator, type CoordinatorStore } from '../../../lib/coordinator/runner.js';
import { StaleWriteError } from '../../../lib/state/errors.js';
import type {
  ConnectorRecord,
  LeaseToken,
  StateSnapshot,
  TaskConfigsRecord,
} from '../../../lib/state/types.js';

const NOW = 1_800_000_000_000;

function connector(name: string): ConnectorRecord {
  return {
    name,
    config: { 'connector.class': 'Test', 'tasks.max': '2' },
    targetState: 'RUNNING',
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

/**
 * The coordinator's port, in memory: it records what the runner does with it. (The real
 * store is tested against DynamoDB Local; this is about the runner's own decisions.)
 */
class RecordingStore implements CoordinatorStore {
  readonly calls: string[] = [];
  leaseHeld = false;
  heldUntil = NOW + 60_000;
  runRequests = 0;
  released = 0;
  failWritesOf = new Set<string>();
  snapshotError: Error | undefined;

  constructor(private readonly state: StateSnapshot) {}

  acquireCoordinatorLease(holder: string, now: number): Promise<LeaseToken | undefined> {
    if (this.leaseHeld && now <= this.heldUntil) return Promise.resolve(undefined);
    this.leaseHeld = true;
    return Promise.resolve({ connector: '', taskId: -1, holder, epoch: 1 });
  }
  renewCoordinatorLease(): Promise<void> {
    this.calls.push('renew');
    return Promise.resolve();
  }
  readCoordinatorLease(): Promise<{ holder: string; expiresAt: number } | undefined> {
    // Held by a live run: its lease reaches far ahead.
    return Promise.resolve(
      this.leaseHeld ? { holder: 'other', expiresAt: this.heldUntil } : undefined,
    );
  }
  releaseCoordinatorLease(): Promise<void> {
    this.leaseHeld = false;
    this.released++;
    return Promise.resolve();
  }
  requestCoordinatorRun(): Promise<void> {
    this.runRequests++;
    return Promise.resolve();
  }
  takeCoordinatorRunRequest(): Promise<boolean> {
    const requested = this.runRequests > 0;
    this.runRequests = 0;
    return Promise.resolve(requested);
  }
  snapshot(): Promise<StateSnapshot> {
    this.calls.push('snapshot');
    return this.snapshotError ? Promise.reject(this.snapshotError) : Promise.resolve(this.state);
  }
  writeTaskConfigs(c: { readonly name: string }): Promise<TaskConfigsRecord> {
    this.calls.push(`writeTaskConfigs ${c.name}`);
    if (this.failWritesOf.has(c.name)) {
      return Promise.reject(new StaleWriteError(c.name, `${c.name}: the config changed meanwhile`));
    }
    return Promise.resolve({ connector: c.name, generation: 0, configVersion: 1, tasks: [] });
  }
  removeTasksFrom(name: string): Promise<void> {
    this.calls.push(`removeTasksFrom ${name}`);
    return Promise.resolve();
  }
  setTaskStatus(name: string): Promise<void> {
    this.calls.push(`setTaskStatus ${name}`);
    return Promise.resolve();
  }
  setConnectorStatus(status: { connector: string }): Promise<void> {
    this.calls.push(`setConnectorStatus ${status.connector}`);
    return Promise.resolve();
  }
}

const twoTasks = () => [{ a: '1' }, { a: '2' }];
const snapshotOf = (...names: string[]): StateSnapshot => ({
  connectors: names.map(connector),
  taskConfigs: [],
  tasks: [],
  connectorStatuses: [],
});

function deps(store: RecordingStore, extra: { deadline?: number } = {}) {
  const dispatcher = new InProcessSliceDispatcher(() => Promise.resolve());
  return {
    dispatcher,
    deps: {
      store,
      dispatcher,
      taskConfigsFor: twoTasks,
      holderId: 'run-1',
      now: () => NOW,
      deadline: extra.deadline ?? NOW + 30_000,
    },
  };
}

describe('the coordinator runner', () => {
  test('applies each connector in order: task configs, then slices, then status', async () => {
    const store = new RecordingStore(snapshotOf('a'));
    const { deps: d, dispatcher } = deps(store);
    const report = await runCoordinator(d);
    expect(report).toEqual({
      ran: true,
      passes: 1,
      connectors: 1,
      applied: { writeTaskConfigs: 1, dispatch: 2, setConnectorStatus: 1 },
      deferred: 0,
      errors: [],
      busy: false,
    });
    expect(store.calls).toEqual(['snapshot', 'writeTaskConfigs a', 'setConnectorStatus a']);
    expect(dispatcher.dispatched).toEqual([
      { connector: 'a', taskId: 0, generation: 0 },
      { connector: 'a', taskId: 1, generation: 0 },
    ]);
    expect(store.released).toBe(1);
  });

  test('a refused write defers the rest of that connector only, and says why', async () => {
    const store = new RecordingStore(snapshotOf('a', 'b'));
    store.failWritesOf.add('a');
    const { deps: d, dispatcher } = deps(store);
    const report = await runCoordinator(d);
    expect(report.deferred).toBe(4); // a's task configs, its two slices and its status
    expect(report.errors).toEqual([
      expect.stringContaining('a: writeTaskConfigs failed: StaleWriteError'),
    ]);
    expect(dispatcher.dispatched.map((r) => r.connector)).toEqual(['b', 'b']);
    expect(store.calls).toContain('setConnectorStatus b');
    expect(store.calls).not.toContain('setConnectorStatus a');
  });

  test('a run that finds the lease taken asks the holder for another pass and does nothing', async () => {
    const store = new RecordingStore(snapshotOf('a'));
    store.leaseHeld = true;
    const { deps: d, dispatcher } = deps(store);
    expect(await runCoordinator(d)).toMatchObject({ ran: false, passes: 0 });
    expect(store.runRequests).toBe(1);
    expect(store.calls).toEqual([]);
    expect(dispatcher.dispatched).toEqual([]);
  });

  test('a change signalled during a pass gets another pass before the lease is released', async () => {
    const store = new RecordingStore(snapshotOf('a'));
    store.runRequests = 1; // as if a wake-up arrived while this run was planning
    const { deps: d } = deps(store);
    expect(await runCoordinator(d)).toMatchObject({ ran: true, passes: 2 });
    expect(store.calls.filter((c) => c === 'snapshot')).toHaveLength(2);
  });

  test('past its deadline the run applies nothing more and leaves it to the next run', async () => {
    const store = new RecordingStore(snapshotOf('a'));
    const { deps: d, dispatcher } = deps(store, { deadline: NOW });
    const report = await runCoordinator(d);
    expect(report).toMatchObject({ ran: true, deferred: 4, applied: {} });
    expect(dispatcher.dispatched).toEqual([]);
    expect(store.released).toBe(1);
  });

  test('a lease held by a run that stopped renewing it is waited out and taken, not left to the schedule', async () => {
    const store = new RecordingStore(snapshotOf('a'));
    store.leaseHeld = true;
    store.heldUntil = NOW + 3_000; // less than half the ttl left: its renewals stopped
    let clock = NOW;
    const slept: number[] = [];
    const { deps: d, dispatcher } = deps(store);
    const report = await runCoordinator({
      ...d,
      now: () => clock,
      sleep: (ms) => {
        slept.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    });
    expect(report).toMatchObject({ ran: true, passes: 1 });
    expect(slept).toEqual([3_020]);
    expect(dispatcher.dispatched).toHaveLength(2);
  });

  test('ticking, it plans again every tick while a connector runs, renews its lease, and ends busy at its deadline', async () => {
    const store = new RecordingStore(snapshotOf('a'));
    let clock = NOW;
    const { deps: d } = deps(store, { deadline: NOW + 10_000 });
    const report = await runCoordinator({
      ...d,
      now: () => clock,
      tickMs: 2_000,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    });
    expect(report).toMatchObject({ ran: true, passes: 5, busy: true });
    expect(store.calls.filter((c) => c === 'snapshot')).toHaveLength(5);
    expect(store.calls.filter((c) => c === 'renew')).toHaveLength(2); // at 4 s and 8 s: a quarter of the ttl apart
    expect(store.released).toBe(1);
  });

  test('ticking, it ends as soon as nothing runs', async () => {
    const stopped = { ...snapshotOf('a'), connectors: [] };
    const store = new RecordingStore(stopped);
    const { deps: d } = deps(store);
    expect(await runCoordinator({ ...d, tickMs: 2_000 })).toMatchObject({
      passes: 1,
      busy: false,
    });
  });

  test('the lease is released even when reading the state fails', async () => {
    const store = new RecordingStore(snapshotOf('a'));
    store.snapshotError = new Error('DynamoDB unavailable');
    const { deps: d } = deps(store);
    await expect(runCoordinator(d)).rejects.toThrow('DynamoDB unavailable');
    expect(store.released).toBe(1);
    expect(store.leaseHeld).toBe(false);
  });
});
