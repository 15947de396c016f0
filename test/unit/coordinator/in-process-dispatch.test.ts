import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { InProcessSliceDispatcher } from '../../../lib/coordinator/dispatch.js';
import type { SliceRequest } from '../../../lib/runtime/slice-request.js';

describe('the in-process slice dispatcher', () => {
  test('returns before the slice ends, like an Event invoke, and drain waits for it', async () => {
    const finished: number[] = [];
    const dispatcher = new InProcessSliceDispatcher(async (request) => {
      await sleep(20);
      finished.push(request.taskId);
    });
    await dispatcher.dispatch({ connector: 'c', taskId: 0, generation: 1 });
    expect(finished).toEqual([]);
    await dispatcher.drain();
    expect(finished).toEqual([0]);
    expect(dispatcher.dispatched).toEqual([{ connector: 'c', taskId: 0, generation: 1 }]);
  });

  test('drain also waits for slices that dispatched their own continuation', async () => {
    const seen: SliceRequest[] = [];
    const dispatcher: InProcessSliceDispatcher = new InProcessSliceDispatcher(async (request) => {
      seen.push(request);
      await sleep(5);
      if (request.generation < 3) {
        await dispatcher.dispatch({ ...request, generation: request.generation + 1 });
      }
    });
    await dispatcher.dispatch({ connector: 'c', taskId: 0, generation: 0 });
    await dispatcher.drain();
    expect(seen.map((r) => r.generation)).toEqual([0, 1, 2, 3]);
  });

  test('drain reports a slice that failed', async () => {
    const dispatcher = new InProcessSliceDispatcher(() =>
      Promise.reject(new Error('slice blew up')),
    );
    await dispatcher.dispatch({ connector: 'c', taskId: 0, generation: 0 });
    await expect(dispatcher.drain()).rejects.toThrow('slice blew up');
  });
});
