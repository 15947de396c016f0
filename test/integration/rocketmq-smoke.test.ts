import type { MessageView, SimpleConsumer } from 'rocketmq-client-nodejs';
import { describe, expect } from 'vitest';
import { startProducer, startSimpleConsumer } from '../../lib/rocketmq/clients.js';
import { mapBounded } from '../../lib/util/concurrency.js';
import { test } from './fixtures.js';

const INVISIBLE_MS = 30_000;

/** Receives until `expected` messages arrived or the time is up, acking each after recording it. */
async function receiveAll(
  consumer: SimpleConsumer,
  expected: number,
  onMessage: (message: MessageView) => void,
  timeoutMs = 90_000,
): Promise<number> {
  let received = 0;
  const deadline = Date.now() + timeoutMs;
  while (received < expected && Date.now() < deadline) {
    const batch = await consumer.receive(32, INVISIBLE_MS);
    for (const message of batch) {
      onMessage(message);
      // Acked in receive order: a FIFO group's next message is only released after this one.
      await consumer.ack(message);
      received++;
    }
  }
  return received;
}

describe('RocketMQ 5 through the proxy, from Node', () => {
  test('delivers 1,000 messages with keys and properties to a SimpleConsumer, none missing or duplicated', async ({
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'smoke-normal');
    const group = await topics.group({}, 'smoke-normal');
    const consumer = await startSimpleConsumer(rocketmq, { consumerGroup: group, topics: [topic] });
    const producer = await startProducer(rocketmq, [topic]);
    try {
      const ids = Array.from({ length: 1_000 }, (_, i) => `m-${i}`);
      await mapBounded(ids, 32, (id, i) =>
        producer.send({
          topic,
          tag: i % 2 === 0 ? 'even' : 'odd',
          keys: [id, `order-${i % 7}`],
          properties: new Map([
            ['seq', String(i)],
            ['source', 'smoke'],
          ]),
          body: Buffer.from(JSON.stringify({ id, i })),
        }),
      );

      const seen = new Map<string, number>();
      const wrong: string[] = [];
      await receiveAll(consumer, ids.length, (message) => {
        const body = JSON.parse(message.body.toString()) as { id: string; i: number };
        seen.set(body.id, (seen.get(body.id) ?? 0) + 1);
        const expectedKeys = [body.id, `order-${body.i % 7}`];
        if (
          message.keys.slice().sort().join() !== expectedKeys.sort().join() ||
          message.properties.get('seq') !== String(body.i) ||
          message.properties.get('source') !== 'smoke' ||
          message.tag !== (body.i % 2 === 0 ? 'even' : 'odd')
        ) {
          wrong.push(body.id);
        }
      });
      // Everything was acked: nothing more may come back.
      const extra = await consumer.receive(32, INVISIBLE_MS);

      expect(ids.filter((id) => !seen.has(id))).toEqual([]);
      expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
      expect(wrong).toEqual([]);
      expect(extra).toHaveLength(0);
    } finally {
      await Promise.all([producer.shutdown(), consumer.shutdown()]);
    }
  });

  test('keeps order within each message group of a FIFO topic', async ({ rocketmq, topics }) => {
    const topic = await topics.topic('FIFO', 'smoke-fifo');
    const group = await topics.group({ fifo: true }, 'smoke-fifo');
    const consumer = await startSimpleConsumer(rocketmq, { consumerGroup: group, topics: [topic] });
    const producer = await startProducer(rocketmq, [topic]);
    const groups = ['g0', 'g1', 'g2', 'g3', 'g4'];
    const perGroup = 200;
    try {
      // Order is defined per group by send order, so each group sends one at a time;
      // the groups themselves send side by side.
      await Promise.all(
        groups.map(async (messageGroup) => {
          for (let seq = 0; seq < perGroup; seq++) {
            await producer.send({
              topic,
              messageGroup,
              keys: [`${messageGroup}-${seq}`],
              body: Buffer.from(JSON.stringify({ messageGroup, seq })),
            });
          }
        }),
      );

      const order = new Map<string, number[]>(groups.map((g) => [g, []]));
      await receiveAll(consumer, groups.length * perGroup, (message) => {
        const body = JSON.parse(message.body.toString()) as { messageGroup: string; seq: number };
        expect(message.messageGroup).toBe(body.messageGroup);
        order.get(body.messageGroup)?.push(body.seq);
      });

      const inOrder = Array.from({ length: perGroup }, (_, i) => i);
      for (const g of groups) expect(order.get(g), `message group ${g}`).toEqual(inOrder);
    } finally {
      await Promise.all([producer.shutdown(), consumer.shutdown()]);
    }
  });

  // rocketmq-client-nodejs hangs at startup when given several topics at once; clients.ts works
  // around it, and this proves a producer and a consumer over three topics work.
  test('a producer and a SimpleConsumer over three topics start and move every message', async ({
    rocketmq,
    topics,
  }) => {
    const names = await Promise.all([1, 2, 3].map((i) => topics.topic('NORMAL', `multi${i}`)));
    const group = await topics.group({}, 'multi');
    const consumer = await startSimpleConsumer(rocketmq, { consumerGroup: group, topics: names });
    const producer = await startProducer(rocketmq, names);
    try {
      const sent = names.flatMap((topic) => [0, 1, 2, 3, 4].map((i) => `${topic}/${i}`));
      await mapBounded(sent, 8, (id) =>
        producer.send({ topic: id.split('/')[0] ?? '', body: Buffer.from(id) }),
      );
      const received: string[] = [];
      await receiveAll(consumer, sent.length, (message) => {
        expect(message.body.toString().startsWith(`${message.topic}/`)).toBe(true);
        received.push(message.body.toString());
      });
      expect(received.sort()).toEqual(sent.sort());
    } finally {
      await Promise.all([producer.shutdown(), consumer.shutdown()]);
    }
  });
});
