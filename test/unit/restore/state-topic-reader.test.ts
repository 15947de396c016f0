import { describe, expect, test } from 'vitest';
import { InvalidStateChangeError, RestoreError } from '../../../lib/restore/errors.js';
import {
  StateTopicReader,
  parseStateChange,
  type ReadEvent,
  type TopicConsumer,
  type TopicMessage,
} from '../../../lib/restore/state-topic-reader.js';
import { connector, put, status } from './state-changes.js';

const message = (messageId: string, body: unknown, topic = 'config', offset = 0) => ({
  topic,
  messageId,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  offset,
});

/**
 * Consumers of the scripted topics: each receive answers the topic's next batch at once, or,
 * when the script is done, an empty long poll of `pollMs` (real time, kept short). `log`
 * records receives, acks and shutdowns, in order, across topics.
 */
function fakeTopics(
  script: Record<string, TopicMessage[][]>,
  options: { pollMs?: Record<string, number>; failAcks?: boolean } = {},
) {
  const log: string[] = [];
  const started: string[] = [];
  const start = (topic: string): Promise<TopicConsumer<TopicMessage>> => {
    started.push(topic);
    const batches = script[topic] ?? [];
    return Promise.resolve({
      receive: async () => {
        const batch = batches.shift();
        if (batch) {
          log.push(`${topic}: ${batch.length}`);
          return batch;
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollMs?.[topic] ?? 10));
        log.push(`${topic}: empty`);
        return [];
      },
      ack: (m) => {
        log.push(`ack ${m.messageId}`);
        return options.failAcks ? Promise.reject(new Error('ack failed')) : Promise.resolve();
      },
      shutdown: () => {
        log.push(`shutdown ${topic}`);
        return Promise.resolve();
      },
    });
  };
  return { start, log, started };
}

const noop = () => undefined;
const orders = put('connector', connector('orders', { file: '/a' }), 1);
const ordersStatus = put('connectorStatus', status('orders'), 2);

describe('reading the state topics', () => {
  test('hands over every change with where it came from, and acks each after its hand-over', async () => {
    const { start, log } = fakeTopics({
      config: [[message('m1', orders)]],
      status: [[message('m2', ordersStatus, 'status')]],
    });
    const reader = new StateTopicReader(start, {
      consumerGroup: 'g',
      topics: ['config', 'status'],
      idleMs: 20,
    });
    const seen: unknown[] = [];
    const summary = await reader.read((change, where) => {
      log.push(`change ${where.messageId}`);
      seen.push({ change, where });
    }, noop);
    expect(seen).toEqual([
      { change: orders, where: { topic: 'config', messageId: 'm1' } },
      { change: ordersStatus, where: { topic: 'status', messageId: 'm2' } },
    ]);
    expect(log.indexOf('ack m1')).toBeGreaterThan(log.indexOf('change m1'));
    expect(log.indexOf('ack m2')).toBeGreaterThan(log.indexOf('change m2'));
    expect(log.slice(-2).sort()).toEqual(['shutdown config', 'shutdown status']);
    expect(summary).toEqual({
      messages: 2,
      changes: 2,
      skipped: 0,
      unacked: 0,
      lowestOffsets: { config: 0, status: 0 },
      messagesByTopic: { config: 1, status: 1 },
    });
  });

  test('reads each topic with a consumer of its own, so an empty topic does not hold up a busy one', async () => {
    const busy = [1, 2, 3].map((i) => [message(`m${i}`, orders)]);
    const { start, log, started } = fakeTopics(
      { config: busy },
      { pollMs: { config: 5, offset: 200 } },
    );
    await new StateTopicReader(start, {
      consumerGroup: 'g',
      topics: ['config', 'offset'],
      idleMs: 10,
    }).read(noop, noop);
    expect(started).toEqual(['config', 'offset']);
    expect(log.indexOf('config: 1')).toBeLessThan(log.indexOf('offset: empty'));
    expect(log.filter((l) => l === 'config: 1')).toHaveLength(3);
  });

  test('keeps polling an empty topic until no message at all came for the idle time', async () => {
    const { start, log } = fakeTopics(
      { config: [[message('m1', orders)]] },
      { pollMs: { config: 10 } },
    );
    const began = Date.now();
    await new StateTopicReader(start, { consumerGroup: 'g', topics: ['config'], idleMs: 60 }).read(
      noop,
      noop,
    );
    expect(Date.now() - began).toBeGreaterThanOrEqual(60);
    expect(log.filter((l) => l === 'config: empty').length).toBeGreaterThanOrEqual(3);
  });

  test('an invalid message fails the read naming its topic, id and what is wrong, and is not acked', async () => {
    const bad = { ...orders, version: '17' };
    const { start, log } = fakeTopics({ config: [[message('m1', orders), message('m2', bad)]] });
    const read = new StateTopicReader(start, {
      consumerGroup: 'g',
      topics: ['config', 'status'],
      idleMs: 20,
    }).read(noop, noop);
    await expect(read).rejects.toBeInstanceOf(InvalidStateChangeError);
    await expect(read).rejects.toThrow(
      'message m2 in topic config is not a valid state change: version: must be <stream label>:<40-digit sequence number>',
    );
    expect(log).not.toContain('ack m2');
    expect(log).toContain('shutdown config');
    expect(log).toContain('shutdown status');
  });

  test('with skipInvalid, an invalid message is reported, skipped and acked', async () => {
    const { start, log } = fakeTopics({
      config: [[message('m1', 'not json'), message('m2', orders)]],
    });
    const reader = new StateTopicReader(start, {
      consumerGroup: 'g',
      topics: ['config'],
      idleMs: 20,
      skipInvalid: true,
    });
    const events: ReadEvent[] = [];
    const changes: string[] = [];
    const summary = await reader.read(
      (_, where) => changes.push(where.messageId),
      (e) => events.push(e),
    );
    expect(changes).toEqual(['m2']);
    expect(events).toEqual([
      {
        kind: 'skipped',
        where: { topic: 'config', messageId: 'm1' },
        problem: expect.stringMatching(/^the body is not UTF-8 JSON/),
      },
      { kind: 'received', messages: 2 },
    ]);
    expect(log).toContain('ack m1');
    expect(summary).toMatchObject({ messages: 2, changes: 1, skipped: 1 });
  });

  test('records the lowest queue offset read from each topic', async () => {
    const { start } = fakeTopics({
      config: [[message('m1', orders, 'config', 7)], [message('m2', orders, 'config', 3)]],
    });
    const summary = await new StateTopicReader(start, {
      consumerGroup: 'g',
      topics: ['config', 'offset'],
      idleMs: 20,
    }).read(noop, noop);
    expect(summary.lowestOffsets).toEqual({ config: 3 });
  });

  test('counts the messages of each topic read, naming a topic that yielded none', async () => {
    const { start } = fakeTopics({
      config: [[message('m1', orders)], [message('m2', orders), message('m3', 'not json')]],
    });
    const reader = new StateTopicReader(start, {
      consumerGroup: 'g',
      topics: ['config', 'offset'],
      idleMs: 20,
      skipInvalid: true,
    });
    expect([reader.topics, reader.consumerGroup]).toEqual([['config', 'offset'], 'g']);
    const summary = await reader.read(noop, noop);
    expect(summary.messagesByTopic).toEqual({ config: 3, offset: 0 });
  });

  test('a failed ack does not fail the read: the message only comes back to the group later', async () => {
    const { start } = fakeTopics({ config: [[message('m1', orders)]] }, { failAcks: true });
    const summary = await new StateTopicReader(start, {
      consumerGroup: 'g',
      topics: ['config'],
      idleMs: 20,
    }).read(noop, noop);
    expect(summary.unacked).toBe(1);
  });

  test('a receive that keeps failing fails the read after a few attempts and shuts every consumer down', async () => {
    const { start, log } = fakeTopics({});
    const failing = async (topic: string) => {
      const consumer = await start(topic);
      if (topic === 'config') {
        consumer.receive = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8081'));
      }
      return consumer;
    };
    const attempts: number[] = [];
    const clock = {
      now: Date.now,
      sleep: (ms: number) => Promise.resolve(void attempts.push(ms)),
    };
    const read = new StateTopicReader(
      failing,
      { consumerGroup: 'g', topics: ['config', 'status'], idleMs: 20 },
      clock,
    ).read(noop, noop);
    await expect(read).rejects.toBeInstanceOf(RestoreError);
    await expect(read).rejects.toThrow(/could not receive from the state topics: .*ECONNREFUSED/);
    // Batches received before were acked: the same group would read on from after them.
    await expect(read).rejects.toThrow(/run it again with a new consumer group .*-s 0/);
    expect(attempts).toHaveLength(2);
    expect(log).toContain('shutdown config');
    expect(log).toContain('shutdown status');
  });

  test('a consumer that cannot start fails the read naming its topic, and the others are shut down', async () => {
    const { start, log } = fakeTopics({});
    const starting = (topic: string) =>
      topic === 'status' ? Promise.reject(new Error('topic not found')) : start(topic);
    const read = new StateTopicReader(starting, {
      consumerGroup: 'g',
      topics: ['config', 'status'],
    }).read(noop, noop);
    await expect(read).rejects.toThrow(
      'could not start a consumer of topic status: topic not found',
    );
    expect(log).toEqual(['shutdown config']);
  });
});

describe('parsing a state-topic message', () => {
  test('takes a valid payload as it is', () => {
    expect(parseStateChange(Buffer.from(JSON.stringify(orders)))).toEqual({
      ok: true,
      change: orders,
    });
  });

  test('names the field of a payload that breaks the schema', () => {
    const parsed = parseStateChange(Buffer.from(JSON.stringify({ ...orders, format: 2 })));
    expect(parsed).toEqual({ ok: false, problem: expect.stringMatching(/^format: /) });
  });

  test('refuses a body that is not UTF-8', () => {
    expect(parseStateChange(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({
      ok: false,
      problem: expect.stringMatching(/not UTF-8 JSON/),
    });
  });

  test('refuses a value that is not the item of its own key', () => {
    const moved = { ...orders, key: { pk: 'connectors', sk: 'other' } };
    expect(parseStateChange(Buffer.from(JSON.stringify(moved)))).toEqual({
      ok: false,
      problem: 'value.pk/value.sk ("connectors"/"orders") are not its key ("connectors"/"other")',
    });
  });
});
