import { describe, expect, test } from 'vitest';
import { BadCheckRequestError, parseTaskEvent } from '../../../lib/runtime/check-request.js';
import { BadSliceRequestError } from '../../../lib/runtime/slice-request.js';

describe("the task function's events", () => {
  test('a slice request is read as before', () => {
    expect(parseTaskEvent({ connector: 'orders', taskId: 1, generation: 3 })).toEqual({
      kind: 'slice',
      request: { connector: 'orders', taskId: 1, generation: 3 },
    });
    expect(() => parseTaskEvent({ connector: 'orders' })).toThrow(BadSliceRequestError);
    expect(() => parseTaskEvent(null)).toThrow(BadSliceRequestError);
  });

  test('an event with a check key is a check request of its config', () => {
    const config = { 'connector.class': 'FileStreamSink', file: '/tmp/out' };
    expect(parseTaskEvent({ check: { config } })).toEqual({ kind: 'check', config });
  });

  test('a bad check request fails naming the path, never quoting the config', () => {
    const bad = () =>
      parseTaskEvent({ check: { config: { password: 'hunter2', 'tasks.max': 2 } } });
    expect(bad).toThrow(BadCheckRequestError);
    expect(bad).toThrow(/check\.config\.tasks\.max/);
    expect(bad).not.toThrow(/hunter2/);
  });
});
