import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  QueryCommand,
  ScanCommand,
  TransactionCanceledException,
  TransactionConflictException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  type QueryCommandInput,
  type ScanCommandInput,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { keyItem, type Item } from './attributes.js';
import { ConflictError, StateError } from './errors.js';
import type { Expression } from './expression.js';
import type { StateKey } from './keys.js';

// The DynamoDB calls the store makes, with the paging, chunking and retrying they need, and
// the translation of failed conditions into StateErrors.

/** What every operation needs: the client and the table. */
export interface StateContext {
  readonly client: DynamoDBClient;
  readonly table: string;
}

/** DynamoDB's limit on the actions of one TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;
/** DynamoDB's limit on the keys of one BatchGetItem. */
const MAX_BATCH_GET_KEYS = 100;
const BATCH_GET_ATTEMPTS = 8;

/** One action of a transaction and the error its failed condition means. */
export interface TxAction {
  readonly action: TransactWriteItem;
  /** `old` is the item as it was when the condition failed (absent when there was none). */
  readonly onConditionFailed?: (old: Item | undefined, cause: unknown) => Error;
}

export function txConditionCheck(
  ctx: StateContext,
  key: StateKey,
  condition: string,
  x: Expression,
): TransactWriteItem {
  return {
    ConditionCheck: {
      TableName: ctx.table,
      Key: keyItem(key),
      ConditionExpression: condition,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      ...x.params(),
    },
  };
}

export function txUpdate(
  ctx: StateContext,
  key: StateKey,
  update: string,
  condition: string | undefined,
  x: Expression,
): TransactWriteItem {
  return {
    Update: {
      TableName: ctx.table,
      Key: keyItem(key),
      UpdateExpression: update,
      ...(condition === undefined
        ? {}
        : { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      ...x.params(),
    },
  };
}

export function txPut(
  ctx: StateContext,
  item: Item,
  condition: string | undefined,
  x: Expression,
): TransactWriteItem {
  return {
    Put: {
      TableName: ctx.table,
      Item: item,
      ...(condition === undefined
        ? {}
        : { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      ...x.params(),
    },
  };
}

export function txDelete(
  ctx: StateContext,
  key: StateKey,
  condition?: string,
  x?: Expression,
): TransactWriteItem {
  return {
    Delete: {
      TableName: ctx.table,
      Key: keyItem(key),
      ...(condition === undefined
        ? {}
        : { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      ...(x ? x.params() : {}),
    },
  };
}

/**
 * Runs one TransactWriteItems. When it is cancelled by failed conditions, throws the error of
 * the first failed action in list order (so put the check that matters most first, e.g. the
 * lease before the offsets); cancelled by a conflict with another transaction (and no failed
 * condition), throws a ConflictError naming `operation` (retriable); any other failure
 * (throttling, 5xx) is thrown as DynamoDB gave it, retriable.
 */
export async function transactWrite(
  ctx: StateContext,
  actions: readonly TxAction[],
  operation = 'write the state',
): Promise<void> {
  if (actions.length === 0) return;
  if (actions.length > MAX_TRANSACTION_ACTIONS) {
    // Callers check their own limits with a message of their own; this is the last guard.
    throw new StateError(
      `a transaction of ${actions.length} actions exceeds DynamoDB's limit of ${MAX_TRANSACTION_ACTIONS}`,
    );
  }
  try {
    await ctx.client.send(
      new TransactWriteItemsCommand({
        TransactItems: actions.map((a) => a.action),
        // The SDK's own retries resend this token, so a commit that landed but whose answer
        // was lost is not applied twice (nor refused as stale) on retry.
        ClientRequestToken: randomUUID(),
      }),
    );
  } catch (error) {
    throw explainCancellation(error, actions, operation);
  }
}

function explainCancellation(
  error: unknown,
  actions: readonly TxAction[],
  operation: string,
): unknown {
  if (!(error instanceof TransactionCanceledException)) return asConflict(error, operation);
  const reasons = error.CancellationReasons ?? [];
  for (const [i, reason] of reasons.entries()) {
    const explain = actions[i]?.onConditionFailed;
    if (reason.Code === 'ConditionalCheckFailed' && explain) return explain(reason.Item, error);
  }
  return asConflict(error, operation);
}

/** The cancellation reason codes of a cancelled transaction (empty for any other error). */
export const cancellationCodes = (error: unknown): (string | undefined)[] =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((reason) => reason.Code)
    : [];

/**
 * A conflict with a concurrent transaction (a transaction cancelled by `TransactionConflict`
 * with no failed condition, or a single-item write refused with TransactionConflictException)
 * as a ConflictError; any other error unchanged.
 */
export function asConflict(error: unknown, operation: string): unknown {
  const codes = cancellationCodes(error);
  const conflicted =
    error instanceof TransactionConflictException ||
    (codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed'));
  return conflicted ? new ConflictError(operation, { cause: error }) : error;
}

/** A single-item conditional write refused by its condition. */
export const isConditionFailed = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException;

/** Every item a query matches, following pages. */
export function queryAll(
  ctx: StateContext,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Item[]> {
  return allPages((start) =>
    ctx.client.send(new QueryCommand({ ...input, TableName: ctx.table, ...start })),
  );
}

/** Every item a scan matches, following pages. */
export function scanAll(
  ctx: StateContext,
  input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Item[]> {
  return allPages((start) =>
    ctx.client.send(new ScanCommand({ ...input, TableName: ctx.table, ...start })),
  );
}

/** Follows LastEvaluatedKey from page to page, collecting the items. */
async function allPages(
  fetchPage: (start: {
    ExclusiveStartKey?: Item;
  }) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await fetchPage(start ? { ExclusiveStartKey: start } : {});
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * The items of `keys` that exist (strongly consistent), in no particular order. Keys must be
 * distinct (DynamoDB refuses a batch with duplicates). Keys DynamoDB leaves unprocessed
 * (throttling) are asked again with backoff.
 */
export async function batchGetAll(
  ctx: StateContext,
  keys: readonly StateKey[],
  options: Pick<KeysAndAttributes, 'ProjectionExpression' | 'ExpressionAttributeNames'> = {},
): Promise<Item[]> {
  const items: Item[] = [];
  for (const part of chunk(keys, MAX_BATCH_GET_KEYS)) {
    await sendUntilProcessed(
      part.map(keyItem),
      async (pending) => {
        const answer = await ctx.client.send(
          new BatchGetItemCommand({
            RequestItems: { [ctx.table]: { Keys: pending, ConsistentRead: true, ...options } },
          }),
        );
        items.push(...(answer.Responses?.[ctx.table] ?? []));
        return answer.UnprocessedKeys?.[ctx.table]?.Keys ?? [];
      },
      {
        attempts: BATCH_GET_ATTEMPTS,
        firstDelayMs: 50,
        maxDelayMs: 1_000,
        exhausted: (left) =>
          new StateError(
            `${left} keys were still unprocessed after ${BATCH_GET_ATTEMPTS} attempts ` +
              `(the table is throttling reads)`,
            { retriable: true },
          ),
      },
    );
  }
  return items;
}

export interface UnprocessedRetry {
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Waits between attempts; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The error when requests are still left after every attempt. */
  readonly exhausted: (left: number) => Error;
}

/**
 * Sends a batch request (BatchGetItem, BatchWriteItem), then what DynamoDB left unprocessed
 * (throttling) again, backing off exponentially, until nothing is left or the attempts run out.
 * `send` answers the requests left unprocessed.
 */
export async function sendUntilProcessed<T>(
  requests: T[],
  send: (pending: T[]) => Promise<T[]>,
  retry: UnprocessedRetry,
): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === retry.attempts) throw retry.exhausted(pending.length);
    if (attempt > 0) {
      await (retry.sleep ?? sleep)(
        Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (attempt - 1)),
      );
    }
    pending = await send(pending);
  }
}

/** `items` in consecutive slices of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
