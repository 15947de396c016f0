import { describe, expect, test } from 'vitest';
import {
  ConnectorExistsError,
  ConnectorNotFoundError,
  ConnectorNotStoppedError,
  FencedError,
  StaleWriteError,
  StateError,
  StateInputError,
} from '../../../lib/state/errors.js';
import {
  requireConnectorName,
  requireInteger,
  requireTaskStatus,
} from '../../../lib/state/validate.js';
import type { TaskStatus } from '../../../lib/state/types.js';

describe('state errors', () => {
  test('each has its own name, keeps its cause, says whether it is retriable, and names the connector', () => {
    const cause = new Error('ConditionalCheckFailed');
    const errors = [
      new ConnectorExistsError('orders', { cause }),
      new ConnectorNotFoundError('orders', 'delete it', { cause }),
      new ConnectorNotStoppedError('orders', 'RUNNING', { cause }),
      new FencedError('orders', 3, 7, 'commit offsets', { cause }),
      new StaleWriteError('orders', 'connector orders moved on', { cause }),
    ];
    expect(errors.map((e) => e.name)).toEqual([
      'ConnectorExistsError',
      'ConnectorNotFoundError',
      'ConnectorNotStoppedError',
      'FencedError',
      'StaleWriteError',
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(StateError);
      expect(error.cause).toBe(cause);
      expect(error.retriable).toBe(false);
      expect(error.message).toContain('orders');
    }
    expect(errors[3]?.message).toBe(
      'cannot commit offsets: the lease of task 3 of connector orders at epoch 7 is no longer ' +
        'current (another invocation took it, or it was fenced)',
    );
    expect(new StateError('throttled', { retriable: true }).retriable).toBe(true);
  });

  test('the coordinator lease is named as such when fenced', () => {
    expect(new FencedError('', undefined, 2, 'release').message).toContain('the coordinator lease');
  });
});

describe('input validation', () => {
  test('names the value and the rule it breaks', () => {
    expect(() => requireConnectorName('')).toThrow(StateInputError);
    expect(() => requireConnectorName('a\nb')).toThrow(/"a\\nb" is invalid: .* control characters/);
    expect(() => requireConnectorName('x'.repeat(256))).toThrow(/1 to 255 characters/);
    expect(() => requireInteger(1.5, 'task id', 0, 9999)).toThrow(
      'task id must be an integer in [0, 9999], got 1.5',
    );
    expect(() => requireInteger(10n, 'seq', 0)).toThrow('seq must be an integer >= 0, got 10');
    const status = { state: 'DONE', restartCount: 0, updatedAt: 1 } as unknown as TaskStatus;
    expect(() => requireTaskStatus(status, 'task 1 of connector orders')).toThrow(
      /state of task 1 of connector orders "DONE" is invalid: use one of UNASSIGNED, RUNNING/,
    );
  });
});
