import { describe, expect, it } from 'vitest';
import type { ConnectorMetrics, TaskMetrics } from '../../../console/src/api-types.js';
import { amountsOf, RateHistory } from '../../../console/src/rates.js';
import { counters } from './samples.js';

const T0 = 1_000_000_000_000; // a bucket boundary (divisible by 5,000)

const written = (records: number, errors = 0) =>
  counters({ source_record_write: records, record_errors: errors });

function sample(at: number, tasks: TaskMetrics[]): ConnectorMetrics {
  return { name: 'c', type: 'source', sampled_at: at, tasks };
}

function task(
  records: number,
  lastSlice?: { from: number; to: number; records: number; errors?: number },
  errors = 0,
): TaskMetrics {
  return {
    id: 0,
    totals: written(records, errors),
    ...(lastSlice && {
      last_slice: {
        started_at: lastSlice.from,
        ended_at: lastSlice.to,
        counters: written(lastSlice.records, lastSlice.errors ?? 0),
      },
    }),
  };
}

const sum = (history: RateHistory, now: number) =>
  history.points(now).reduce((s, p) => s + p.recordsPerSecond * (history.bucketMs / 1000), 0);

describe('amountsOf', () => {
  it('counts what a source wrote and what a sink flushed', () => {
    const c = counters({ source_record_write: 5, sink_record_send: 7, record_errors: 2 });
    expect(amountsOf('source', c)).toEqual({ records: 5, errors: 2 });
    expect(amountsOf('sink', c)).toEqual({ records: 7, errors: 2 });
    expect(amountsOf('unknown', c)).toEqual({ records: 12, errors: 2 });
    expect(amountsOf('sink', counters())).toEqual({ records: 0, errors: 0 });
  });
});

describe('RateHistory', () => {
  it('charts the first poll’s last slice over the time it ran', () => {
    const history = new RateHistory();
    history.add(sample(T0 + 20_000, [task(1000, { from: T0, to: T0 + 10_000, records: 1000 })]));
    const points = history.points(T0 + 20_000);
    const byStart = new Map(points.map((p) => [p.start, p.recordsPerSecond]));
    expect(byStart.get(T0)).toBe(100);
    expect(byStart.get(T0 + 5_000)).toBe(100);
    expect(byStart.get(T0 + 10_000)).toBe(0);
    expect(sum(history, T0 + 20_000)).toBeCloseTo(1000);
  });

  it('spreads a jump in totals over the slice that ended since the last poll', () => {
    const history = new RateHistory();
    history.add(sample(T0, [task(0)]));
    history.add(
      sample(T0 + 30_000, [task(600, { from: T0 + 10_000, to: T0 + 25_000, records: 600 })]),
    );
    const byStart = new Map(history.points(T0 + 30_000).map((p) => [p.start, p.recordsPerSecond]));
    expect(byStart.get(T0 + 5_000)).toBe(0);
    expect(byStart.get(T0 + 10_000)).toBe(40); // 600 over 15 s
    expect(byStart.get(T0 + 20_000)).toBe(40);
    expect(byStart.get(T0 + 25_000)).toBe(0);
  });

  it('puts records of slices it never saw between the previous poll and the last slice', () => {
    const history = new RateHistory();
    history.add(sample(T0, [task(0)]));
    history.add(
      sample(T0 + 20_000, [task(500, { from: T0 + 10_000, to: T0 + 20_000, records: 100 })]),
    );
    const byStart = new Map(history.points(T0 + 20_000).map((p) => [p.start, p.recordsPerSecond]));
    expect(byStart.get(T0)).toBe(40); // 400 over [T0, T0+10s]
    expect(byStart.get(T0 + 10_000)).toBe(10); // 100 over the last slice
    expect(sum(history, T0 + 20_000)).toBeCloseTo(500);
  });

  it('spreads a jump without a new slice over the time between polls, and errors alike', () => {
    const history = new RateHistory();
    history.add(sample(T0, [task(0, undefined, 0)]));
    history.add(sample(T0 + 10_000, [task(100, undefined, 20)]));
    const points = history.points(T0 + 10_000);
    const recent = history.recent(T0 + 10_000, 10_000);
    expect(recent.recordsPerSecond).toBeCloseTo(10);
    expect(recent.errorsPerSecond).toBeCloseTo(2);
    expect(points.some((p) => p.errorsPerSecond > 0)).toBe(true);
  });

  it('takes totals that went down as a new baseline (a connector deleted and created again)', () => {
    const history = new RateHistory();
    history.add(sample(T0, [task(5000)]));
    history.add(sample(T0 + 5_000, [task(10)]));
    history.add(sample(T0 + 10_000, [task(60)]));
    expect(sum(history, T0 + 10_000)).toBeCloseTo(50);
  });

  it('forgets what is older than its window, and a slice that began long ago adds only its share', () => {
    const history = new RateHistory(60_000, 5_000);
    history.add(sample(T0, [task(0)]));
    history.add(sample(T0 + 10_000, [task(100)]));
    history.add(sample(T0 + 200_000, [task(100)]));
    expect(sum(history, T0 + 200_000)).toBe(0);
    const long = new RateHistory(60_000, 5_000);
    long.add(sample(T0 + 3_600_000, [task(3600, { from: T0, to: T0 + 3_600_000, records: 3600 })]));
    expect(long.points(T0 + 3_600_000)).toHaveLength(12);
    // 1 record/s; the window's last bucket (the one `now` is in) is after the slice ended.
    expect(sum(long, T0 + 3_600_000)).toBeCloseTo(55);
  });

  it('ignores an answer older than one already taken (a poll overtaken by a later one)', () => {
    const history = new RateHistory();
    history.add(sample(T0, [task(0)]));
    history.add(sample(T0 + 10_000, [task(200)]));
    history.add(sample(T0 + 5_000, [task(100)]));
    history.add(sample(T0 + 15_000, [task(200)]));
    expect(sum(history, T0 + 15_000)).toBeCloseTo(200);
  });

  it('counts only the part of the oldest bucket inside the span', () => {
    const history = new RateHistory();
    history.add(sample(T0, [task(0)]));
    history.add(sample(T0 + 5_000, [task(500)]));
    // 500 records over [T0, T0+5s]; a 2.5 s span ending at T0+5s holds half of them.
    expect(history.recent(T0 + 5_000, 2_500).recordsPerSecond).toBeCloseTo(100);
  });

  it('keeps tasks apart', () => {
    const history = new RateHistory();
    const second = (records: number): TaskMetrics => ({ ...task(records), id: 1 });
    history.add(sample(T0, [task(0), second(1000)]));
    history.add(sample(T0 + 10_000, [task(50), second(1050)]));
    expect(sum(history, T0 + 10_000)).toBeCloseTo(100);
  });
});
