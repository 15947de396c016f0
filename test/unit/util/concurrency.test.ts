import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { mapBounded } from '../../../lib/util/concurrency.js';

describe('mapBounded', () => {
  test('keeps results in input order whatever order the calls finish in', async () => {
    const results = await mapBounded([30, 10, 20, 0], 4, async (ms, i) => {
      await sleep(ms);
      return i * 10;
    });
    expect(results).toEqual([0, 10, 20, 30]);
  });

  test('never has more calls in flight than the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapBounded(
      Array.from({ length: 50 }, (_, i) => i),
      3,
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(1);
        inFlight--;
      },
    );
    expect(peak).toBe(3);
  });

  test('rejects with the first failure and starts no new calls after it', async () => {
    const started: number[] = [];
    const run = mapBounded([0, 1, 2, 3, 4, 5], 1, async (i) => {
      started.push(i);
      if (i === 2) throw new Error('boom at 2');
      await sleep(1);
    });
    await expect(run).rejects.toThrow('boom at 2');
    expect(started).toEqual([0, 1, 2]);
  });

  test('rejects only once the calls in flight at the failure have finished', async () => {
    const finished: number[] = [];
    const run = mapBounded([0, 1, 2], 3, async (i) => {
      if (i === 0) throw new Error('boom at 0');
      await sleep(20);
      finished.push(i);
    });
    await expect(run).rejects.toThrow('boom at 0');
    expect(finished.sort()).toEqual([1, 2]);
  });

  test('refuses a limit that is not a positive integer', async () => {
    await expect(mapBounded([1], 0, () => Promise.resolve(1))).rejects.toThrow(
      /positive integer, got 0/,
    );
  });

  test('returns an empty array for no items', async () => {
    expect(await mapBounded([], 5, () => Promise.resolve(1))).toEqual([]);
  });
});
