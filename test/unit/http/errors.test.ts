import { describe, expect, test } from 'vitest';
import { PluginNotFoundError } from '../../../lib/api/errors.js';
import { validateConnectorConfig } from '../../../lib/config/parse.js';
import { ConfigValidationError } from '../../../lib/config/errors.js';
import { errorResponse, HttpError } from '../../../lib/http/errors.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';
import { TopicAdminError } from '../../../lib/rocketmq/topic-admin.js';
import { ConnectorNameError, NotApplicableError } from '../../../lib/management/errors.js';
import { TaskNotFoundError } from '../../../lib/management/restarts.js';
import {
  ConflictError,
  ConnectorExistsError,
  ConnectorNotFoundError,
  ConnectorNotStoppedError,
  FencedError,
  StaleWriteError,
  StateInputError,
} from '../../../lib/state/errors.js';

function answer(error: unknown) {
  const logged: string[] = [];
  const response = errorResponse(error, (line) => logged.push(line), 'req-1');
  return { response, body: JSON.parse(response.body) as Record<string, unknown>, logged };
}

describe('errors as HTTP answers', () => {
  test.for<[string, unknown, number]>([
    ['a refused request', new HttpError(415, 'not JSON'), 415],
    ['an unknown connector', new ConnectorNotFoundError('x', 'read it'), 404],
    ['an unknown plugin', new PluginNotFoundError('Nope', 'connector', []), 404],
    ['a taken name', new ConnectorExistsError('x'), 409],
    ['offsets of a running connector', new ConnectorNotStoppedError('x', 'RUNNING'), 409],
    ['a concurrent transaction', new ConflictError('alter offsets'), 409],
    ['a write the stored state moved past', new StaleWriteError('x', 'version moved'), 409],
    ['a fenced lease', new FencedError('x', 0, 3, 'commit'), 409],
    ['bad input to the state store', new StateInputError('bad task id'), 400],
    ['a bad connector name', new ConnectorNameError('name is empty'), 400],
    ['a request that does not apply', new NotApplicableError('a sink has no offsets'), 400],
    ['an unknown task', new TaskNotFoundError('no task 7'), 404],
  ])('%s is %i with its own message', ([, error, status]) => {
    const { response, body, logged } = answer(error);
    expect(response.statusCode).toBe(status);
    expect(body).toEqual({ error_code: status, message: (error as Error).message });
    expect(logged).toEqual([]);
  });

  test('an invalid config lists its errors by key', () => {
    const result = validateConnectorConfig(
      { name: 'x', 'connector.class': 'FileStreamSource', 'tasks.max': 'two' },
      createBuiltinRegistry(),
    );
    const { response, body } = answer(new ConfigValidationError(result, ['tasks.max: bad']));
    expect(response.statusCode).toBe(400);
    expect(Object.keys(body.errors as object)).toContain('tasks.max');
  });

  test('a service that does not answer is 503 saying so, and is logged', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $retryable: { throttling: true },
    });
    for (const error of [
      throttled,
      new Error('14 UNAVAILABLE: No connection established'),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      new TopicAdminError('could not create topic t'),
    ]) {
      const { response, body, logged } = answer(error);
      expect(response.statusCode).toBe(503);
      expect(body.message).toContain(error.message);
      expect(logged).toEqual([expect.stringContaining('request req-1 failed')]);
    }
  });

  test('a bug is 500 with only the request id; the details go to the log', () => {
    const { response, body, logged } = answer(
      new TypeError('x.y is undefined at secret-ish place'),
    );
    expect(response.statusCode).toBe(500);
    expect(body).toEqual({
      error_code: 500,
      message: "internal error (request req-1); the API's log has the details",
    });
    expect(logged[0]).toContain('x.y is undefined');
  });
});
