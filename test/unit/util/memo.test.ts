import { describe, expect, test } from 'vitest';
import { memoizeSuccess } from '../../../lib/util/memo.js';

describe('memoizeSuccess', () => {
  test('loads on the first call and shares that promise with every later call', async () => {
    let loads = 0;
    const value = memoizeSuccess(() => Promise.resolve(++loads));
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([value(), value()]);
    expect([a, b, await value(), loads]).toEqual([1, 1, 1, 1]);
  });

  test('forgets a failed load, so the next call loads again', async () => {
    let loads = 0;
    const value = memoizeSuccess(() =>
      ++loads === 1 ? Promise.reject(new Error('first fails')) : Promise.resolve(loads),
    );
    await expect(value()).rejects.toThrow('first fails');
    expect(await value()).toBe(2);
    expect(await value()).toBe(2);
  });

  test('a load that throws at once is a rejection, forgotten like one', async () => {
    let loads = 0;
    const value = memoizeSuccess((): Promise<number> => {
      if (++loads === 1) throw new Error('thrown');
      return Promise.resolve(loads);
    });
    await expect(value()).rejects.toThrow('thrown');
    expect(await value()).toBe(2);
  });
});
