import { describe, expect, test } from 'vitest';
import { checkTopics, type TopicCatalog, type TopicNeed } from '../../../lib/management/topics.js';
import type { TopicType } from '../../../lib/rocketmq/topic-admin.js';

/** A catalog over a map; `creatable` decides whether it can create topics. */
function catalog(topics: Record<string, TopicType>, creatable: boolean) {
  const created: [string, TopicType][] = [];
  const known = new Map(Object.entries(topics));
  const value: TopicCatalog = {
    typeOf: (topic) => Promise.resolve(known.get(topic)),
    ...(creatable && {
      create: (topic: string, type: TopicType) => {
        created.push([topic, type]);
        known.set(topic, type);
        return Promise.resolve();
      },
    }),
  };
  return { value, created };
}

const source: TopicNeed = { key: 'topic', topic: 'orders', type: 'NORMAL', because: 'x' };
const fifo: TopicNeed = {
  key: 'topic',
  topic: 'orders',
  type: 'FIFO',
  because: 'message.group.by.key=true sends FIFO messages',
};
const sink: TopicNeed = { key: 'topics', topic: 'orders', type: undefined };

describe('checking the topics a connector names', () => {
  test('existing topics of the right type are fine, and nothing is created', async () => {
    const c = catalog({ orders: 'NORMAL' }, true);
    expect(await checkTopics(c.value, [source, sink], { create: true })).toEqual([]);
    expect(c.created).toEqual([]);
  });

  test('a missing topic is created with the type it needs, when the catalog can', async () => {
    const c = catalog({}, true);
    expect(await checkTopics(c.value, [fifo], { create: true })).toEqual([]);
    expect(c.created).toEqual([['orders', 'FIFO']]);
  });

  test('validation does not create, and does not complain about what it could create', async () => {
    const c = catalog({}, true);
    expect(await checkTopics(c.value, [source], { create: false })).toEqual([]);
    expect(c.created).toEqual([]);
  });

  test('where topics cannot be created, a missing one is a problem naming it and how to create it', async () => {
    const c = catalog({}, false);
    const [problem] = await checkTopics(c.value, [fifo], { create: true });
    expect(problem?.key).toBe('topic');
    expect(problem?.message).toContain('topic "orders" does not exist');
    expect(problem?.message).toContain('+message.type=FIFO');
  });

  test('a topic of the other message type is a problem saying why the type matters', async () => {
    const c = catalog({ orders: 'NORMAL' }, true);
    const [problem] = await checkTopics(c.value, [fifo], { create: true });
    expect(problem?.message).toBe(
      'topic "orders" is a NORMAL topic, but message.group.by.key=true sends FIFO messages: use a FIFO topic',
    );
  });

  test('a sink reads topics of any type', async () => {
    const c = catalog({ orders: 'FIFO' }, false);
    expect(await checkTopics(c.value, [sink], { create: true })).toEqual([]);
  });
});
