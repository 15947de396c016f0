import { describe, expect } from 'vitest';
import { startProducer } from '../../lib/rocketmq/clients.js';
import { MqAdminToolTopicAdmin, TopicAdminError } from '../../lib/rocketmq/topic-admin.js';
import { test, uniqueName } from './fixtures.js';

describe('topic admin through the admin tool', () => {
  test('creating the same topics and group twice changes nothing, and the topics keep their type', async ({
    stack,
    rocketmq,
  }) => {
    const admin = new MqAdminToolTopicAdmin(stack.admin);
    const normal = uniqueName('admin-normal');
    const fifo = uniqueName('admin-fifo');
    const group = uniqueName('admin-group');
    await Promise.all([admin.ensureTopic(normal, 'NORMAL'), admin.ensureTopic(fifo, 'FIFO')]);
    await Promise.all([
      admin.ensureTopic(normal, 'NORMAL'),
      admin.ensureTopic(fifo, 'FIFO'),
      admin.ensureConsumerGroup(group, { fifo: true }),
    ]);
    await admin.ensureConsumerGroup(group, { fifo: true });

    const producer = await startProducer(rocketmq, [normal, fifo]);
    try {
      await expect(
        producer.send({ topic: normal, body: Buffer.from('x') }),
      ).resolves.toHaveProperty('messageId');
      await expect(
        producer.send({ topic: fifo, messageGroup: 'g', body: Buffer.from('x') }),
      ).resolves.toHaveProperty('messageId');
      // The broker checks the type: a message without a group does not belong on a FIFO topic.
      await expect(producer.send({ topic: fifo, body: Buffer.from('x') })).rejects.toThrow();
    } finally {
      await producer.shutdown();
    }
  });

  test('a name server that does not answer gives an error naming the topic and the address', async ({
    stack,
  }) => {
    const admin = new MqAdminToolTopicAdmin({ ...stack.admin, namesrv: '127.0.0.1:1' });
    const failure = admin.ensureTopic('never-created', 'NORMAL');
    await expect(failure).rejects.toBeInstanceOf(TopicAdminError);
    await expect(failure).rejects.toThrow(/topic never-created .*name server 127\.0\.0\.1:1/);
  });
});
