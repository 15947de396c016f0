import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchWriteItemCommand,
  ResourceNotFoundException,
  ScanCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { keyOf, type Item } from '../state/attributes.js';
import { COORDINATOR_LEASE_KEY } from '../state/keys.js';
import { chunk, sendUntilProcessed } from '../state/requests.js';
import { mapBounded } from '../util/concurrency.js';
import { RestoreError, RestoreWriteError } from './errors.js';
import type { RestoreTable } from './restore.js';

/** DynamoDB's limit on the requests of one BatchWriteItem. */
const MAX_BATCH_WRITE = 25;
/** Batches in flight: enough to be quick, few enough not to set off throttling on their own. */
const BATCHES_IN_FLIGHT = 4;
/** Attempts of one batch while DynamoDB leaves some of it unprocessed (throttling). */
const WRITE_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 2_000;

export interface DynamoRestoreTableOptions {
  /** Waits between attempts; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The state table a restore writes into, on DynamoDB. */
export class DynamoRestoreTable implements RestoreTable {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: DynamoDBClient,
    readonly name: string,
    options: DynamoRestoreTableOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  /**
   * True when the table holds no item but the coordinator's lease (a coordinator may have run
   * against the new table already). Two items per page are enough to find one that is not it.
   */
  async isEmpty(): Promise<boolean> {
    let start: Item | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(
          new ScanCommand({
            TableName: this.name,
            Limit: 2,
            ProjectionExpression: 'pk, sk',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      if ((page.Items ?? []).some((item) => !isCoordinatorLease(item))) return false;
      start = page.LastEvaluatedKey;
    } while (start);
    return true;
  }

  /**
   * Puts every item (replacing an item of the same key), in batches of 25, a few at once;
   * what DynamoDB leaves unprocessed is sent again with backoff. Items must have distinct keys.
   * After a batch fails no other starts, but those in flight are waited for: the error's count
   * of items written is then exact, and no write goes on after it is thrown.
   */
  async putAll(items: readonly Item[], onProgress: (written: number) => void): Promise<void> {
    let written = 0;
    const count = (n: number) => {
      written += n;
      onProgress(written);
    };
    try {
      // After a failure mapBounded starts no batch, and rejects once those in flight are done.
      await mapBounded(chunk(items, MAX_BATCH_WRITE), BATCHES_IN_FLIGHT, (part) =>
        this.writeBatch(part, count),
      );
      return;
    } catch (error) {
      const reason =
        error instanceof RestoreError
          ? error.message
          : `DynamoDB failed: ${error instanceof Error ? error.message : String(error)}`;
      // DynamoDB's refusals of the request itself ($fault 'client') will be refused again.
      const retriable =
        error instanceof RestoreError
          ? error.retriable
          : (error as { $fault?: unknown }).$fault !== 'client';
      throw new RestoreWriteError(written, items.length, reason, { retriable, cause: error });
    }
  }

  private async writeBatch(items: readonly Item[], count: (n: number) => void): Promise<void> {
    const requests: WriteRequest[] = items.map((Item) => ({ PutRequest: { Item } }));
    await sendUntilProcessed(
      requests,
      async (pending) => {
        const answer = await this.call(() =>
          this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.name]: pending } })),
        );
        const left = answer.UnprocessedItems?.[this.name] ?? [];
        count(pending.length - left.length);
        return left;
      },
      {
        attempts: WRITE_ATTEMPTS,
        firstDelayMs: 100,
        maxDelayMs: MAX_BACKOFF_MS,
        sleep: this.sleep,
        exhausted: (left) =>
          new RestoreError(
            `${left} items were still unprocessed after ${WRITE_ATTEMPTS} attempts ` +
              `(the table is throttling writes)`,
            { retriable: true },
          ),
      },
    );
  }

  /** A missing table is named as such, not as DynamoDB's "non-existent table" message. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ResourceNotFoundException) {
        throw new RestoreError(
          `table ${this.name} does not exist (create it first: a state table with a stream, ` +
            `as serverless.yml declares it)`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

function isCoordinatorLease(item: Item): boolean {
  const key = keyOf(item);
  return key?.pk === COORDINATOR_LEASE_KEY.pk && key.sk === COORDINATOR_LEASE_KEY.sk;
}
