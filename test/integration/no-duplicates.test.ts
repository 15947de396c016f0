/**
 * No duplicates without a crash (issue 22, item 1): FileStreamSource -> RocketMQ ->
 * FileStreamSink over many slice hand-overs at `slice.max.records`, while another process keeps
 * a core busy, writes every line exactly once. No slice is killed here, so a single line
 * written twice is a failure, and so is a message the sink receives a second time (it was
 * acked too late, or not at all, and came back), whether or not it was written again yet.
 *
 * NO_DUPLICATES_DEBUG=1 prints, for each message that came back, when it was received, how long
 * it was to stay invisible, and when its ack resolved. NO_DUPLICATES_LINES and
 * NO_DUPLICATES_SLICE_RECORDS change the size; NO_DUPLICATES_TOPIC names a NORMAL topic made
 * beforehand.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished } from 'vitest';
import { MIN_INVISIBLE_DURATION_MS } from '../../lib/rocketmq/clients.js';
import type { Messaging } from '../../lib/runtime/messaging.js';
import { test } from './fixtures.js';
import { LocalPlatform, readLines } from './platform.js';

const COUNT = Number(process.env.NO_DUPLICATES_LINES ?? 20_000);
/** A hand-over every this many records, on each side: about 20 of them per side. */
const SLICE_MAX_RECORDS = Number(process.env.NO_DUPLICATES_SLICE_RECORDS ?? 1_000);
const LEASE_GRACE_MS = 1_500;
const SLICE_MAX_MS = 20_000;

const lines = (count: number) =>
  Array.from({ length: count }, (_, i) => `line ${String(i).padStart(6, '0')}`);

/** What the slices did with each message: the source's sends, the sink's receives and acks. */
class Observed {
  sent = 0;
  /** By message id: each delivery, with its queue offset (a resent message has another). */
  readonly received = new Map<string, { at: number; invisibleMs: number; offset?: number }[]>();
  readonly acked = new Map<string, string[]>();
  readonly started = Date.now();

  wrap(inner: Messaging): Messaging {
    return {
      producer: async (topics) => {
        const producer = await inner.producer(topics);
        return {
          send: async (messages) => {
            const outcomes = await producer.send(messages);
            this.sent += outcomes.filter((o) => o.ok).length;
            return outcomes;
          },
        };
      },
      consumer: async (group, topics, member) => {
        const consumer = await inner.consumer(group, topics, member);
        return {
          receive: async (max, invisibleMs) => {
            const messages = await consumer.receive(max, invisibleMs);
            const at = Date.now() - this.started;
            for (const m of messages) {
              const seen = this.received.get(m.messageId) ?? [];
              seen.push({
                at,
                invisibleMs: Math.max(MIN_INVISIBLE_DURATION_MS, invisibleMs),
                ...(m.offset !== undefined && { offset: m.offset }),
              });
              this.received.set(m.messageId, seen);
            }
            return messages;
          },
          ack: async (messages) => {
            const outcomes = await consumer.ack(messages);
            const at = Date.now() - this.started;
            messages.forEach((m, i) => {
              const seen = this.acked.get(m.messageId) ?? [];
              seen.push(outcomes[i]?.ok ? `${at}` : `${at} failed`);
              this.acked.set(m.messageId, seen);
            });
            return outcomes;
          },
        };
      },
    };
  }

  print(): void {
    const redelivered = this.redelivered();
    const stored = this.storedTwice();
    console.log(
      `sent ${this.sent}; received ${this.received.size} ids; redelivered ${redelivered.length}; stored twice ${stored.length}`,
    );
    for (const line of [...redelivered.slice(0, 60), ...stored.slice(0, 60)]) console.log(line);
  }

  /** Message ids RocketMQ stored more than once (at different queue offsets). */
  storedTwice(): string[] {
    return [...this.received]
      .filter(([, seen]) => new Set(seen.map((s) => s.offset)).size > 1)
      .map(([id, seen]) => `${id}: offsets ${seen.map((s) => s.offset).join(', ')}`);
  }

  /**
   * Messages received more than once from the same queue offset (not acked in time), with
   * their history; `stored` counts the copies RocketMQ stored of one message id instead (a send
   * that timed out on the client but was stored, then sent again).
   */
  redelivered(): string[] {
    return [...this.received]
      .filter(([, seen]) => new Set(seen.map((s) => s.offset)).size < seen.length)
      .map(([id, seen]) => {
        const receives = seen
          .map((s) => `${s.at} ms at offset ${s.offset} (invisible ${s.invisibleMs} ms)`)
          .join(', ');
        return `${id}: received ${receives}; acks resolved ${(this.acked.get(id) ?? []).join(', ')} ms`;
      });
  }
}

/** A process that keeps one core busy until killed: the loaded machine of the issue. */
function busyCore(): void {
  const child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
}

describe('no duplicates without a crash', () => {
  test('every line exactly once across many slice.max.records hand-overs on a busy machine', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'no-duplicates-'));
    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    const expected = lines(COUNT);
    await writeFile(input, expected.map((l) => `${l}\n`).join(''));
    // NO_DUPLICATES_TOPIC: a NORMAL topic made beforehand, to rerun against the same one.
    const topic = process.env.NO_DUPLICATES_TOPIC ?? (await topics.topic('NORMAL', 'nodup'));
    const observed = new Observed();
    const platform = new LocalPlatform(dynamo, table, rocketmq, undefined, {
      leaseGraceMs: LEASE_GRACE_MS,
      messaging: (inner) => observed.wrap(inner),
    });
    onTestFinished(() => platform.close());
    busyCore();
    const common = {
      'slice.max.records': String(SLICE_MAX_RECORDS),
      'slice.max.ms': String(SLICE_MAX_MS),
    };
    const now = Date.now();
    await platform.store.createConnector(
      'nodup-in',
      { 'connector.class': 'FileStreamSource', file: input, topic, ...common },
      'RUNNING',
      now,
    );
    await platform.store.createConnector(
      'nodup-out',
      { 'connector.class': 'FileStreamSink', file: output, topics: topic, ...common },
      'RUNNING',
      now,
    );

    if (process.env.NO_DUPLICATES_DEBUG) onTestFinished(() => observed.print());
    await platform.runUntil(async () => (await readLines(output)).length >= COUNT, {
      timeoutMs: 300_000,
    });
    await platform.dispatcher.drain();
    // A message acked too late comes back once its invisible time is over: one more sink slice
    // after that must find nothing.
    await new Promise((resolve) => setTimeout(resolve, MIN_INVISIBLE_DURATION_MS + 2_000));
    await platform.tick();
    await platform.dispatcher.drain();

    const got = await readLines(output);
    const redelivered = observed.redelivered();
    const ran = platform.outcomes.filter((o) => o.outcome.kind === 'ran');
    expect(ran.filter((o) => o.request.connector === 'nodup-in').length).toBeGreaterThan(5);
    expect(ran.filter((o) => o.request.connector === 'nodup-out').length).toBeGreaterThan(5);
    expect(ran.every((o) => o.outcome.kind === 'ran' && o.outcome.status.state === 'RUNNING')).toBe(
      true,
    );
    expect(observed.sent).toBe(COUNT);
    expect(redelivered).toEqual([]);
    expect(observed.storedTwice()).toEqual([]);
    expect(got.length).toBe(COUNT);
    expect(got.sort()).toEqual(expected.sort());
  }, 420_000);
});
