import { describe, expect, test } from 'vitest';
import {
  assertValidName,
  MqAdminToolTopicAdmin,
  mqAdminArgs,
} from '../../../lib/rocketmq/topic-admin.js';

const options = {
  javaBin: 'java',
  classpath: '/jars/a.jar:/jars/b.jar',
  namesrv: '127.0.0.1:9876',
  cluster: 'DefaultCluster',
  homeDir: '/stack/home',
};

describe('the admin tool command line', () => {
  test('creates a FIFO topic with its message type attribute', () => {
    const args = mqAdminArgs(options, { kind: 'topic', name: 'orders', type: 'FIFO' });
    const command = args.slice(
      args.indexOf('org.apache.rocketmq.tools.command.MQAdminStartup') + 1,
    );
    expect(command).toEqual([
      'updateTopic',
      '-n',
      '127.0.0.1:9876',
      '-c',
      'DefaultCluster',
      '-t',
      'orders',
      '-a',
      '+message.type=FIFO',
    ]);
    expect(args).toContain('/jars/a.jar:/jars/b.jar');
  });

  test('creates a consumer group, orderly when it is for FIFO consumption', () => {
    const args = mqAdminArgs(options, { kind: 'group', name: 'sink-group', fifo: true });
    expect(args.slice(-9)).toEqual([
      'updateSubGroup',
      '-n',
      '127.0.0.1:9876',
      '-c',
      'DefaultCluster',
      '-g',
      'sink-group',
      '-o',
      'true',
    ]);
  });
});

describe('topic and group names', () => {
  test('accept what the broker accepts', () => {
    expect(() => assertValidName('topic', 'connect-offsets_v1%x|y')).not.toThrow();
  });

  test.each([
    ['empty', ''],
    ['a space', 'my topic'],
    ['a dot', 'a.b'],
    ['a slash', 'a/b'],
    ['too long', 'x'.repeat(128)],
  ])('refuse a name with %s, saying which name and why', (_, name) => {
    expect(() => assertValidName('topic', name)).toThrow(/topic name .* is invalid: use 1 to 127/);
  });

  test('are checked before anything runs', async () => {
    const admin = new MqAdminToolTopicAdmin({ ...options, javaBin: '/nonexistent/java' });
    await expect(admin.ensureTopic('bad name', 'NORMAL')).rejects.toThrow(/topic name "bad name"/);
    await expect(admin.ensureConsumerGroup('bad/group')).rejects.toThrow(
      /consumer group name "bad\/group"/,
    );
  });
});
