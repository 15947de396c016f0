import { describe, expect } from 'vitest';
import { startSimpleConsumer } from '../../lib/rocketmq/clients.js';
import { consumerOffset } from '../../lib/rocketmq/remoting/broker.js';
import { RemotingAdmin } from '../../lib/rocketmq/remoting/remoting-admin.js';
import { RemotingMessaging } from '../../lib/rocketmq/remoting/remoting-messaging.js';
import { TopicRoutes } from '../../lib/rocketmq/remoting/routes.js';
import type { IncomingMessage, OutgoingMessage } from '../../lib/runtime/message-mapping.js';
import type { MessageConsumer } from '../../lib/runtime/messaging.js';
import { test, uniqueName } from './fixtures.js';

const message = (topic: string, seq: number, extra: Partial<OutgoingMessage> = {}) => ({
  topic,
  body: Buffer.from(`line ${seq}`),
  keys: [`key-${seq}`],
  properties: new Map([
    ['seq', String(seq)],
    ['header.with space', `value ${seq} \u00e9`],
  ]),
  ...extra,
});

/** Receives until `expected` messages came or a receive comes back empty. */
async function drain(consumer: MessageConsumer, expected: number): Promise<IncomingMessage[]> {
  const received: IncomingMessage[] = [];
  while (received.length < expected) {
    const batch = await consumer.receive(100, 30_000);
    if (batch.length === 0) break;
    received.push(...batch);
  }
  return received;
}

const seqOf = (m: IncomingMessage) => Number(m.properties.get('seq'));

describe('RocketMQ over remoting: batched sends and pulls straight to the broker', () => {
  test('each message of a batch keeps its own keys, properties and id, read back by pull and by the proxy', async ({
    stack,
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'remoting');
    const messaging = new RemotingMessaging(new RemotingAdmin(stack.rocketmq));
    const producer = await messaging.producer();
    const count = 3_000;
    const outcomes = await producer.send(
      Array.from({ length: count }, (_, seq) => message(topic, seq)),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const ids = outcomes.map((o) => (o.ok ? o.messageId : ''));
    expect(new Set(ids).size).toBe(count);

    const consumer = await messaging.consumer(uniqueName('pull'), [topic], { index: 0, count: 1 });
    const received = await drain(consumer, count);
    expect(received).toHaveLength(count);
    const bySeq = new Map(received.map((m) => [seqOf(m), m]));
    expect(bySeq.size).toBe(count);
    for (const seq of [0, 1, 777, count - 1]) {
      const m = bySeq.get(seq)!;
      expect(m.body.toString()).toBe(`line ${seq}`);
      expect(m.keys).toEqual([`key-${seq}`]);
      expect(m.messageId).toBe(ids[seq]);
      // Only the user's properties: RocketMQ's own (UNIQ_KEY, KEYS, WAIT, ...) are left out.
      expect(Object.fromEntries(m.properties)).toEqual({
        seq: String(seq),
        'header.with space': `value ${seq} \u00e9`,
      });
    }

    // The proxy's gRPC consumers read the same messages the same way.
    const grpc = await startSimpleConsumer(rocketmq, {
      consumerGroup: await topics.group({}, 'grpc-reader'),
      topics: [topic],
      awaitDurationMs: 2_500,
    });
    try {
      const views = await grpc.receive(16, 30_000);
      expect(views.length).toBeGreaterThan(0);
      for (const view of views) {
        const seq = Number(view.properties.get('seq'));
        expect(view.messageId).toBe(ids[seq]);
        expect(view.keys).toEqual([`key-${seq}`]);
        expect(view.body.toString()).toBe(`line ${seq}`);
      }
    } finally {
      await grpc.shutdown();
    }
  });

  test('tasks share the queues, commits follow acks, and the next consumer starts where they stopped', async ({
    stack,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'pull-share');
    const admin = new RemotingAdmin(stack.rocketmq);
    const messaging = new RemotingMessaging(admin);
    const producer = await messaging.producer();
    // A request goes to one queue, the next request to the next: 100 messages in each queue.
    for (let request = 0; request < 8; request++) {
      await producer.send(Array.from({ length: 100 }, (_, i) => message(topic, request * 100 + i)));
    }
    const group = uniqueName('share');

    // Two tasks: disjoint queues, together every message once.
    const [a, b] = await Promise.all([
      messaging.consumer(group, [topic], { index: 0, count: 2 }),
      messaging.consumer(group, [topic], { index: 1, count: 2 }),
    ]);
    const [fromA, fromB] = await Promise.all([drain(a, 800), drain(b, 800)]);
    expect(fromA).toHaveLength(400);
    expect(fromB).toHaveLength(400);
    const seqs = new Set([...fromA, ...fromB].map(seqOf));
    expect(seqs.size).toBe(800);

    // Task 0 acks only its first 100 messages; task 1 acks all.
    const outcomes = await a.ack(fromA.slice(0, 100));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    await b.ack(fromB);

    // A later slice of each task gets exactly what was not acked.
    const [a2, b2] = await Promise.all([
      messaging.consumer(group, [topic], { index: 0, count: 2 }),
      messaging.consumer(group, [topic], { index: 1, count: 2 }),
    ]);
    const again = await drain(a2, 800);
    expect(new Set(again.map(seqOf))).toEqual(new Set(fromA.slice(100).map(seqOf)));
    expect(await b2.receive(100, 30_000)).toEqual([]);

    // The group's offsets on the broker are where the acks left them.
    const routes = new TopicRoutes(admin);
    const queues = await routes.readable(topic);
    const committed = await Promise.all(
      queues.map((q) =>
        consumerOffset(admin.client, q.address, group, { topic, queueId: q.queueId }),
      ),
    );
    // Within a queue messages come in order, so what task 0 acked is a prefix of each queue's.
    const total = committed.reduce<number>((sum, o) => sum + (o ?? 0), 0);
    expect(total).toBe(100 + fromB.length);
  });

  test("a key's records go to the queue the key hashes to (Kafka's partitioner): a consumer of that queue reads them in order", async ({
    stack,
    topics,
  }) => {
    const messaging = new RemotingMessaging(new RemotingAdmin(stack.rocketmq));
    const producer = await messaging.producer();
    const topic = await topics.topic('NORMAL', 'keyed');
    // 20 keys, 400 records, sent as 4 batches one after the other (a key's 20 records in order).
    for (let batch = 0; batch < 4; batch++) {
      const sent = await producer.send(
        Array.from({ length: 100 }, (_, i) => {
          const seq = batch * 100 + i;
          return message(topic, seq, {
            keys: [`k${seq % 20}`],
            properties: new Map([
              ['seq', String(seq)],
              ['__connect.key', Buffer.from(`k${seq % 20}`).toString('base64')],
            ]),
          });
        }),
      );
      expect(sent.every((o) => o.ok)).toBe(true);
    }
    // Two tasks share the queues: each key is read by one of them, in the order it was sent.
    const group = uniqueName('keyed');
    const members = await Promise.all(
      [0, 1].map((index) => messaging.consumer(group, [topic], { index, count: 2 })),
    );
    const read = await Promise.all(members.map((m) => drain(m, 400)));
    expect(read[0]!.length + read[1]!.length).toBe(400);
    // Each message says its queue (a sink record's queueId: Kafka's partition).
    expect(read.flat().every((m) => m.queueId !== undefined && m.offset !== undefined)).toBe(true);
    for (let key = 0; key < 20; key++) {
      const seqs = read.map((messages) => messages.map(seqOf).filter((seq) => seq % 20 === key));
      const [mine, other] = seqs[0]!.length > 0 ? [seqs[0]!, seqs[1]!] : [seqs[1]!, seqs[0]!];
      expect(other).toEqual([]);
      expect(mine).toEqual(Array.from({ length: 20 }, (_, i) => key + 20 * i));
    }
  });

  test('a send creates a missing topic (as Kafka Connect has it created), a consumer names it; a FIFO group keeps its order in one queue', async ({
    stack,
    topics,
  }) => {
    const admin = new RemotingAdmin(stack.rocketmq);
    const messaging = new RemotingMessaging(admin);
    const producer = await messaging.producer();
    const missing = uniqueName('no-such-topic');
    await expect(messaging.consumer('g', [missing], { index: 0, count: 1 })).rejects.toThrow(
      missing,
    );
    const [outcome] = await producer.send([message(missing, 1)]);
    expect(outcome?.ok).toBe(true);
    expect(await admin.typeOf(missing)).toBe('NORMAL');
    const created = await messaging.consumer(uniqueName('created'), [missing], {
      index: 0,
      count: 1,
    });
    expect((await drain(created, 1)).map(seqOf)).toEqual([1]);

    const fifo = await topics.topic('FIFO', 'remoting-fifo');
    const sent = await producer.send(
      Array.from({ length: 60 }, (_, seq) =>
        message(fifo, seq, { messageGroup: `group-${seq % 3}` }),
      ),
    );
    expect(sent.every((o) => o.ok)).toBe(true);
    const consumer = await messaging.consumer(uniqueName('fifo'), [fifo], { index: 0, count: 1 });
    const received = await drain(consumer, 60);
    expect(received).toHaveLength(60);
    for (let g = 0; g < 3; g++) {
      const order = received.filter((m) => seqOf(m) % 3 === g).map(seqOf);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });
});
