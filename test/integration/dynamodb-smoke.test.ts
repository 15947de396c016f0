import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { describe, expect } from 'vitest';
import { localStreamsClient } from '../../infra/local/probes.js';
import { TTL_ATTRIBUTE } from '../../lib/state/table.js';
import { test } from './fixtures.js';

const key = (pk: string): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { S: 'item' } });

/** Every record of every shard of the table's stream, from the start. */
async function readStream(streams: DynamoDBStreamsClient, streamArn: string): Promise<_Record[]> {
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    // An open shard always hands back a next iterator; stop once a page comes back empty.
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if (!page.Records?.length) break;
      records.push(...page.Records);
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

describe('DynamoDB Local, from Node', () => {
  test('a state table has TTL and a stream; it refuses a failing conditional write, applies a transaction, and streams every change', async ({
    stack,
    dynamo,
    table,
  }) => {
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: { ...key('a'), version: { N: '1' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

    // The same create again must fail: the item exists.
    await expect(
      dynamo.send(
        new PutItemCommand({
          TableName: table,
          Item: { ...key('a'), version: { N: '99' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);

    // A transaction: bump a's version only if it is still 1, and create b.
    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: key('a'),
              UpdateExpression: 'SET version = :next',
              ConditionExpression: 'version = :current',
              ExpressionAttributeValues: { ':current': { N: '1' }, ':next': { N: '2' } },
            },
          },
          { Put: { TableName: table, Item: { ...key('b'), version: { N: '1' } } } },
        ],
      }),
    );

    // A transaction whose second condition fails writes nothing at all, not even its first part.
    const cancelled = await dynamo
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { ...key('c'), version: { N: '1' } } } },
            {
              Update: {
                TableName: table,
                Key: key('a'),
                UpdateExpression: 'SET version = :next',
                ConditionExpression: 'version = :current',
                ExpressionAttributeValues: { ':current': { N: '1' }, ':next': { N: '3' } },
              },
            },
          ],
        }),
      )
      .catch((error: unknown) => error);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    expect(
      (cancelled as TransactionCanceledException).CancellationReasons?.map((r) => r.Code),
    ).toEqual(['None', 'ConditionalCheckFailed']);
    const c = await dynamo.send(new GetItemCommand({ TableName: table, Key: key('c') }));
    expect(c.Item).toBeUndefined();

    await dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key('b'),
        UpdateExpression: 'REMOVE version',
      }),
    );

    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: TTL_ATTRIBUTE,
    });
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const streams = localStreamsClient(stack.dynamodb.endpoint);
    try {
      const records = await readStream(streams, Table?.LatestStreamArn ?? '');
      const changes = records.map((r) => ({
        event: r.eventName,
        pk: r.dynamodb?.Keys?.pk?.S,
        old: r.dynamodb?.OldImage?.version?.N,
        new: r.dynamodb?.NewImage?.version?.N,
      }));
      // Only the writes that happened, in order; the refused ones left no trace.
      expect(changes).toEqual([
        { event: 'INSERT', pk: 'a', old: undefined, new: '1' },
        { event: 'MODIFY', pk: 'a', old: '1', new: '2' },
        { event: 'INSERT', pk: 'b', old: undefined, new: '1' },
        { event: 'MODIFY', pk: 'b', old: '1', new: undefined },
      ]);
    } finally {
      streams.destroy();
    }
  });
});
