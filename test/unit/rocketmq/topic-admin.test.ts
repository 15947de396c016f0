import { describe, expect, test } from 'vitest';
import { RemotingAdmin } from '../../../lib/rocketmq/remoting/remoting-admin.js';
import { assertValidName, TopicAdminError } from '../../../lib/rocketmq/topic-admin.js';

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

  test('are refused as the fault of the request (400)', () => {
    const error = (() => {
      try {
        assertValidName('topic', 'a b');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TopicAdminError);
    expect(error).toHaveProperty('httpStatus', 400);
  });

  test('are checked before anything is sent', async () => {
    // Port 1: a call that got as far as the network would fail with a connection error.
    const admin = new RemotingAdmin({ namesrv: '127.0.0.1:1', cluster: 'DefaultCluster' });
    await expect(admin.ensureTopic('bad name', 'NORMAL')).rejects.toThrow(/topic name "bad name"/);
    await expect(admin.ensureConsumerGroup('bad/group')).rejects.toThrow(
      /consumer group name "bad\/group"/,
    );
  });
});
