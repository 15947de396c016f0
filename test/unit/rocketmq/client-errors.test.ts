import {
  BadRequestException,
  ForbiddenException,
  InternalErrorException,
  NotFoundException,
  TooManyRequestsException,
} from 'rocketmq-client-nodejs';
import { describe, expect, test } from 'vitest';
import { classifyClientError } from '../../../lib/rocketmq/client-errors.js';

describe('RocketMQ client errors', () => {
  test.for<[string, Error, boolean]>([
    ['a bad request', new BadRequestException(40001, 'illegal topic'), false],
    ['a missing topic', new NotFoundException(40402, 'no route'), false],
    ['no permission', new ForbiddenException(40301, 'denied'), false],
    ['throttling', new TooManyRequestsException(42900, 'slow down'), true],
    ['a broker failure', new InternalErrorException(50000, 'boom'), true],
    ['a transport failure', new Error('14 UNAVAILABLE: connection reset'), true],
    [
      'a long poll that reached the proxy too late (a loaded machine)',
      new BadRequestException(
        40000,
        '[request-id=undefined, response-code=40000] The deadline time remaining is not enough for polling, please check network condition',
      ),
      true,
    ],
  ])('%s is retriable: %s', ([, error, retriable]) => {
    const classified = classifyClientError(error);
    expect(classified.retriable).toBe(retriable);
    expect(classified.cause).toBe(error);
  });
});
