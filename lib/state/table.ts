import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/** Items whose `expiresAt` (epoch seconds) has passed are removed by DynamoDB's TTL. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The state table: one table for every kind of state item, keyed by `pk` (partition) and `sk`
 * (sort), with a stream of old and new images for the state mirror. The deployed table is
 * declared in serverless.yml; this is the same shape for local runs and tests.
 */
export function stateTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

/** Creates the state table, waits until it is active, and turns TTL on. */
export async function createStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(stateTableDefinition(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
}

/** The ARN of the state table's stream (the mirror's source). */
export async function stateStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const answer = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = answer.Table?.LatestStreamArn;
  if (arn === undefined) {
    throw new Error(`table ${tableName} has no stream: the state mirror needs NEW_AND_OLD_IMAGES`);
  }
  return arn;
}
