import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, test } from 'vitest';
import {
  StreamPoller,
  type CheckpointStore,
  type ShardCheckpoint,
  type StreamHandler,
} from '../../../../infra/local/stream-poller/stream-poller.js';
import type {
  RecordPage,
  ShardPosition,
  StreamShard,
  StreamSource,
} from '../../../../infra/local/stream-poller/stream-source.js';

const ARN = 'arn:aws:dynamodb:local:0:table/t/stream/2026-11-24T00:00:00.000';

const rec = (seq: number): DynamoDBRecord => ({
  eventID: `e${seq}`,
  eventName: 'MODIFY',
  eventSourceARN: ARN,
  dynamodb: { SequenceNumber: String(seq).padStart(21, '0') },
});
const seqOf = (r: DynamoDBRecord) => Number(r.dynamodb?.SequenceNumber);

/** A stream in memory: shards with their records; `closed` shards end. */
class FakeSource implements StreamSource {
  readonly streamArn = ARN;
  constructor(
    readonly shardList: (StreamShard & { records: DynamoDBRecord[]; closed?: boolean })[],
  ) {}
  shards(): Promise<StreamShard[]> {
    return Promise.resolve(
      this.shardList.map(({ id, parentId }) => ({ id, ...(parentId && { parentId }) })),
    );
  }
  iterator(shardId: string, from: ShardPosition): Promise<string> {
    const shard = this.#shard(shardId);
    const index =
      from === 'oldest' ? 0 : shard.records.findIndex((r) => seqOf(r) > Number(from.after));
    return Promise.resolve(`${shardId}@${index < 0 ? shard.records.length : index}`);
  }
  read(iterator: string, limit: number): Promise<RecordPage> {
    const [id, at] = iterator.split('@') as [string, string];
    const shard = this.#shard(id);
    const start = Number(at);
    const records = shard.records.slice(start, start + limit);
    const end = start + records.length;
    // As DynamoDB Streams does, a closed shard ends with an empty page without a next iterator.
    const finished = shard.closed === true && records.length === 0;
    return Promise.resolve({ records, ...(finished ? {} : { next: `${id}@${end}` }) });
  }
  #shard(id: string) {
    const shard = this.shardList.find((s) => s.id === id);
    if (!shard) throw new Error(`no shard ${id}`);
    return shard;
  }
}

class MemoryCheckpoints implements CheckpointStore {
  saved: Record<string, ShardCheckpoint> = {};
  load(): Promise<Record<string, ShardCheckpoint>> {
    return Promise.resolve({ ...this.saved });
  }
  save(_arn: string, shards: Readonly<Record<string, ShardCheckpoint>>): Promise<void> {
    this.saved = { ...shards };
    return Promise.resolve();
  }
}

function recording(
  respond: (event: DynamoDBStreamEvent) => ReturnType<StreamHandler> = () => Promise.resolve(),
) {
  const seen: number[][] = [];
  const handler: StreamHandler = (event) => {
    seen.push(event.Records.map(seqOf));
    return respond(event);
  };
  return { seen, handler };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the local stream poller', () => {
  test('hands records over in batches in order and checkpoints after each acknowledged batch', async () => {
    const source = new FakeSource([{ id: 's1', records: range(1, 5).map(rec) }]);
    const checkpoints = new MemoryCheckpoints();
    const { seen, handler } = recording();
    const poller = new StreamPoller({ source, handler, checkpoints, batchSize: 2 });
    expect(await poller.drain()).toBe(5);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect(checkpoints.saved.s1?.after).toBe(String(5).padStart(21, '0'));
  });

  test('a new poller starts after the checkpoint, so records after it are not skipped nor repeated', async () => {
    const source = new FakeSource([{ id: 's1', records: range(1, 3).map(rec) }]);
    const checkpoints = new MemoryCheckpoints();
    await new StreamPoller({ source, handler: recording().handler, checkpoints }).drain();
    source.shardList[0]!.records.push(rec(4), rec(5));
    const { seen, handler } = recording();
    await new StreamPoller({ source, handler, checkpoints }).drain();
    expect(seen).toEqual([[4, 5]]);
  });

  test('a partial batch failure checkpoints before the failed record and hands it over again', async () => {
    const source = new FakeSource([{ id: 's1', records: range(1, 5).map(rec) }]);
    const checkpoints = new MemoryCheckpoints();
    let failOnce = true;
    const { seen, handler } = recording((event) => {
      if (!failOnce) return Promise.resolve({ batchItemFailures: [] });
      failOnce = false;
      const failed = event.Records.filter((r) => seqOf(r) >= 3);
      return Promise.resolve({
        batchItemFailures: failed.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
      });
    });
    const poller = new StreamPoller({ source, handler, checkpoints });
    await expect(poller.pollOnce()).rejects.toThrow('3 of 5 records not acknowledged');
    expect(checkpoints.saved.s1?.after).toBe(String(2).padStart(21, '0'));
    expect(await poller.drain()).toBe(3);
    expect(seen).toEqual([range(1, 5), range(3, 5)]);
  });

  test('a handler that throws has its whole batch handed over again', async () => {
    const source = new FakeSource([{ id: 's1', records: range(1, 3).map(rec) }]);
    let calls = 0;
    const { seen, handler } = recording(() =>
      ++calls === 1 ? Promise.reject(new Error('broker down')) : Promise.resolve(),
    );
    const poller = new StreamPoller({ source, handler, checkpoints: new MemoryCheckpoints() });
    await expect(poller.pollOnce()).rejects.toThrow('not acknowledged');
    await poller.drain();
    expect(seen).toEqual([range(1, 3), range(1, 3)]);
  });

  test('a failure naming no record of the batch fails the whole batch, as Lambda does', async () => {
    const source = new FakeSource([{ id: 's1', records: range(1, 2).map(rec) }]);
    const checkpoints = new MemoryCheckpoints();
    const handler: StreamHandler = () =>
      Promise.resolve({ batchItemFailures: [{ itemIdentifier: 'nonsense' }] });
    await expect(new StreamPoller({ source, handler, checkpoints }).pollOnce()).rejects.toThrow();
    expect(checkpoints.saved).toEqual({});
  });

  test('a child shard is read only after its closed parent was read to the end', async () => {
    const source = new FakeSource([
      { id: 'child', parentId: 'parent', records: [rec(10), rec(11)] },
      { id: 'parent', records: range(1, 3).map(rec), closed: true },
    ]);
    const checkpoints = new MemoryCheckpoints();
    const { seen, handler } = recording();
    await new StreamPoller({ source, handler, checkpoints, batchSize: 10 }).drain();
    expect(seen).toEqual([range(1, 3), [10, 11]]);
    expect(checkpoints.saved.parent?.done).toBe(true);
  });

  test('run keeps polling until aborted and survives failures', async () => {
    const source = new FakeSource([{ id: 's1', records: range(1, 2).map(rec) }]);
    let calls = 0;
    const { seen, handler } = recording(() =>
      ++calls === 1 ? Promise.reject(new Error('flaky')) : Promise.resolve(),
    );
    const lines: string[] = [];
    const poller = new StreamPoller({
      source,
      handler,
      checkpoints: new MemoryCheckpoints(),
      idleMs: 5,
      log: (line) => lines.push(line),
    });
    const stop = new AbortController();
    const running = poller.run(stop.signal);
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(2);
    stop.abort();
    await running;
    expect(lines.some((l) => l.includes('flaky'))).toBe(true);
  });
});

describe('waiting for the poller to catch up', () => {
  test('a closed parent ending in an empty page is progress: drain goes on to its children', async () => {
    const source = new FakeSource([
      { id: 'parent', records: range(1, 2).map(rec), closed: true },
      { id: 'child', parentId: 'parent', records: [rec(10)] },
    ]);
    const { seen, handler } = recording();
    const poller = new StreamPoller({ source, handler, checkpoints: new MemoryCheckpoints() });
    expect(await poller.drain()).toBe(3);
    expect(seen).toEqual([[1, 2], [10]]);
  });

  test('a failing shard does not hold the other shards back', async () => {
    const source = new FakeSource([
      { id: 'bad', records: [rec(1)] },
      { id: 'good', records: [rec(20), rec(21)] },
    ]);
    const { seen, handler } = recording((event) =>
      seqOf(event.Records[0]!) === 1 ? Promise.reject(new Error('poison')) : Promise.resolve(),
    );
    const poller = new StreamPoller({ source, handler, checkpoints: new MemoryCheckpoints() });
    await expect(poller.pollOnce()).rejects.toThrow('shard bad');
    expect(seen).toContainEqual([20, 21]);
  });

  test('caughtUp resolves only after the changes made before it were handed over', async () => {
    const source = new FakeSource([{ id: 's1', records: [rec(1)] }]);
    const { seen, handler } = recording();
    const poller = new StreamPoller({
      source,
      handler,
      checkpoints: new MemoryCheckpoints(),
      idleMs: 5,
    });
    const stop = new AbortController();
    const running = poller.run(stop.signal);
    await poller.caughtUp();
    source.shardList[0]!.records.push(rec(2), rec(3));
    await poller.caughtUp();
    expect(seen.flat()).toEqual([1, 2, 3]);
    stop.abort();
    await running;
  });
});
