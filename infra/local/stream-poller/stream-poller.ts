import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamShard, StreamSource } from './stream-source.js';

/** How far each shard has been handed over: what survives a restart of the poller. */
export interface ShardCheckpoint {
  /** The last sequence number handed over and acknowledged (every record before it was too). */
  readonly after?: string;
  /** The shard is closed and was read to its end. */
  readonly done?: boolean;
}

export interface CheckpointStore {
  load(streamArn: string): Promise<Record<string, ShardCheckpoint>>;
  save(streamArn: string, shards: Readonly<Record<string, ShardCheckpoint>>): Promise<void>;
}

/** The function a stream feeds, as Lambda calls it (partial batch responses honoured). */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
) => Promise<DynamoDBBatchResponse | void | undefined>;

export interface StreamPollerOptions {
  readonly source: StreamSource;
  readonly handler: StreamHandler;
  readonly checkpoints: CheckpointStore;
  /** Records per handler call (Lambda's BatchSize); default 100. */
  readonly batchSize?: number;
  /** Pause when no shard had anything new; default 250 ms. */
  readonly idleMs?: number;
  readonly log?: (line: string) => void;
}

const MAX_BACKOFF_MS = 5_000;
const SHARD_LIST_MAX_AGE_MS = 60_000;

/** What one pass over the shards did. */
export interface PassResult {
  /** Records handed over and acknowledged. */
  readonly handed: number;
  /** Shards read to their end in this pass (their children become readable). */
  readonly finished: number;
}

const isIdle = (pass: PassResult) => pass.handed === 0 && pass.finished === 0;

/**
 * Drives a stream handler from a table's stream the way Lambda's event source mapping does,
 * for places without one (DynamoDB Local): batches in shard order, a parent shard before its
 * children, the checkpoint moved only past records the handler acknowledged. A failed batch
 * (an error, or items reported in `batchItemFailures`) is handed over again from its first
 * failed record, with backoff, until it succeeds: nothing is skipped. A poller killed at any
 * point starts again after its last checkpoint, so records may be handed over twice, never lost.
 */
export class StreamPoller {
  readonly #source: StreamSource;
  readonly #handler: StreamHandler;
  readonly #checkpoints: CheckpointStore;
  readonly #batchSize: number;
  readonly #idleMs: number;
  readonly #log: (line: string) => void;
  #state: Record<string, ShardCheckpoint> | undefined;
  readonly #iterators = new Map<string, string>();
  #failures = 0;
  #shardList: { shards: StreamShard[]; at: number } | undefined;
  #passesStarted = 0;
  #waiters: { after: number; resolve: () => void }[] = [];

  constructor(options: StreamPollerOptions) {
    this.#source = options.source;
    this.#handler = options.handler;
    this.#checkpoints = options.checkpoints;
    this.#batchSize = options.batchSize ?? 100;
    this.#idleMs = options.idleMs ?? 250;
    this.#log = options.log ?? (() => undefined);
  }

  /** Polls until `signal` aborts; errors are logged and retried with backoff. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let idle = false;
      const pass = ++this.#passesStarted;
      try {
        idle = isIdle(await this.pollOnce());
        this.#failures = 0;
        if (idle) this.#settle(pass);
      } catch (error) {
        this.#failures++;
        this.#log(`stream poller: ${error instanceof Error ? error.message : String(error)}`);
      }
      const pause = this.#failures > 0 ? this.#backoffMs() : idle ? this.#idleMs : 0;
      // An abort ends the pause early: the loop then stops.
      if (pause > 0) await sleep(pause, undefined, { signal }).catch(() => undefined);
    }
  }

  /**
   * Resolves once a pass of {@link run} that started after this call found nothing new: every
   * change made before the call has been handed over and acknowledged.
   */
  caughtUp(): Promise<void> {
    const after = this.#passesStarted;
    return new Promise((resolve) => this.#waiters.push({ after, resolve }));
  }

  #settle(pass: number): void {
    const ready = this.#waiters.filter((w) => w.after < pass);
    this.#waiters = this.#waiters.filter((w) => w.after >= pass);
    for (const waiter of ready) waiter.resolve();
  }

  /**
   * One pass over the readable shards: at most one batch from each, each shard on its own (a
   * failing shard does not hold the others back). Answers how many records were handed over
   * and acknowledged and how many shards were read to their end; throws after the pass when a
   * shard's batch failed (having checkpointed what was acknowledged before the failure).
   */
  async pollOnce(): Promise<PassResult> {
    const state = (this.#state ??= { ...(await this.#checkpoints.load(this.#source.streamArn)) });
    const result = { handed: 0, finished: 0 };
    const failures: string[] = [];
    for (const shard of readable(await this.#shards(), state)) {
      try {
        const polled = await this.#pollShard(shard.id, state);
        result.handed += polled.handed;
        if (polled.finished) {
          result.finished++;
          // Its children, if any, are listed from now on.
          this.#shardList = undefined;
        }
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
    return result;
  }

  /**
   * Polls until a pass finds nothing new (no record, no shard ended, whose children would be
   * read next): every change so far has been handed over and acknowledged.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const pass = await this.pollOnce();
      if (isIdle(pass)) return total;
      total += pass.handed;
    }
  }

  /**
   * The stream's shards, listed again when a shard ended (new shards only appear as children of
   * a closed one) and at least every minute, not on every pass (a DescribeStream each time).
   */
  async #shards(): Promise<StreamShard[]> {
    if (this.#shardList === undefined || Date.now() - this.#shardList.at > SHARD_LIST_MAX_AGE_MS) {
      this.#shardList = { shards: await this.#source.shards(), at: Date.now() };
    }
    return this.#shardList.shards;
  }

  async #pollShard(
    shardId: string,
    state: Record<string, ShardCheckpoint>,
  ): Promise<{ handed: number; finished: boolean }> {
    const checkpoint = state[shardId] ?? {};
    const iterator =
      this.#iterators.get(shardId) ??
      (await this.#source.iterator(
        shardId,
        checkpoint.after === undefined ? 'oldest' : { after: checkpoint.after },
      ));
    // An iterator is good for one read; a failed read starts again from the checkpoint.
    this.#iterators.delete(shardId);
    const page = await this.#source.read(iterator, this.#batchSize);
    const acknowledged = await this.#handOver(page.records);
    const last = acknowledged.at(-1)?.dynamodb?.SequenceNumber;
    const failed = acknowledged.length < page.records.length;
    const done = !failed && page.next === undefined;
    if (last !== undefined || done) {
      state[shardId] = {
        ...checkpoint,
        ...(last === undefined ? {} : { after: last }),
        ...(done && { done }),
      };
      await this.#checkpoints.save(this.#source.streamArn, state);
    }
    if (failed) {
      throw new Error(
        `shard ${shardId}: ${page.records.length - acknowledged.length} of ${page.records.length} records not acknowledged; retrying from the first of them`,
      );
    }
    if (page.next !== undefined) this.#iterators.set(shardId, page.next);
    return { handed: acknowledged.length, finished: done };
  }

  /** The records the handler acknowledged: all, or those before the first reported failure. */
  async #handOver(records: DynamoDBRecord[]): Promise<DynamoDBRecord[]> {
    if (records.length === 0) return [];
    let response: DynamoDBBatchResponse | void | undefined;
    try {
      response = await this.#handler({ Records: records });
    } catch (error) {
      this.#log(`stream handler failed: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
    const failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const firstFailed = records.findIndex((r) =>
      failedIds.has(r.dynamodb?.SequenceNumber ?? r.eventID ?? ''),
    );
    // An identifier that names no record of the batch fails the whole batch, as Lambda does.
    if (failedIds.size > 0 && firstFailed < 0) return [];
    return firstFailed < 0 ? records : records.slice(0, firstFailed);
  }

  #backoffMs(): number {
    return Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.#failures, 10));
  }
}

/** Shards to read now: not finished, and whose parent is finished or no longer listed. */
function readable(
  shards: readonly StreamShard[],
  state: Readonly<Record<string, ShardCheckpoint>>,
): StreamShard[] {
  const listed = new Set(shards.map((s) => s.id));
  return shards.filter(
    (s) =>
      state[s.id]?.done !== true &&
      (s.parentId === undefined || !listed.has(s.parentId) || state[s.parentId]?.done === true),
  );
}
