/**
 * The state mirror killed mid-batch: a process running the local stream poller and the real
 * mirror function is SIGKILLed (by itself, at an exact point: some changes of a batch stored,
 * the rest not) three times while changes keep coming, then started again. Afterwards every
 * change of the table (read independently from its stream) is in the state topics, and the
 * changes stored before each crash were published again (at least once, never lost).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect } from 'vitest';
import { localStreamsClient } from '../../infra/local/probes.js';
import { repoRoot } from '../../infra/local/settings.js';
import { maskConfig } from '../../lib/config/mask.js';
import { stateChangeOf } from '../../lib/mirror/state-change.js';
import { DynamoStreamSource } from '../../infra/local/stream-poller/stream-source.js';
import { keyItem, num, str, type Item } from '../../lib/state/attributes.js';
import { connectorStatusItem } from '../../lib/state/items.js';
import { offsetsPk } from '../../lib/state/keys.js';
import { stateStreamArn } from '../../lib/state/table.js';
import { test } from './fixtures.js';
import type { MirrorWorkerSettings } from './mirror-worker.js';
import { readStateTopics } from './state-topics.js';

const ROUNDS = 48; // 25 changes a round: 1,200 changes
const KILLS = 3;
const workerScript = path.join(repoRoot, 'test/integration/mirror-worker.ts');
const scratch = mkdtempSync(path.join(tmpdir(), 'mirror-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One mirror process and what it reported. */
class MirrorProcess {
  readonly child: ChildProcess;
  /** What the process said just before it SIGKILLed itself. */
  crashing: { batch: number; stored: number; of: number } | undefined;
  signal: NodeJS.Signals | null = null;
  caughtUp = 0;
  readonly stderr: string[] = [];
  readonly exited: Promise<void>;

  constructor(settings: MirrorWorkerSettings) {
    this.child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
      cwd: repoRoot,
      env: { ...process.env, MIRROR_WORKER: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((done) =>
      this.child.once('close', (_code, signal) => {
        this.signal = signal;
        done();
      }),
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event: string };
        if (event.event === 'crashing')
          this.crashing = event as unknown as MirrorProcess['crashing'];
        if (event.event === 'caughtUp') this.caughtUp++;
      } catch {
        // not an event
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 30) this.stderr.shift();
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.child.kill(signal);
    await this.exited;
  }
}

/** Round r: 20 connector statuses and 5 offsets (every tenth round deletes the offsets). */
function round(r: number): WriteRequest[] {
  const statuses = Array.from({ length: 20 }, (_, i) => ({
    PutRequest: {
      Item: connectorStatusItem({
        connector: `c${i}`,
        state: r % 2 === 0 ? 'RUNNING' : 'PAUSED',
        updatedAt: r,
      }),
    },
  }));
  const offsets = Array.from({ length: 5 }, (_, j): WriteRequest => {
    const key = keyItem({ pk: offsetsPk(`c${j}`), sk: `{"file":"f${j}"}` });
    if (r % 10 === 9) return { DeleteRequest: { Key: key } };
    const item: Item = {
      ...key,
      connector: str(`c${j}`),
      partition: str(`{"file":"f${j}"}`),
      offset: str(`{"position":${r}}`),
      epoch: num(1),
      seq: num(r),
      updatedAt: num(r),
    };
    return { PutRequest: { Item: item } };
  });
  return [...statuses, ...offsets];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('the state mirror killed mid-batch', () => {
  test(
    'loses no change: every change of the table is in the state topics',
    { timeout: 300_000 },
    async ({ stack, dynamo, table, topics }) => {
      const stateTopics = {
        config: await topics.topic('FIFO', 'state-config'),
        offset: await topics.topic('FIFO', 'state-offset'),
        status: await topics.topic('FIFO', 'state-status'),
      };
      const settings: MirrorWorkerSettings = {
        rocketmq: stack.rocketmq.endpoint,
        topics: stateTopics,
        dynamodbEndpoint: stack.dynamodb.endpoint,
        table,
        checkpointFile: path.join(scratch, 'checkpoints.json'),
        batchSize: 40,
      };

      // Changes keep coming while the mirror is killed and started again.
      let written = 0;
      const writing = (async () => {
        for (let r = 0; r < ROUNDS; r++) {
          await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: round(r) } }));
          written += 25;
          await sleep(100);
        }
      })();

      // Each of these crashes (SIGKILLs itself) mid-batch: in its first to third batch of more
      // than 10 changes, once the broker has stored 1 to 10 of them.
      const crashes: NonNullable<MirrorProcess['crashing']>[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        const crash = {
          batch: 1 + Math.floor(Math.random() * 3),
          stored: 1 + Math.floor(Math.random() * 10),
        };
        const crashing = new MirrorProcess({ ...settings, crash });
        await crashing.exited;
        expect(crashing.signal, crashing.stderr.join('\n')).toBe('SIGKILL');
        crashes.push(crashing.crashing!);
      }
      expect(crashes.every((c) => c.stored < c.of)).toBe(true);
      const mirror = new MirrorProcess(settings);
      await writing;
      expect(written).toBe(ROUNDS * 25);
      // Two catch-ups after the last write: the second one's pass started after the writes ended.
      const seen = mirror.caughtUp;
      await until('the mirror to catch up', () => mirror.caughtUp >= seen + 2, 120_000);
      await mirror.kill('SIGTERM');

      // Every change, read independently from the table's stream.
      const streams = localStreamsClient(stack.dynamodb.endpoint);
      const source = new DynamoStreamSource(streams, await stateStreamArn(dynamo, table));
      const expected = new Set<string>();
      for (const shard of await source.shards()) {
        let iterator: string | undefined = await source.iterator(shard.id, 'oldest');
        while (iterator !== undefined) {
          const page = await source.read(iterator, 1000);
          for (const record of page.records) {
            const change = stateChangeOf(record, stateTopics, (c) => maskConfig(c));
            if (change) expected.add(change.payload.version);
          }
          iterator = page.records.length === 0 ? undefined : page.next;
        }
      }
      streams.destroy();
      expect(expected.size).toBe(ROUNDS * 25);

      const published = await readStateTopics(stack.rocketmq.endpoint, stateTopics);
      const versions = published.map((p) => p.version);
      const missing = [...expected].filter((v) => !versions.includes(v));

      expect(missing).toEqual([]);
      expect(versions.filter((v) => !expected.has(v))).toEqual([]);
      // Kills mid-batch leave changes published but not checkpointed: they are published again.
      expect(versions.length).toBeGreaterThan(expected.size);
    },
  );
});
