import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { keyItem, num, str, stringMap, type Item } from './attributes.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { ConnectorExistsError, ConnectorNotFoundError, StaleWriteError } from './errors.js';
import { Expression } from './expression.js';
import { readConnectorPartition } from './fences.js';
import { connectorFromItem, connectorItem } from './items.js';
import { connectorKey, CONNECTORS_PK } from './keys.js';
import {
  chunk,
  isConditionFailed,
  MAX_TRANSACTION_ACTIONS,
  queryAll,
  transactWrite,
  txDelete,
  type StateContext,
  type TxAction,
} from './requests.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import type { ConnectorRecord, Page, TargetState } from './types.js';
import {
  requireConfig,
  requireConnectorName,
  requireInteger,
  requireTargetState,
  requireTimestamp,
} from './validate.js';

// Connector config items (`connectors` / <name>): the management API's operations.

const MAX_PAGE_SIZE = 1000;

export async function createConnector(
  ctx: StateContext,
  name: string,
  config: ConnectorConfig,
  targetState: TargetState,
  now: number,
): Promise<ConnectorRecord> {
  requireConnectorName(name);
  requireConfig(config, `config of connector ${name}`);
  requireTargetState(targetState);
  requireTimestamp(now, 'now');
  const record: ConnectorRecord = {
    name,
    config: { ...config },
    targetState,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const x = new Expression();
  try {
    await ctx.client.send(
      new PutItemCommand({
        TableName: ctx.table,
        Item: connectorItem(record),
        ConditionExpression: `attribute_not_exists(${x.name('pk')})`,
        ...x.params(),
      }),
    );
  } catch (error) {
    if (isConditionFailed(error)) throw new ConnectorExistsError(name, { cause: error });
    throw error;
  }
  return record;
}

export async function putConnectorConfig(
  ctx: StateContext,
  name: string,
  config: ConnectorConfig,
  now: number,
  expectedVersion?: number,
): Promise<{ record: ConnectorRecord; created: boolean }> {
  requireConnectorName(name);
  requireConfig(config, `config of connector ${name}`);
  requireTimestamp(now, 'now');
  const x = new Expression();
  let update: string;
  let condition: string | undefined;
  if (expectedVersion === undefined) {
    // Create or replace in one atomic update: DynamoDB computes the new version from the stored
    // one (if_not_exists + 1), so there is nothing read beforehand that a concurrent writer
    // could invalidate, hence no condition and no retry loop; two racing PUTs both land, in
    // some order, with two distinct versions.
    const version = x.name('version');
    update =
      `SET ${x.name('name')} = ${x.value(str(name))}, ` +
      `${x.name('config')} = ${x.value(stringMap(config))}, ` +
      `${x.name('targetState')} = if_not_exists(${x.name('targetState')}, ${x.value(str('RUNNING'))}), ` +
      `${version} = if_not_exists(${version}, ${x.value(num(0))}) + ${x.value(num(1))}, ` +
      `${x.name('createdAt')} = if_not_exists(${x.name('createdAt')}, ${x.value(num(now))}), ` +
      `${x.name('updatedAt')} = ${x.value(num(now))}`;
  } else {
    requireInteger(expectedVersion, 'expected version', 1);
    update =
      `SET ${x.name('config')} = ${x.value(stringMap(config))}, ` +
      `${x.name('version')} = ${x.value(num(expectedVersion + 1))}, ` +
      `${x.name('updatedAt')} = ${x.value(num(now))}`;
    condition = `${x.name('version')} = ${x.value(num(expectedVersion))}`;
  }
  try {
    const answer = await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.table,
        Key: keyItem(connectorKey(name)),
        UpdateExpression: update,
        ...(condition === undefined
          ? {}
          : { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        ReturnValues: 'ALL_NEW',
        ...x.params(),
      }),
    );
    const record = connectorFromItem(answer.Attributes ?? {});
    return { record, created: record.version === 1 };
  } catch (error) {
    if (isConditionFailed(error) && expectedVersion !== undefined) {
      throw versionMismatch(name, expectedVersion, error.Item, error);
    }
    throw error;
  }
}

function versionMismatch(
  name: string,
  expected: number,
  stored: Item | undefined,
  cause: unknown,
): Error {
  if (!stored) return new ConnectorNotFoundError(name, 'update its config', { cause });
  return new StaleWriteError(
    name,
    `cannot update the config of connector ${name}: it is at version ${stored.version?.N ?? '?'}, ` +
      `not the expected ${expected} (it changed meanwhile; read it again)`,
    { cause },
  );
}

export async function setTargetState(
  ctx: StateContext,
  name: string,
  targetState: TargetState,
  now: number,
): Promise<ConnectorRecord> {
  requireConnectorName(name);
  requireTargetState(targetState);
  requireTimestamp(now, 'now');
  const x = new Expression();
  try {
    const answer = await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.table,
        Key: keyItem(connectorKey(name)),
        UpdateExpression:
          `SET ${x.name('targetState')} = ${x.value(str(targetState))}, ` +
          `${x.name('version')} = ${x.name('version')} + ${x.value(num(1))}, ` +
          `${x.name('updatedAt')} = ${x.value(num(now))}`,
        ConditionExpression: `attribute_exists(${x.name('pk')})`,
        ReturnValues: 'ALL_NEW',
        ...x.params(),
      }),
    );
    return connectorFromItem(answer.Attributes ?? {});
  } catch (error) {
    if (isConditionFailed(error)) {
      throw new ConnectorNotFoundError(name, `set its target state to ${targetState}`, {
        cause: error,
      });
    }
    throw error;
  }
}

export async function getConnector(
  ctx: StateContext,
  name: string,
): Promise<ConnectorRecord | undefined> {
  requireConnectorName(name);
  const answer = await ctx.client.send(
    new GetItemCommand({
      TableName: ctx.table,
      Key: keyItem(connectorKey(name)),
      ConsistentRead: true,
    }),
  );
  return answer.Item ? connectorFromItem(answer.Item) : undefined;
}

/** Connectors by name. Without a limit, every connector in one page. */
export async function listConnectors(
  ctx: StateContext,
  options: { limit?: number; cursor?: string } = {},
): Promise<Page<ConnectorRecord>> {
  const x = new Expression();
  const query = {
    KeyConditionExpression: `${x.name('pk')} = ${x.value(str(CONNECTORS_PK))}`,
    ConsistentRead: true,
    ...x.params(),
  };
  if (options.limit === undefined && options.cursor === undefined) {
    return { items: (await queryAll(ctx, query)).map(connectorFromItem) };
  }
  const limit = options.limit ?? MAX_PAGE_SIZE;
  requireInteger(limit, 'page limit', 1, MAX_PAGE_SIZE);
  const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const page = await ctx.client.send(
    new QueryCommand({
      ...query,
      TableName: ctx.table,
      Limit: limit,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  return {
    items: (page.Items ?? []).map(connectorFromItem),
    ...(page.LastEvaluatedKey ? { cursor: encodeCursor(page.LastEvaluatedKey) } : {}),
  };
}

/**
 * Deletes the config and everything under `connector#<name>` (task configs, status, task
 * items), in transactions of at most 100 deletes. The config goes in the first one, on the
 * condition that it exists; once it is gone the connector is deleted for everyone, and the
 * later transactions only clear what it left. Offsets stay (a re-created connector resumes).
 */
export async function deleteConnector(ctx: StateContext, name: string): Promise<void> {
  requireConnectorName(name);
  const partition = await readConnectorPartition(ctx, name);
  const x = new Expression();
  const deleteConfig: TxAction = {
    action: txDelete(ctx, connectorKey(name), `attribute_exists(${x.name('pk')})`, x),
    onConditionFailed: (_old, cause) => new ConnectorNotFoundError(name, 'delete it', { cause }),
  };
  const others: TxAction[] = partition.keys.map((key) => ({ action: txDelete(ctx, key) }));
  const first = others.slice(0, MAX_TRANSACTION_ACTIONS - 1);
  await transactWrite(ctx, [deleteConfig, ...first]);
  for (const rest of chunk(others.slice(first.length), MAX_TRANSACTION_ACTIONS)) {
    await transactWrite(ctx, rest);
  }
}
