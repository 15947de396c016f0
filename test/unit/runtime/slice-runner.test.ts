import { describe, expect, test } from 'vitest';
import { envOnlyProviders } from '../../../lib/config/provider-adapters.js';
import { runSlice, type SliceDeps, type SliceStore } from '../../../lib/runtime/slice-runner.js';
import type { AcquiredLease, SliceReport } from '../../../lib/state/types.js';
import { FakeClock, FakeProducer, registry } from './fake-ports.js';

const lease: AcquiredLease = {
  connector: 'gen',
  taskId: 0,
  holder: 'h',
  epoch: 1,
  restartCount: 2,
};

/** A slice of a datagen task of `count` records, on a store whose writes `releaseLease` decides. */
function setup(
  count: number,
  releaseLease: (report: SliceReport) => Promise<void>,
  extra: Partial<SliceDeps> = {},
) {
  const reports: SliceReport[] = [];
  const store: SliceStore = {
    getTaskConfigs: () =>
      Promise.resolve({
        connector: 'gen',
        generation: 0,
        configVersion: 1,
        tasks: [
          {
            'connector.class': 'datagen',
            topic: 'out',
            count: String(count),
            'poll.interval.ms': '0',
          },
        ],
      }),
    acquireLease: () => Promise.resolve(lease),
    readOffsets: () => Promise.resolve([]),
    commitOffsets: () => Promise.resolve(),
    renewLease: () => Promise.resolve(),
    releaseLease: (_token, report) => {
      if (report) reports.push(report);
      return report ? releaseLease(report) : Promise.resolve();
    },
  };
  const producer = new FakeProducer();
  const deps: SliceDeps = {
    store,
    registry,
    messaging: {
      producer: () => Promise.resolve(producer),
      consumer: () => Promise.reject(new Error('no consumer in these tests')),
    },
    providers: envOnlyProviders({}),
    dispatcher: { dispatch: () => Promise.resolve() },
    clock: new FakeClock(),
    log: { info: () => undefined, warn: () => undefined },
    ...extra,
  };
  const run = () =>
    runSlice(
      { connector: 'gen', taskId: 0, generation: 0 },
      { holderId: 'h', remainingMs: 900_000 },
      deps,
    );
  return { run, reports, producer };
}

describe('runSlice', () => {
  test('reports a clean slice that moved records RUNNING with its restart count started over', async () => {
    const { run, reports, producer } = setup(3, () => Promise.resolve());

    expect(await run()).toMatchObject({
      kind: 'ran',
      status: { state: 'RUNNING', restartCount: 0 },
    });
    expect(producer.sent).toHaveLength(3);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.counters).toMatchObject({
      sourceRecordPoll: 3,
      sourceRecordWrite: 3,
      slices: 1,
    });
  });

  test('a state table that refuses the report fails the invocation (to be retried), never the task', async () => {
    const { run, reports } = setup(3, () => Promise.reject(new Error('DynamoDB unreachable')));

    await expect(run()).rejects.toThrow('DynamoDB unreachable');
    // One report, RUNNING: the refused write was not turned into a FAILED status.
    expect(reports.map((r) => r.status.state)).toEqual(['RUNNING']);
  });

  test('a slice that moved nothing keeps the restart count, so a failure after it backs off further', async () => {
    const { run } = setup(0, () => Promise.resolve());

    expect(await run()).toMatchObject({
      status: { state: 'RUNNING', restartCount: 2 },
      moreWork: false,
    });
  });

  test('tells the lease epoch before the task runs, and answers the counters it reported', async () => {
    const sentAtLease: number[] = [];
    const { run, reports, producer } = setup(3, () => Promise.resolve(), {
      onLease: (epoch) => {
        expect(epoch).toBe(lease.epoch);
        sentAtLease.push(producer.sent.length);
      },
    });

    const outcome = await run();
    expect(sentAtLease).toEqual([0]);
    expect(outcome).toMatchObject({ kind: 'ran', counters: reports[0]?.counters });
    expect(outcome.kind === 'ran' && outcome.counters.sourceRecordWrite).toBe(3);
  });
});
