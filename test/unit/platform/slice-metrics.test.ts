import { describe, expect, test } from 'vitest';
import {
  addCheckMetrics,
  addSliceMetrics,
  METRICS_NAMESPACE,
  sliceMetrics,
  sliceMetricsOf,
} from '../../../lib/platform/slice-metrics.js';
import type { SliceOutcome } from '../../../lib/runtime/slice-runner.js';
import { ZERO_COUNTERS } from '../../../lib/state/items.js';
import type { TaskCounters, TaskStatus } from '../../../lib/state/types.js';

const ran = (counters: Partial<TaskCounters>, state: TaskStatus['state'] = 'RUNNING') =>
  ({
    kind: 'ran',
    status: { state, restartCount: 0, updatedAt: 1 },
    moreWork: false,
    counters: { ...ZERO_COUNTERS, ...counters },
  }) satisfies SliceOutcome;

const valuesOf = (outcome: SliceOutcome) =>
  Object.fromEntries(sliceMetricsOf(outcome).map((m) => [m.name, m.value]));

describe('the metrics of a slice', () => {
  test.each([
    ['a source', { sourceRecordPoll: 10, sourceRecordWrite: 8 }, { RecordsIn: 10, RecordsOut: 8 }],
    ['a sink', { sinkRecordRead: 7, sinkRecordSend: 6 }, { RecordsIn: 7, RecordsOut: 6 }],
  ])('count records in and out of %s from its counters', (_, counters, expected) => {
    expect(valuesOf(ran(counters))).toMatchObject(expected);
  });

  test('count errors, dead letters and the run time; a FAILED slice counts as one failed', () => {
    const counters = { recordErrors: 3, recordRetries: 9, deadLettered: 2, sliceMillis: 1234 };
    expect(valuesOf(ran(counters))).toEqual({
      RecordsIn: 0,
      RecordsOut: 0,
      Errors: 3,
      DeadLettered: 2,
      SliceDuration: 1234,
      FailedSlices: 0,
    });
    expect(valuesOf(ran({}, 'FAILED')).FailedSlices).toBe(1);
    expect(sliceMetricsOf(ran({})).find((m) => m.name === 'SliceDuration')?.unit).toBe(
      'Milliseconds',
    );
  });

  test.each<[SliceOutcome, string]>([
    [{ kind: 'skipped', reason: 'leased elsewhere' }, 'SkippedSlices'],
    [{ kind: 'fenced' }, 'FencedSlices'],
  ])('count a slice that did not run (%o), so no invocation publishes nothing', (outcome, name) => {
    expect(sliceMetricsOf(outcome)).toEqual([{ name, unit: 'Count', value: 1 }]);
  });

  test('go to CloudWatch per connector and task, under the platform namespace', () => {
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) };
    const metrics = sliceMetrics(logger as never);
    addSliceMetrics(metrics, { connector: 'orders', taskId: 2 }, ran({}));

    const emf = metrics.serializeMetrics();
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive?.Dimensions).toEqual([['service', 'connector', 'task']]);
    expect(emf).toMatchObject({
      service: 'rocketmq-connect-task',
      connector: 'orders',
      task: '2',
      RecordsIn: 0,
      SliceDuration: 0,
    });
    expect(warnings).toEqual([]);
  });
});

describe('the metrics of a system check', () => {
  test('count the check and its problems, with no connector dimension', () => {
    const warnings: unknown[] = [];
    const metrics = sliceMetrics({ warn: (...args: unknown[]) => warnings.push(args) } as never);
    addCheckMetrics(metrics, [{ key: 'table.name', message: 'no table' }]);

    const emf = metrics.serializeMetrics();
    expect(emf._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(emf).toMatchObject({ SystemChecks: 1, SystemCheckProblems: 1 });
    expect(warnings).toEqual([]);
  });
});
