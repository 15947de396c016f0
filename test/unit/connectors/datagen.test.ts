import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../lib/api/record.js';
import { validateValue } from '../../../lib/api/schema-validation.js';
import { datagenSource } from '../../../lib/connectors/index.js';
import { generate } from '../../../lib/connectors/datagen/generator.js';
import { DatagenSourceTask } from '../../../lib/connectors/datagen/task.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';
import type { OffsetEntry } from '../../../lib/api/source-offsets.js';
import { sourceContext } from './context.js';

const base = { name: 'gen', topic: 'out', 'record.size': '40', keys: '7' };

/** A manual clock: time moves only when the test says so. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function startTask(
  config: ConnectorConfig,
  committed: OffsetEntry[] = [],
  clock: () => number = () => 0,
  batchSize?: number,
): Promise<DatagenSourceTask> {
  const task = new DatagenSourceTask(clock, batchSize);
  await task.start(config, sourceContext(committed, { connector: 'gen' }));
  return task;
}

function payloadOf(records: readonly SourceRecord[]) {
  return records.map((r) => ({ key: r.key, value: r.value, offset: r.offset }));
}

describe('DatagenSourceTask', () => {
  it('generates struct values that match their schema, with the partition and next seq', async () => {
    const task = await startTask({ ...base, count: '3' });
    const records = await task.poll();
    expect(records).toHaveLength(3);
    for (const r of records) expect(validateValue(r.valueSchema!, r.value)).toBeUndefined();
    expect(records.map((r) => r.offset)).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    expect(records[0]).toMatchObject({
      partition: { datagen: 'gen', task: 0 },
      value: { id: 0, seq: 0 },
    });
    const value = records[0]?.value as { key: string; payload: string };
    expect(value.key).toMatch(/^key-[0-6]$/);
    expect(records[0]?.key).toBe(value.key);
    expect(value.payload).toHaveLength(40);
  });

  it('gives the same records for the same seed and different ones for another', async () => {
    const a = await (await startTask(base)).poll();
    const b = await (await startTask(base)).poll();
    const c = await (await startTask({ ...base, seed: '7' })).poll();
    expect(a).toHaveLength(500);
    expect(payloadOf(b)).toEqual(payloadOf(a));
    expect(payloadOf(c).map((r) => r.value)).not.toEqual(payloadOf(a).map((r) => r.value));
    expect(new Set(a.map((r) => r.key)).size).toBe(7);
  });

  it('continues identically when a new slice resumes from a committed offset', async () => {
    const whole = await (await startTask(base, [], () => 0, 10)).poll();
    const first = await (await startTask(base, [], () => 0, 4)).poll();
    const last = first.at(-1)!;
    const rest = await (
      await startTask(base, [{ partition: last.partition, offset: last.offset }], () => 0, 6)
    ).poll();
    expect(payloadOf([...first, ...rest])).toEqual(payloadOf(whole));
  });

  it('gives each task of taskConfigs its own sequence', async () => {
    const [t0, t1] = datagenSource.taskConfigs(base, 2);
    const r0 = await (await startTask(t0!)).poll();
    const r1 = await (await startTask(t1!)).poll();
    expect(r1[0]?.partition).toEqual({ datagen: 'gen', task: 1 });
    expect(r1[0]?.value).toMatchObject({ id: 2 ** 40, seq: 0 });
    expect(r1[0]?.value).not.toEqual(r0[0]?.value);
  });

  it('stops at count, across slices', async () => {
    const config = { ...base, count: '5' };
    const task = await startTask(config, [], () => 0, 3);
    expect(await task.poll()).toHaveLength(3);
    expect(await task.poll()).toHaveLength(2);
    expect(await task.poll()).toEqual([]);
    const resumed = await startTask(config, [
      { partition: { datagen: 'gen', task: 0 }, offset: { seq: 5 } },
    ]);
    expect(await resumed.poll()).toEqual([]);
  });

  it('honours the rate: nothing while ahead of it, then what time allows', async () => {
    const clock = manualClock();
    const task = await startTask({ ...base, rate: '10' }, [], clock.now);
    expect(await task.poll()).toHaveLength(1);
    expect(await task.poll()).toEqual([]);
    clock.advance(99);
    expect(await task.poll()).toEqual([]);
    clock.advance(1);
    expect(await task.poll()).toHaveLength(1);
    clock.advance(1000);
    expect(await task.poll()).toHaveLength(10);
    clock.advance(3_600_000);
    expect(await task.poll()).toHaveLength(500);
  });

  it('is a pure function of seed, task and sequence number', () => {
    const options = { seed: 42, task: 3, keys: 1000, recordSize: 5 };
    expect(generate(options, 2 ** 45)).toEqual(generate({ ...options }, 2 ** 45));
    expect(generate(options, 1)).not.toEqual(generate(options, 2));
    expect(generate({ ...options, recordSize: 0 }, 1).payload).toBe('');
  });

  it('refuses a committed seq that is not a count', async () => {
    await expect(
      startTask(base, [{ partition: { datagen: 'gen', task: 0 }, offset: { seq: -1 } }]),
    ).rejects.toMatchObject({ retriable: false });
  });
});
