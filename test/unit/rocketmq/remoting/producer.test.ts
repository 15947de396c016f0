import { describe, expect, test } from 'vitest';
import type { RemotingClient } from '../../../../lib/rocketmq/remoting/client.js';
import { groupHash, RemotingProducer } from '../../../../lib/rocketmq/remoting/producer.js';
import type { QueueAddress, TopicRoutes } from '../../../../lib/rocketmq/remoting/routes.js';
import { KEY_PROPERTY, type OutgoingMessage } from '../../../../lib/runtime/message-mapping.js';

const QUEUES: QueueAddress[] = Array.from({ length: 4 }, (_, queueId) => ({
  topic: 't',
  brokerName: 'broker-a',
  address: '127.0.0.1:10911',
  queueId,
}));

/** A broker that holds each request until the test lets it through, recording the queue. */
function fakeBroker() {
  const requests: { queueId: number; release: () => void }[] = [];
  const client = {
    invoke: (_address: string, _what: string, request: { extFields: Record<string, string> }) =>
      new Promise((resolve) =>
        requests.push({ queueId: Number(request.extFields['e']), release: () => resolve({}) }),
      ),
  } as unknown as RemotingClient;
  const routes = {
    writableCreating: () => Promise.resolve(QUEUES),
    forget: () => undefined,
  } as unknown as TopicRoutes;
  return { producer: new RemotingProducer(client, routes), requests };
}

const keyed = (key: string, seq: number): OutgoingMessage => ({
  topic: 't',
  body: Buffer.from(String(seq)),
  keys: [key],
  properties: new Map([[KEY_PROPERTY, Buffer.from(key).toString('base64')]]),
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('RemotingProducer with keyed records', () => {
  test("each key goes to the queue its key hashes to, and a topic's keyed batches go one after the other", async () => {
    const { producer, requests } = fakeBroker();
    const batch = (from: number) =>
      Array.from({ length: 8 }, (_, i) => producer.publishing(keyed(`k${i % 4}`, from + i)));
    const first = producer.sendBatch(batch(0));
    const second = producer.sendBatch(batch(8));
    await settle();
    // The first batch's queues go side by side; the second waits for all of them.
    const expected = [
      ...new Set(
        ['k0', 'k1', 'k2', 'k3'].map(
          (k) => groupHash(Buffer.from(k).toString('base64')) % QUEUES.length,
        ),
      ),
    ];
    expect(requests.map((r) => r.queueId).sort()).toEqual([...expected].sort());
    for (const r of requests.splice(0)) r.release();
    await first;
    await settle();
    expect(requests.map((r) => r.queueId).sort()).toEqual([...expected].sort());
    for (const r of requests.splice(0)) r.release();
    await second;
  });

  test('records without a key go round robin, in flight side by side', async () => {
    const { producer, requests } = fakeBroker();
    const plain = (seq: number) =>
      producer.publishing({
        topic: 't',
        body: Buffer.from(String(seq)),
        keys: [],
        properties: new Map(),
      });
    const sends = [producer.sendBatch([plain(1)]), producer.sendBatch([plain(2)])];
    await settle();
    expect(requests.map((r) => r.queueId)).toEqual([0, 1]);
    for (const r of requests) r.release();
    await Promise.all(sends);
  });
});
