import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { LeaseKeeper } from '../../../lib/runtime/lease-keeper.js';
import { systemClock } from '../../../lib/runtime/slice-context.js';
import { FencedError } from '../../../lib/state/errors.js';

const token = { connector: 'c', taskId: 0, holder: 'slice-1', epoch: 3 };
const quiet = { info: () => undefined, warn: () => undefined };

describe('LeaseKeeper', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('renews in the background while the slice runs, each renewal reaching the ttl ahead', async () => {
    const renewLease = vi.fn(() => Promise.resolve());
    const keeper = new LeaseKeeper({ renewLease }, token, systemClock, {
      ttlMs: 10_000,
      graceMs: 1_000,
      deadline: Date.now() + 60_000,
      log: quiet,
      onLost: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(12_000);
    await keeper.stop();
    expect(renewLease.mock.calls.length).toBeGreaterThanOrEqual(2);
    for (const [, , ttl] of renewLease.mock.calls as unknown as [unknown, number, number][]) {
      expect(ttl).toBe(10_000);
    }
  });

  test('a lease found taken is lost once: onLost is called, later renewals reject and nothing throws out of the timer', async () => {
    const fenced = new FencedError('c', 0, 3, 'renew');
    const renewLease = vi.fn(() => Promise.reject(fenced));
    const onLost = vi.fn();
    const keeper = new LeaseKeeper({ renewLease }, token, systemClock, {
      ttlMs: 10_000,
      graceMs: 1_000,
      deadline: Date.now() + 60_000,
      log: quiet,
      onLost,
    });
    // Several timer rounds after the loss: a throw out of one would be an uncaught exception.
    await vi.advanceTimersByTimeAsync(20_000);
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(keeper.lost).toBe(fenced);
    expect(renewLease).toHaveBeenCalledTimes(1);
    await expect(keeper.renew()).rejects.toBe(fenced);
    expect(() => keeper.check()).toThrow(fenced);
    await keeper.stop();
  });
});
