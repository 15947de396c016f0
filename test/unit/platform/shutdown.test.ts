import { describe, expect, it } from 'vitest';
import { closeWithin } from '../../../lib/platform/shutdown.js';

describe('closeWithin', () => {
  it('runs every closer, even after one fails, and resolves once all have settled', async () => {
    const closed: string[] = [];
    await closeWithin(5_000, [
      () => Promise.reject(new Error('already gone')),
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        closed.push('late');
      },
      () => Promise.resolve(closed.push('quick')),
    ]);
    expect(closed.sort()).toEqual(['late', 'quick']);
  });

  it('stops waiting for a closer that hangs once the limit has passed', async () => {
    // Without the limit this never resolves, and the test fails on vitest's time-out.
    let other = false;
    await closeWithin(50, [
      () => new Promise(() => undefined),
      () => Promise.resolve((other = true)),
    ]);
    expect(other).toBe(true);
  });
});
