import { describe, expect, test } from 'vitest';
import { NonRetriableError, RetriableError } from '../../../lib/api/errors.js';
import { runStage, TaskFailedError, type ErrorPolicy } from '../../../lib/runtime/error-policy.js';
import type { Clock } from '../../../lib/runtime/slice-context.js';

/** A clock that moves only when slept on, and remembers each sleep. */
function fakeClock(start = 0): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const policy = (changes: Partial<ErrorPolicy> = {}): ErrorPolicy => ({
  tolerance: 'none',
  retryTimeoutMs: 0,
  retryDelayMaxMs: 60_000,
  deadLetterQueueTopic: undefined,
  deadLetterQueueContextHeaders: false,
  logEnable: false,
  logIncludeMessages: false,
  ...changes,
});

/** Fails with `error` the first `failures` times, then answers 'done'. */
function flaky(failures: number, error: () => Error) {
  let calls = 0;
  return () => {
    calls++;
    if (calls <= failures) throw error();
    return 'done';
  };
}

describe('running a stage under the error policy', () => {
  test('passes the value through when the work succeeds', async () => {
    expect(await runStage('TASK_PUT', policy(), fakeClock(), () => 42)).toEqual({
      kind: 'ok',
      value: 42,
      attempts: 1,
    });
  });

  test('retries retriable errors with doubling waits capped at retry.delay.max.ms', async () => {
    const clock = fakeClock();
    const outcome = await runStage(
      'TASK_PUT',
      policy({ retryTimeoutMs: 60_000, retryDelayMaxMs: 1_000 }),
      clock,
      flaky(4, () => new RetriableError('connection reset')),
    );
    expect(outcome).toEqual({ kind: 'ok', value: 'done', attempts: 5 });
    expect(clock.sleeps).toEqual([300, 600, 1_000, 1_000]);
  });

  test('retries an AWS SDK error that the SDK itself would retry (throttling)', async () => {
    const throttled = () =>
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $retryable: { throttling: true },
      });
    const outcome = await runStage(
      'TASK_PUT',
      policy({ retryTimeoutMs: 60_000 }),
      fakeClock(),
      flaky(2, throttled),
    );
    expect(outcome).toEqual({ kind: 'ok', value: 'done', attempts: 3 });
  });

  test('never retries a non-retriable error, and fails the task under tolerance none', async () => {
    const clock = fakeClock();
    const run = runStage('VALUE_CONVERTER', policy({ retryTimeoutMs: -1 }), clock, () => {
      throw new NonRetriableError('not JSON at position 3');
    });
    await expect(run).rejects.toBeInstanceOf(TaskFailedError);
    await expect(run).rejects.toThrow(
      'VALUE_CONVERTER failed after 1 attempt: not JSON at position 3',
    );
    expect(clock.sleeps).toEqual([]);
  });

  test('skips a poison record under tolerance all, keeping the error for the dead-letter topic', async () => {
    const outcome = await runStage(
      'TRANSFORMATION',
      policy({ tolerance: 'all' }),
      fakeClock(),
      () => {
        throw new NonRetriableError('field missing');
      },
    );
    expect(outcome).toMatchObject({
      kind: 'tolerated',
      attempts: 1,
      error: { message: 'field missing' },
    });
  });

  test('stops retrying at errors.retry.timeout', async () => {
    const clock = fakeClock();
    const run = runStage(
      'KAFKA_PRODUCE',
      policy({ retryTimeoutMs: 1_000 }),
      clock,
      flaky(100, () => new RetriableError('broker busy')),
    );
    await expect(run).rejects.toThrow(/KAFKA_PRODUCE failed after 3 attempts: broker busy/);
    expect(clock.sleeps).toEqual([300, 600]);
  });

  test('a retry timeout of 0 means no retry at all', async () => {
    const run = runStage(
      'TASK_PUT',
      policy(),
      fakeClock(),
      flaky(1, () => new RetriableError('x')),
    );
    await expect(run).rejects.toThrow(/after 1 attempt/);
  });

  test('retrying "forever" still stops at the slice deadline', async () => {
    const clock = fakeClock();
    const run = runStage(
      'TASK_PUT',
      policy({ retryTimeoutMs: -1, retryDelayMaxMs: 1_000 }),
      clock,
      flaky(1_000, () => new RetriableError('down')),
      5_000,
    );
    await expect(run).rejects.toBeInstanceOf(TaskFailedError);
    expect(clock.now()).toBeLessThan(5_000);
  });
});
