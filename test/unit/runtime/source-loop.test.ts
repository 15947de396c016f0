import { describe, expect, test } from 'vitest';
import type { SourceTask } from '../../../lib/api/connector.js';
import { NonRetriableError, RetriableError } from '../../../lib/api/errors.js';
import type { SourceRecord } from '../../../lib/api/record.js';
import { Schemas } from '../../../lib/api/schema.js';
import { TaskFailedError } from '../../../lib/runtime/error-policy.js';
import {
  lastOffsets,
  MAX_BATCHES_IN_FLIGHT,
  runSourceLoop,
} from '../../../lib/runtime/source-loop.js';
import type { OffsetEntry } from '../../../lib/api/source-offsets.js';
import {
  configure,
  deadLetterQueue,
  deferred,
  FakeProducer,
  sliceEnv,
  until,
  type Events,
} from './fake-ports.js';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

/** A string record of partition `{ p }` at offset `{ n }`. */
function record(p: string, n: number, value: unknown = `${p}${n}`): SourceRecord {
  return {
    partition: { p },
    offset: { n },
    timestamp: 0,
    key: null,
    value,
    valueSchema: Schemas.STRING,
    headers: [],
  };
}

/**
 * A task that returns `batches` in turn, then nothing; `onPoll` runs before each poll (to move
 * the clock), and every `commit` it is told of is kept.
 */
function fakeTask(
  batches: readonly (readonly SourceRecord[])[],
  onPoll: () => void = () => undefined,
): SourceTask & { polls: number; committed: SourceRecord[][] } {
  const queue = [...batches];
  return {
    polls: 0,
    committed: [],
    start: () => Promise.resolve(),
    poll() {
      this.polls++;
      onPoll();
      return Promise.resolve([...(queue.shift() ?? [])]);
    },
    commit(records) {
      this.committed.push([...records]);
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
  };
}

/**
 * Holds back each send of `producer` (by order of sending) until released: batches then
 * complete in the order the test chooses.
 */
function heldSends(producer: FakeProducer) {
  const sends: { resolve: () => void }[] = [];
  const send = producer.send.bind(producer);
  const held = { sends, settled: 0, release: (i: number) => sends[i]?.resolve() };
  producer.send = async (messages) => {
    const gate = deferred();
    sends.push(gate);
    await gate.promise;
    const outcomes = await send(messages);
    held.settled++;
    return outcomes;
  };
  return held;
}

/** The common config of a datagen connector writing to `out`, values as schemaless JSON. */
function setup(config: Record<string, string> = {}, budgetMs?: number) {
  const { common, pipeline } = configure({
    'connector.class': 'datagen',
    topic: 'out',
    'value.converter': JSON_CONVERTER,
    'value.converter.schemas.enable': 'false',
    'offset.flush.interval.ms': '0',
    'poll.interval.ms': '100',
    ...config,
  });
  const { env, clock, warnings } = sliceEnv(common, budgetMs);
  const events: Events = [];
  const producer = new FakeProducer(events);
  const commits: OffsetEntry[][] = [];
  const commitOffsets = (entries: readonly OffsetEntry[]) => {
    commits.push([...entries]);
    events.push(`commit ${entries.map((e) => JSON.stringify(e.offset)).join(' ')}`);
    return Promise.resolve();
  };
  const run = (task: SourceTask) =>
    runSourceLoop({
      env,
      common,
      task,
      taskClass: 'test.SourceTask',
      pipeline,
      producer,
      deadLetters: deadLetterQueue(env, producer),
      commitOffsets,
    });
  return { env, clock, events, producer, commits, run, warnings };
}

describe('the source loop', () => {
  test('commits offsets only once every message of the batch is acknowledged', async () => {
    const { producer, commits, events, run } = setup();
    const release = deferred();
    producer.hold = release.promise;
    const task = fakeTask([[record('a', 1), record('a', 2), record('a', 3)]]);

    const loop = run(task);
    await until(() => producer.waiting > 0, 'a send waiting for its receipts');
    expect(commits).toEqual([]);
    expect(task.committed).toEqual([]);

    release.resolve();
    expect(await loop).toEqual({ moreWork: false });
    expect(commits).toEqual([[{ partition: { p: 'a' }, offset: { n: 3 } }]]);
    const firstCommit = events.findIndex((e) => e.startsWith('commit'));
    const lastAck = events.findLastIndex((e) => e.startsWith('acknowledged'));
    expect(lastAck).toBeLessThan(firstCommit);
    // The task hears of its records only once their offsets are committed.
    expect(task.committed).toHaveLength(1);
  });

  test('sends keyed records with their key as the message group only under message.group.by.key', async () => {
    const keyed = (n: number, key: string) => ({
      ...record('a', n),
      key,
      keySchema: Schemas.STRING,
    });
    for (const [groupByKey, groups] of [
      ['true', ['k1', 'k2', 'k1']],
      ['false', [undefined, undefined, undefined]],
    ] as const) {
      const { producer, run } = setup({
        'message.group.by.key': groupByKey,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      });
      await run(fakeTask([[keyed(1, 'k1'), keyed(2, 'k2'), keyed(3, 'k1')]]));
      expect(producer.sent.map((m) => m.messageGroup)).toEqual(groups);
      expect(producer.sent.map((m) => m.keys)).toEqual([['k1'], ['k2'], ['k1']]);
    }
  });

  test("gives a record without a topic the connector's before the transforms, so RegexRouter and TopicNameMatches see it", async () => {
    const { producer, run, commits } = setup({
      transforms: 'route',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': 'o(u)t',
      'transforms.route.replacement': 'ro$1ted',
      'transforms.route.predicate': 'isOut',
      predicates: 'isOut',
      'predicates.isOut.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.isOut.pattern': 'out',
    });
    const named = { ...record('b', 1), topic: 'other' };

    await run(fakeTask([[record('a', 1), named, record('a', 2)]]));

    expect(producer.sent.map((m) => m.topic)).toEqual(['routed', 'other', 'routed']);
    expect(producer.bodies('routed')).toEqual(['"a1"', '"a2"']);
    expect(commits).toHaveLength(1);
  });

  test('takes partitions that differ only in key order for one, as the state table does', () => {
    expect(
      lastOffsets([
        { ...record('a', 1), partition: { db: 'd', table: 't' } },
        { ...record('a', 2), partition: { table: 't', db: 'd' } },
      ]),
    ).toEqual([{ partition: { table: 't', db: 'd' }, offset: { n: 2 } }]);
  });

  test('commits the last offset of each source partition, in the order partitions last appeared', async () => {
    const { commits, run, producer } = setup();
    const batch = [record('a', 1), record('b', 1), record('a', 2), record('b', 2), record('a', 3)];

    await run(fakeTask([batch]));

    expect(producer.bodies('out')).toEqual(['"a1"', '"b1"', '"a2"', '"b2"', '"a3"']);
    expect(commits).toEqual([
      [
        { partition: { p: 'b' }, offset: { n: 2 } },
        { partition: { p: 'a' }, offset: { n: 3 } },
      ],
    ]);
  });

  test('commits several batches at once when they fall within offset.flush.interval.ms', async () => {
    const { commits, run, clock } = setup({ 'offset.flush.interval.ms': '1000' });
    const task = fakeTask([[record('a', 1)], [record('a', 2)], [record('a', 3)]], () =>
      clock.advance(400),
    );

    await run(task);

    // 400 ms, 800 ms: not yet; from 1,200 ms: what is done then, the rest at the end.
    expect(commits.length).toBeLessThan(3);
    expect(commits.at(-1)).toEqual([{ partition: { p: 'a' }, offset: { n: 3 } }]);
  });

  test('polls the next batches while earlier ones wait for receipts, and commits only past the oldest with all of theirs', async () => {
    const { commits, events, run, producer } = setup();
    const held = heldSends(producer);
    const task = fakeTask([[record('a', 1)], [record('a', 2)], [record('a', 3), record('b', 1)]]);

    const loop = run(task);
    await until(() => held.sends.length === 3, 'three batches sent, none acknowledged');
    // The later batches are acknowledged first; the oldest still waits, so nothing is committed.
    held.release(1);
    held.release(2);
    await until(() => events.filter((e) => e.startsWith('acknowledged')).length === 3);
    expect(commits).toEqual([]);

    held.release(0);
    expect(await loop).toEqual({ moreWork: false });
    expect(commits.flat()).toContainEqual({ partition: { p: 'a' }, offset: { n: 3 } });
    // No commit comes before the acknowledgement of a record it covers.
    const firstCommit = events.findIndex((e) => e.startsWith('commit'));
    expect(events.findIndex((e) => e === 'acknowledged out "a1"')).toBeLessThan(firstCommit);
    expect(task.committed.flat()).toHaveLength(4);
  });

  test(`has at most ${MAX_BATCHES_IN_FLIGHT} batches waiting for receipts`, async () => {
    const { run, producer } = setup();
    const held = heldSends(producer);
    const task = fakeTask(Array.from({ length: 8 }, (_, i) => [record('a', i)]));

    const loop = run(task);
    await until(() => held.sends.length === MAX_BATCHES_IN_FLIGHT);
    await new Promise((resolve) => setImmediate(resolve));
    expect(task.polls).toBe(MAX_BATCHES_IN_FLIGHT);
    held.release(0);
    await until(() => task.polls === MAX_BATCHES_IN_FLIGHT + 1);
    for (let i = 1; i < 8; i++) {
      await until(() => held.sends.length > i);
      held.release(i);
    }
    await loop;
    expect(held.settled).toBe(8);
  });

  test('under message.group.by.key polls again only once the batch before is acknowledged', async () => {
    const { run, producer, commits } = setup({ 'message.group.by.key': 'true' });
    const held = heldSends(producer);
    const task = fakeTask([[record('a', 1)], [record('a', 2)]]);

    const loop = run(task);
    await until(() => held.sends.length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(task.polls).toBe(1);
    held.release(0);
    await until(() => held.sends.length === 2);
    held.release(1);
    await loop;
    expect(commits.at(-1)).toEqual([{ partition: { p: 'a' }, offset: { n: 2 } }]);
  });

  test('a poll that fails while batches are sent fails the loop once they are done, committing none of them', async () => {
    const { run, producer, commits } = setup({ 'errors.retry.timeout': '0' });
    const held = heldSends(producer);
    const task = fakeTask([[record('a', 1)]]);
    const poll = task.poll.bind(task);
    task.poll = () => (task.polls >= 1 ? Promise.reject(new Error('source gone')) : poll());

    const loop = run(task);
    const outcome = expect(loop).rejects.toBeInstanceOf(TaskFailedError);
    await until(() => held.sends.length === 1);
    held.release(0);
    await outcome;
    expect(held.settled).toBe(1);
    expect(commits).toEqual([]);
  });

  test('stops at slice.max.records with work left, having committed all it polled', async () => {
    const { commits, run } = setup({ 'slice.max.records': '25' });
    const batch = (from: number) => Array.from({ length: 10 }, (_, i) => record('a', from + i));
    const task = fakeTask([batch(1), batch(11), batch(21), batch(31)]);

    expect(await run(task)).toEqual({ moreWork: true });
    expect(task.polls).toBe(3);
    expect(commits.at(-1)).toEqual([{ partition: { p: 'a' }, offset: { n: 30 } }]);
  });

  test('stops at the deadline with work left, having committed all it polled', async () => {
    const { commits, run, clock, env } = setup({}, 1_000);
    let n = 0;
    const endless: SourceTask = {
      start: () => Promise.resolve(),
      poll: () => {
        clock.advance(300);
        n++;
        return Promise.resolve([record('a', n)]);
      },
      stop: () => Promise.resolve(),
    };

    expect(await run(endless)).toEqual({ moreWork: true });
    expect(clock.now()).toBeGreaterThanOrEqual(env.deadline);
    expect(n).toBe(4);
    expect(commits.at(-1)).toEqual([{ partition: { p: 'a' }, offset: { n: 4 } }]);
  });

  test('ends with no work left after two empty polls, poll.interval.ms apart', async () => {
    const { commits, run, clock } = setup({ 'poll.interval.ms': '250' });
    const task = fakeTask([]);

    expect(await run(task)).toEqual({ moreWork: false });
    expect(task.polls).toBe(2);
    expect(clock.sleeps).toEqual([250]);
    expect(commits).toEqual([]);
  });

  test('an empty poll followed by records is not idle: the loop goes on', async () => {
    const { run } = setup();
    const task = fakeTask([[], [record('a', 1)], [], [record('a', 2)]]);

    expect(await run(task)).toEqual({ moreWork: false });
    // Empty, records, empty, records, empty, empty.
    expect(task.polls).toBe(6);
  });

  test('dead-letters a record whose conversion fails under tolerance=all, and commits past it', async () => {
    const { commits, run, producer, events, env } = setup({
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    const bad = { ...record('a', 2, 'not a number'), valueSchema: Schemas.INT32 };

    await run(fakeTask([[record('a', 1), bad, record('a', 3)]]));

    expect(producer.bodies('out')).toEqual(['"a1"', '"a3"']);
    const [letter] = producer.sent.filter((m) => m.topic === 'dlq');
    expect(JSON.parse(letter?.body.toString('utf8') ?? '')).toEqual({
      key: null,
      value: 'not a number',
    });
    expect(Object.fromEntries(letter?.properties ?? [])).toMatchObject({
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': JSON_CONVERTER,
      '__connect.errors.connector.name': 'conn',
      '__connect.errors.task.id': '0',
      '__connect.errors.partition': '{"p":"a"}',
      '__connect.errors.offset': '{"n":2}',
      '__connect.errors.exception.class.name': 'NonRetriableError',
      '__connect.errors.exception.message': expect.stringContaining('does not match its schema'),
    });
    // The letter is acknowledged before the offset that covers it is committed.
    expect(events.indexOf('acknowledged dlq {"key":null,"value":"not a number"}')).toBeLessThan(
      events.findIndex((e) => e.startsWith('commit')),
    );
    expect(commits).toEqual([[{ partition: { p: 'a' }, offset: { n: 3 } }]]);
    expect(env.counters.snapshot().counters).toMatchObject({
      sourceRecordPoll: 3,
      sourceRecordWrite: 2,
      deadLettered: 1,
      recordErrors: 1,
    });
  });

  test('without a dead-letter topic, a tolerated record is counted and skipped', async () => {
    const { commits, run, producer, env } = setup({ 'errors.tolerance': 'all' });
    const bad = { ...record('a', 2, 'not a number'), valueSchema: Schemas.INT32 };

    await run(fakeTask([[record('a', 1), bad]]));

    expect(producer.sent.map((m) => m.topic)).toEqual(['out']);
    expect(commits).toEqual([[{ partition: { p: 'a' }, offset: { n: 2 } }]]);
    expect(env.counters.snapshot().counters).toMatchObject({ deadLettered: 0, recordErrors: 1 });
  });

  test('logs a failed record only with errors.log.enable, and its content only with errors.log.include.messages', async () => {
    const bad = () => ({ ...record('a', 2, 'secret-ish value'), valueSchema: Schemas.INT32 });
    const logged = async (config: Record<string, string>) => {
      const { run, warnings } = setup({ 'errors.tolerance': 'all', ...config });
      await run(fakeTask([[record('a', 1), bad()]]));
      return warnings.join('\n');
    };
    expect(await logged({})).toBe('');
    const withoutContent = await logged({ 'errors.log.enable': 'true' });
    expect(withoutContent).toMatch(/VALUE_CONVERTER failed/);
    expect(withoutContent).not.toMatch(/secret-ish/);
    expect(
      await logged({ 'errors.log.enable': 'true', 'errors.log.include.messages': 'true' }),
    ).toMatch(/failed record \(VALUE_CONVERTER\): .*secret-ish value/);
  });

  test('fails the task with TaskFailedError on a conversion failure under tolerance=none, sending and committing nothing of the batch', async () => {
    const { commits, run, producer, env } = setup();
    const bad = { ...record('a', 2, 'not a number'), valueSchema: Schemas.INT32 };

    const failure = run(fakeTask([[record('a', 1), bad, record('a', 3)]]));

    await expect(failure).rejects.toBeInstanceOf(TaskFailedError);
    await expect(failure).rejects.toMatchObject({ stage: 'VALUE_CONVERTER' });
    expect(producer.sent).toEqual([]);
    expect(commits).toEqual([]);
    expect(env.counters.snapshot().lastError?.message).toContain('does not match its schema');
  });

  test('never commits a batch whose send fails under tolerance=none, only the batches before it', async () => {
    const { commits, run, producer } = setup();
    producer.outcome = (m) =>
      m.body.toString('utf8') === '"a3"' ? new NonRetriableError('message too large') : undefined;

    const failure = run(fakeTask([[record('a', 1)], [record('a', 2), record('a', 3)]]));

    await expect(failure).rejects.toBeInstanceOf(TaskFailedError);
    await expect(failure).rejects.toMatchObject({ stage: 'KAFKA_PRODUCE' });
    expect(commits).toEqual([[{ partition: { p: 'a' }, offset: { n: 1 } }]]);
  });

  test('sends a message whose send failed retriably again, alone, and commits once it is acknowledged', async () => {
    const { commits, run, producer, clock, env } = setup();
    producer.outcome = (m, attempt) =>
      m.body.toString('utf8') === '"a2"' && attempt < 3
        ? new RetriableError('throttled')
        : undefined;

    await run(fakeTask([[record('a', 1), record('a', 2)]]));

    expect(producer.bodies('out')).toEqual(['"a1"', '"a2"']);
    expect(clock.sleeps.slice(0, 2)).toEqual([300, 600]);
    expect(commits).toEqual([[{ partition: { p: 'a' }, offset: { n: 2 } }]]);
    expect(env.counters.snapshot().counters).toMatchObject({ recordRetries: 2, recordErrors: 0 });
  });

  test('dead-letters a message whose send fails under tolerance=all, and commits past it', async () => {
    const { commits, run, producer } = setup({
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    producer.outcome = (m) =>
      m.topic === 'out' && m.body.toString('utf8') === '"a1"'
        ? new NonRetriableError('message too large')
        : undefined;

    await run(fakeTask([[record('a', 1), record('a', 2)]]));

    expect(producer.bodies('out')).toEqual(['"a2"']);
    const [letter] = producer.sent.filter((m) => m.topic === 'dlq');
    expect(letter?.properties.get('__connect.errors.stage')).toBe('KAFKA_PRODUCE');
    expect(commits).toEqual([[{ partition: { p: 'a' }, offset: { n: 2 } }]]);
  });
});
