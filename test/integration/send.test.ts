import { describe, expect } from 'vitest';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import type { Converter } from '../../lib/api/converter.js';
import { toMessage } from '../../lib/runtime/message-mapping.js';
import { sendAll } from '../../lib/rocketmq/send.js';
import { test, uniqueName } from './fixtures.js';

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
});
