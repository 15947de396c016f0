import type { SimpleConsumer } from 'rocketmq-client-nodejs';
import { describe, expect } from 'vitest';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import { startProducer, startSimpleConsumer } from '../../lib/rocketmq/clients.js';
import { RemotingGroupOffsets } from '../../lib/rocketmq/remoting/group-offsets.js';
import { RemotingAdmin } from '../../lib/rocketmq/remoting/remoting-admin.js';
import { TopicAdminError } from '../../lib/rocketmq/topic-admin.js';
import { RocketMqTopicCatalog } from '../../lib/rocketmq/topic-catalog.js';
import { test, uniqueName } from './fixtures.js';

/** Receives and acks until `count` messages came, or fails after a while. */
async function consume(consumer: SimpleConsumer, count: number): Promise<string[]> {
  const bodies: string[] = [];
  const deadline = Date.now() + 60_000;
  while (bodies.length < count && Date.now() < deadline) {
    for (const message of await consumer.receive(32, 20_000)) {
      bodies.push(message.body.toString());
      await consumer.ack(message);
    }
  }
  return bodies;
}

describe("RocketMQ's admin calls over the remoting protocol", () => {
  test('creates topics with their message type, which the proxy then routes, and changes nothing when asked twice', async ({
    stack,
    rocketmq,
  }) => {
    const admin = new RemotingAdmin(stack.rocketmq);
    const clients = new ClientCache({
      ...rocketmq,
      logger: { warn: () => undefined, error: () => undefined },
    });
    try {
      const proxyView = new RocketMqTopicCatalog(() => clients.producer());
      const normal = uniqueName('admin-normal');
      const fifo = uniqueName('admin-fifo');
      expect(await admin.typeOf(fifo)).toBeUndefined();
      await Promise.all([admin.ensureTopic(normal, 'NORMAL'), admin.ensureTopic(fifo, 'FIFO')]);
      await Promise.all([admin.ensureTopic(normal, 'NORMAL'), admin.ensureTopic(fifo, 'FIFO')]);

      expect(await admin.typeOf(normal)).toBe('NORMAL');
      expect(await admin.typeOf(fifo)).toBe('FIFO');
      // The existing lookup, through the proxy's route: the broker took the type attribute.
      expect(await proxyView.typeOf(fifo)).toBe('FIFO');
      expect(await proxyView.typeOf(normal)).toBe('NORMAL');

      const listed = await admin.listTopics();
      expect(listed).toEqual(expect.arrayContaining([normal, fifo]));

      const producer = await startProducer(rocketmq, [fifo]);
      try {
        // The broker checks the type: a message without a group does not belong on a FIFO topic.
        await expect(
          producer.send({ topic: fifo, messageGroup: 'g', body: Buffer.from('x') }),
        ).resolves.toHaveProperty('messageId');
        await expect(producer.send({ topic: fifo, body: Buffer.from('x') })).rejects.toThrow();
      } finally {
        await producer.shutdown();
      }
    } finally {
      await clients.close();
      admin.close();
    }
  });

  test("reads a group's position per queue after it consumed, and moves it back to the start", async ({
    stack,
    rocketmq,
  }) => {
    const admin = new RemotingAdmin(stack.rocketmq);
    const offsets = new RemotingGroupOffsets(admin);
    const topic = uniqueName('admin-offsets');
    const group = uniqueName('admin-group');
    await admin.ensureTopic(topic, 'FIFO');
    await admin.ensureConsumerGroup(group, { fifo: true });
    await admin.ensureConsumerGroup(group, { fifo: true });

    const producer = await startProducer(rocketmq, [topic]);
    const consumer = await startSimpleConsumer(rocketmq, { consumerGroup: group, topics: [topic] });
    try {
      // One message group: every message lands in one queue, in order.
      for (let i = 0; i < 10; i++) {
        await producer.send({ topic, messageGroup: 'one', body: Buffer.from(`m-${i}`) });
      }
      expect(await consume(consumer, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `m-${i}`));

      // The broker persists acked positions asynchronously: wait until it shows them.
      let positions = await offsets.positions(group, [topic]);
      for (let tries = 0; tries < 50 && !positions.some((p) => p.offset === 10); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        positions = await offsets.positions(group, [topic]);
      }
      expect(positions).toHaveLength(8);
      const used = positions.find((p) => p.end === 10);
      expect(used).toMatchObject({ topic, broker: 'broker-a', offset: 10, end: 10 });

      await offsets.moveTo(group, [{ queue: used!, offset: 'earliest' }]);
      expect(
        (await offsets.positions(group, [topic])).find((p) => p.queue === used!.queue),
      ).toMatchObject({
        offset: 0,
      });
      expect(await consume(consumer, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `m-${i}`));

      await expect(offsets.moveTo(group, [{ queue: used!, offset: 11 }])).rejects.toThrow(
        /offset 11 is outside what .* holds: from 0 \(earliest\) to 10 \(next\)/,
      );
      await expect(
        offsets.moveTo(group, [{ queue: { ...used!, queue: 99 }, offset: 0 }]),
      ).rejects.toThrow(/there is no .* queue 99 on broker broker-a/);
    } finally {
      await consumer.shutdown();
      await producer.shutdown();
      admin.close();
    }
  });

  test('a name server that does not answer gives an error naming the address, as a 503', async ({
    stack,
  }) => {
    const admin = new RemotingAdmin({ ...stack.rocketmq, namesrv: '127.0.0.1:1' });
    const failure = admin.ensureTopic('never-created', 'NORMAL');
    await expect(failure).rejects.toBeInstanceOf(TopicAdminError);
    await expect(failure).rejects.toThrow(/create topic never-created .*127\.0\.0\.1:1/);
    await expect(failure).rejects.toHaveProperty('httpStatus', 503);
  });

  test('a second name server is asked when the first cannot be reached', async ({ stack }) => {
    const admin = new RemotingAdmin({
      ...stack.rocketmq,
      namesrv: `127.0.0.1:1;${stack.rocketmq.namesrv}`,
    });
    try {
      const topic = uniqueName('admin-failover');
      await admin.ensureTopic(topic, 'NORMAL');
      expect(await admin.typeOf(topic)).toBe('NORMAL');
    } finally {
      admin.close();
    }
  });
});
