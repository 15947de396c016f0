import {
  GetItemCommand,
  TransactionCanceledException,
  TransactionConflictException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { ConflictError } from '../../../lib/state/errors.js';
import { acquireLease } from '../../../lib/state/leases.js';
import { asConflict } from '../../../lib/state/requests.js';

// DynamoDB Local serializes transactions and never reports a conflict, so the mapping of real
// DynamoDB's conflicts is tested here with the exceptions it would throw.

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** A client whose GetItem finds nothing and whose every transaction fails with `error`. */
function failingClient(error: () => Error): { client: DynamoDBClient; transactions: number } {
  const state = { transactions: 0 };
  const client = {
    send: (command: unknown) => {
      if (command instanceof GetItemCommand) return Promise.resolve({});
      state.transactions++;
      return Promise.reject(error());
    },
  } as unknown as DynamoDBClient;
  return {
    client,
    get transactions() {
      return state.transactions;
    },
  };
}

describe('transaction conflicts', () => {
  test('a conflict cancellation or TransactionConflictException is a retriable ConflictError naming the operation; a failed condition or another error is not', () => {
    for (const error of [
      cancelled('None', 'TransactionConflict'),
      new TransactionConflictException({ message: 'conflict', $metadata: {} }),
    ]) {
      const mapped = asConflict(error, 'fence task 0 of connector orders');
      expect(mapped).toBeInstanceOf(ConflictError);
      expect((mapped as ConflictError).retriable).toBe(true);
      expect((mapped as ConflictError).cause).toBe(error);
      expect((mapped as ConflictError).message).toContain('fence task 0 of connector orders');
    }
    const condition = cancelled('ConditionalCheckFailed', 'TransactionConflict');
    expect(asConflict(condition, 'x')).toBe(condition);
    const other = new Error('throttled');
    expect(asConflict(other, 'x')).toBe(other);
  });

  test('acquireLease: a conflict on the task item means someone else is taking it (undefined); one on the shared items is retried, then a ConflictError', async () => {
    const onTask = failingClient(() => cancelled('None', 'None', 'TransactionConflict'));
    const ctx = (client: DynamoDBClient) => ({ client, table: 'state' });
    expect(await acquireLease(ctx(onTask.client), 'c', 0, 'h', 0, 1, 1000)).toBeUndefined();
    expect(onTask.transactions).toBe(1);

    const onShared = failingClient(() => cancelled('TransactionConflict', 'None', 'None'));
    const taking = acquireLease(ctx(onShared.client), 'c', 0, 'h', 0, 1, 1000);
    await expect(taking).rejects.toBeInstanceOf(ConflictError);
    await expect(taking).rejects.toThrow('take the lease of task 0 of connector c');
    expect(onShared.transactions).toBe(5);

    const refused = failingClient(() => cancelled('ConditionalCheckFailed', 'None', 'None'));
    expect(await acquireLease(ctx(refused.client), 'c', 0, 'h', 0, 1, 1000)).toBeUndefined();
  });
});
