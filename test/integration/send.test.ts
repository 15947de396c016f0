import type { MessageView } from 'rocketmq-client-nodejs';
import { describe, expect } from 'vitest';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import type { Converter } from '../../lib/api/converter.js';
import { startSimpleConsumer, type RocketMqEndpoint } from '../../lib/rocketmq/clients.js';
import { RocketMqMessaging } from '../../lib/rocketmq/messaging.js';
import { toMessage, type OutgoingMessage } from '../../lib/runtime/message-mapping.js';
import { sendAll } from '../../lib/rocketmq/send.js';
import { NonRetriableError } from '../../lib/api/errors.js';
import { test, uniqueName } from './fixtures.js';

/**
 * Every message of `topics` for `group` (a new one unless given), until `expected` arrived and
 * one more receive stays empty; each is acked in receive order (a FIFO group's next message is
 * only released after the one before is acked).
 */
async function drain(
  rocketmq: RocketMqEndpoint,
  topics: readonly string[],
  expected: number,
  group = uniqueName('send-reader'),
): Promise<MessageView[]> {
  const consumer = await startSimpleConsumer(rocketmq, {
    consumerGroup: group,
    topics,
    awaitDurationMs: 2_500,
  });
  try {
    const received: MessageView[] = [];
    const until = Date.now() + 90_000;
    for (;;) {
      const batch = await consumer.receive(32, 30_000);
      for (const message of batch) {
        received.push(message);
        await consumer.ack(message);
      }
      if (batch.length === 0 && received.length >= expected) return received;
      if (Date.now() > until) return received;
    }
  } finally {
    await consumer.shutdown();
  }
}

const seqOf = (m: { properties: ReadonlyMap<string, string> }) => Number(m.properties.get('seq'));

describe('sending batches and reusing clients', () => {
  test('a cache hands out one producer per endpoint and one consumer per group and topic set', async ({
    rocketmq,
    topics,
  }) => {
    const [a, b] = await Promise.all([
      topics.topic('NORMAL', 'cache-a'),
      topics.topic('NORMAL', 'cache-b'),
    ]);
    const group = await topics.group({}, 'cache');
    const cache = new ClientCache(rocketmq);
    try {
      const [p1, p2] = await Promise.all([cache.producer([a]), cache.producer([b])]);
      expect(p1).toBe(p2);
      const c1 = await cache.consumer({ consumerGroup: group, topics: [a, b] });
      const c2 = await cache.consumer({ consumerGroup: group, topics: [b, a] });
      expect(c1).toBe(c2);
      const other = await cache.consumer({ consumerGroup: group, topics: [a] });
      expect(other).not.toBe(c1);
    } finally {
      await cache.close();
    }
    // After close, a new client is started rather than the closed one handed out.
    const again = new ClientCache(rocketmq);
    try {
      expect((await again.producer([a])).isRunning()).toBe(true);
    } finally {
      await again.close();
    }
  });

  test('a batch resolves with every receipt, and a message that cannot be sent fails alone', async ({
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'send');
    const cache = new ClientCache(rocketmq);
    try {
      const producer = await cache.producer([topic]);
      const messages = Array.from({ length: 200 }, (_, i) => ({
        topic: i === 57 ? uniqueName('no-such-topic') : topic,
        body: Buffer.from(`m${i}`),
        keys: [`k${i}`],
        properties: new Map([['seq', String(i)]]),
      }));
      const outcomes = await sendAll(producer, messages);
      expect(outcomes).toHaveLength(200);
      const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [i]));
      expect(failed).toEqual([57]);
      expect(new Set(outcomes.flatMap((o) => (o.ok ? [o.messageId] : []))).size).toBe(199);
    } finally {
      await cache.close();
    }
  });

  test('a FIFO topic takes records without a key, with long keys, and with keys holding control characters', async ({
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('FIFO', 'fifo-keys');
    const cache = new ClientCache(rocketmq);
    const text: Converter = {
      configure: () => undefined,
      fromConnectData: (_topic, _schema, value) => Buffer.from(String(value)),
      toConnectData: () => ({ schema: undefined, value: null }),
    };
    try {
      const producer = await cache.producer([topic]);
      const keys = [null, '', 'short', 'k'.repeat(64), 'k'.repeat(500), 'tab\tkey'];
      const messages = keys.map((key, i) =>
        toMessage(
          {
            partition: {},
            offset: {},
            timestamp: 0,
            key,
            value: `v${i}`,
            headers: [],
          },
          { key: text, value: text },
          { defaultTopic: topic, fifo: true },
        ),
      );
      const outcomes = await sendAll(producer, messages);
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(keys.map(() => 'ok'));
    } finally {
      await cache.close();
    }
  });

  test('a batch of mixed topics and sizes arrives exactly once, with its keys and properties', async ({
    rocketmq,
    topics,
  }) => {
    const names = await Promise.all([
      topics.topic('NORMAL', 'mixed-a'),
      topics.topic('NORMAL', 'mixed-b'),
    ]);
    const cache = new ClientCache(rocketmq);
    // Small ones, and some large enough that the bytes, not the count, end a request.
    const messages: OutgoingMessage[] = Array.from({ length: 600 }, (_, i) => ({
      topic: names[i % 3 === 0 ? 1 : 0],
      body: Buffer.alloc(i % 50 === 0 ? 300_000 : 10 + (i % 7) * 100, i % 256),
      keys: [`k${i}`, `alt${i}`],
      properties: new Map([
        ['seq', String(i)],
        ['kind', i % 2 === 0 ? 'even' : 'odd'],
      ]),
    }));
    try {
      const producer = await new RocketMqMessaging(cache).producer(names);
      const outcomes = await producer.send(messages);
      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    } finally {
      await cache.close();
    }

    const received = await drain(rocketmq, names, messages.length);
    expect(received.map(seqOf).sort((a, b) => a - b)).toEqual(messages.map((_, i) => i));
    for (const m of received) {
      const sent = messages[seqOf(m)] as OutgoingMessage;
      expect(m.topic).toBe(sent.topic);
      expect(m.keys).toEqual(sent.keys);
      expect(m.properties.get('kind')).toBe(sent.properties.get('kind'));
      expect(m.body.equals(sent.body)).toBe(true);
    }
  });

  test('a FIFO topic keeps the order of each message group', async ({ rocketmq, topics }) => {
    const topic = await topics.topic('FIFO', 'fifo-order');
    const group = await topics.group({ fifo: true }, 'fifo-order');
    const cache = new ClientCache(rocketmq);
    // Three groups interleaved in one batch: each group goes one message at a time, in order.
    const messages: OutgoingMessage[] = Array.from({ length: 240 }, (_, i) => ({
      topic,
      body: Buffer.from(`m${i}`),
      keys: [],
      properties: new Map([['seq', String(i)]]),
      messageGroup: `g${i % 3}`,
    }));
    try {
      const producer = await new RocketMqMessaging(cache).producer([topic]);
      const outcomes = await producer.send(messages);
      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    } finally {
      await cache.close();
    }

    const received = await drain(rocketmq, [topic], messages.length, group);
    expect(received).toHaveLength(messages.length);
    for (const g of ['g0', 'g1', 'g2']) {
      const order = received.filter((m) => m.messageGroup === g).map(seqOf);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order).toHaveLength(80);
    }
  });

  test('a message over the body limit fails alone and for good; its neighbours are sent', async ({
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'oversize');
    const cache = new ClientCache(rocketmq);
    const messages: OutgoingMessage[] = [1, 4 * 1024 * 1024 + 1, 1].map((size, i) => ({
      topic,
      body: Buffer.alloc(size, 97),
      keys: [],
      properties: new Map([['seq', String(i)]]),
    }));
    try {
      const producer = await new RocketMqMessaging(cache).producer([topic]);
      const outcomes = await producer.send(messages);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(outcomes[1]?.ok === false && outcomes[1].error).toBeInstanceOf(NonRetriableError);
    } finally {
      await cache.close();
    }
    expect((await drain(rocketmq, [topic], 2)).map(seqOf).sort()).toEqual([0, 2]);
  });
});
