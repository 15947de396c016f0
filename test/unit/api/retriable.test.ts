import { describe, expect, test } from 'vitest';
import { NonRetriableError, RetriableError } from '../../../lib/api/errors.js';
import { isRetriable } from '../../../lib/api/retriable.js';
import { ConflictError, StateInputError } from '../../../lib/state/errors.js';

/** An error shaped as the AWS SDK v3 throws it. */
function sdkError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...extra });
}

/** An error shaped as Node throws a failed connection. */
function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });
}

describe('whether a failure may pass if tried again', () => {
  test.for<[string, unknown]>([
    ['an error that says it is retriable', new RetriableError('broker busy')],
    ['a state conflict', new ConflictError('alter offsets')],
    ['a plain object that says so', { retriable: true }],
    ['an SDK error with the retryable trait', sdkError('X', { $retryable: {} })],
    ['an SDK throttling trait', sdkError('X', { $retryable: { throttling: true } })],
    ['DynamoDB throttling', sdkError('ProvisionedThroughputExceededException')],
    ['a throttling error by name', sdkError('ThrottlingException')],
    ['a throttling name the lists miss', sdkError('ThrottledByBackendException')],
    ['HTTP 429', sdkError('X', { $metadata: { httpStatusCode: 429 } })],
    ['HTTP 500', sdkError('InternalServerError', { $metadata: { httpStatusCode: 500 } })],
    ['HTTP 503', sdkError('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } })],
    ['a corrected clock skew', sdkError('X', { $metadata: { clockSkewCorrected: true } })],
    ['an SDK timeout', sdkError('TimeoutError')],
    ['a request timeout', sdkError('RequestTimeoutException')],
    ['a reset connection', systemError('ECONNRESET')],
    ['a timed-out connection', systemError('ETIMEDOUT')],
    ['a refused connection', systemError('ECONNREFUSED')],
    ['a failed name lookup', systemError('EAI_AGAIN')],
    ['a gRPC UNAVAILABLE', new Error('14 UNAVAILABLE: No connection established')],
    ['a gRPC DEADLINE_EXCEEDED', new Error('4 DEADLINE_EXCEEDED: Deadline exceeded')],
  ])('%s is retriable', ([, error]) => {
    expect(isRetriable(error)).toBe(true);
  });

  test.for<[string, unknown]>([
    ['an error that says it is not', new NonRetriableError('bad input')],
    ['bad input to the state store', new StateInputError('bad task id')],
    [
      'an error that says it is not, whatever it looks like',
      Object.assign(new NonRetriableError('x'), { $metadata: { httpStatusCode: 503 } }),
    ],
    ['a plain error', new Error('plain')],
    ['a bug', new TypeError('x is undefined')],
    [
      'an SDK validation error',
      sdkError('ValidationException', { $metadata: { httpStatusCode: 400 } }),
    ],
    ['access denied', sdkError('AccessDeniedException', { $metadata: { httpStatusCode: 403 } })],
    ['an abort, even with a retryable trait', sdkError('AbortError', { $retryable: {} })],
    [
      'a wrapper that does not say, whatever its cause',
      new Error('failed', { cause: systemError('ECONNRESET') }),
    ],
    ['null', null],
    ['a string', 'ECONNRESET'],
  ])('%s is not retriable', ([, error]) => {
    expect(isRetriable(error)).toBe(false);
  });
});
