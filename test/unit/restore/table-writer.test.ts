import {
  ResourceNotFoundException,
  type BatchWriteItemCommand,
  type DynamoDBClient,
  type ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { RestoreError, RestoreWriteError } from '../../../lib/restore/errors.js';
import { DynamoRestoreTable } from '../../../lib/restore/table-writer.js';
import type { Item } from '../../../lib/state/attributes.js';
import { status } from './state-changes.js';

type Answer = Record<string, unknown> | Error;

/**
 * A DynamoDB client answering from `answer` in turn (at once, or when a promise of it settles);
 * `sent` holds the commands' inputs.
 */
function fakeClient(answer: (command: unknown, call: number) => Answer | Promise<Answer>) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      const a = await answer(command, sent.length);
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as DynamoDBClient;
  return { client, sent };
}

const noWait = { sleep: () => Promise.resolve() };
const lease: Item = { pk: { S: 'coordinator' }, sk: { S: 'lease' } };
const items = (n: number) => Array.from({ length: n }, (_, i) => status(`c${i}`));

describe('the state table a restore writes into', () => {
  test('is empty with no items, or with only the coordinator lease', async () => {
    for (const found of [[], [lease]]) {
      const { client } = fakeClient(() => ({ Items: found }));
      expect(await new DynamoRestoreTable(client, 't1', noWait).isEmpty()).toBe(true);
    }
  });

  test('is not empty with any other item, found on a later page too', async () => {
    const { client, sent } = fakeClient((_, call) =>
      call === 1
        ? { Items: [lease], LastEvaluatedKey: lease }
        : { Items: [{ pk: { S: 'connectors' }, sk: { S: 'a' } }] },
    );
    expect(await new DynamoRestoreTable(client, 't1', noWait).isEmpty()).toBe(false);
    expect(sent).toHaveLength(2);
    expect((sent[0] as ScanCommand).input).toMatchObject({ TableName: 't1', Limit: 2 });
    expect((sent[1] as ScanCommand).input.ExclusiveStartKey).toEqual(lease);
  });

  test('a missing table is named as such', async () => {
    const { client } = fakeClient(
      () => new ResourceNotFoundException({ message: 'non-existent table', $metadata: {} }),
    );
    const check = new DynamoRestoreTable(client, 'nope', noWait).isEmpty();
    await expect(check).rejects.toBeInstanceOf(RestoreError);
    await expect(check).rejects.toThrow('table nope does not exist');
  });

  test('writes in batches of 25 and reports the count written', async () => {
    const { client, sent } = fakeClient(() => ({}));
    const progress: number[] = [];
    await new DynamoRestoreTable(client, 't1', noWait).putAll(items(60), (n) => progress.push(n));
    const batches = sent.map((c) => (c as BatchWriteItemCommand).input.RequestItems?.t1 ?? []);
    expect(batches.map((b) => b.length).sort()).toEqual([10, 25, 25]);
    expect(batches.flat().map((r) => r.PutRequest?.Item)).toEqual(
      expect.arrayContaining(items(60)),
    );
    expect(progress.at(-1)).toBe(60);
  });

  test('sends again what DynamoDB left unprocessed', async () => {
    const { client, sent } = fakeClient((command, call) => {
      const requests = (command as BatchWriteItemCommand).input.RequestItems?.t1 ?? [];
      return call === 1 ? { UnprocessedItems: { t1: requests.slice(3) } } : {};
    });
    const progress: number[] = [];
    await new DynamoRestoreTable(client, 't1', noWait).putAll(items(5), (n) => progress.push(n));
    expect(sent).toHaveLength(2);
    expect((sent[1] as BatchWriteItemCommand).input.RequestItems?.t1).toHaveLength(2);
    expect(progress).toEqual([3, 5]);
  });

  test('gives up after a bounded number of attempts, saying how many items were written', async () => {
    const { client, sent } = fakeClient((command) => {
      const requests: WriteRequest[] =
        (command as BatchWriteItemCommand).input.RequestItems?.t1 ?? [];
      return { UnprocessedItems: { t1: requests.slice(1) } };
    });
    const write = new DynamoRestoreTable(client, 't1', noWait).putAll(items(20), () => undefined);
    await expect(write).rejects.toBeInstanceOf(RestoreWriteError);
    await expect(write).rejects.toThrow(
      /^wrote 8 of 20 items, then 12 items were still unprocessed after 8 attempts .*--force/,
    );
    expect(sent).toHaveLength(8);
  });

  test('after a batch fails, starts no other but waits for those in flight, so the count is exact', async () => {
    let settled = 0;
    const { client, sent } = fakeClient(async (_, call) => {
      if (call === 1) return new Error('ValidationException: item too large');
      await new Promise((resolve) => setTimeout(resolve, 20));
      settled += 1;
      return {};
    });
    // 6 batches, 4 in flight: the first fails at once, the 3 others in flight still write.
    const write = new DynamoRestoreTable(client, 't1', noWait).putAll(items(150), () => undefined);
    const error = await write.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RestoreWriteError);
    expect(error).toMatchObject({ written: 75, total: 150 });
    expect((error as Error).message).toMatch(
      /^wrote 75 of 150 items, then DynamoDB failed: ValidationException: item too large; .*--force/,
    );
    expect(settled).toBe(3);
    expect(sent).toHaveLength(4);
  });
});
