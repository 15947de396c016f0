import { describe, expect, test } from 'vitest';
import type { SinkTask } from '../../../lib/api/connector.js';
import { NonRetriableError, RetriableError } from '../../../lib/api/errors.js';
import type { SinkRecord } from '../../../lib/api/record.js';
import { TaskFailedError } from '../../../lib/runtime/error-policy.js';
import type { IncomingMessage } from '../../../lib/runtime/message-mapping.js';
import { RECEIVE_BATCH, runSinkLoop } from '../../../lib/runtime/sink-loop.js';
import { FencedError } from '../../../lib/state/errors.js';
import {
  configure,
  deadLetterQueue,
  deferred,
  FakeConsumer,
  FakeProducer,
  incoming,
  sliceEnv,
  until,
  type Events,
} from './fake-ports.js';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const TASK_CLASS = 'test.SinkTask';

/**
 * A sink task that keeps what it is given: `put` records go to `buffered`, `flush` moves them to
 * `written`. `putFails` decides whether a `put` of these records throws; `flushGate`, while
 * set, holds `flush` back; `flushFails` makes it throw.
 */
class FakeSinkTask implements SinkTask {
  readonly puts: SinkRecord[][] = [];
  buffered: SinkRecord[] = [];
  readonly written: SinkRecord[] = [];
  flushes = 0;
  putFails: (records: readonly SinkRecord[]) => Error | undefined = () => undefined;
  flushGate: Promise<void> | undefined;
  flushFails: Error | undefined;

  constructor(private readonly events: Events) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  put(records: readonly SinkRecord[]): Promise<void> {
    this.puts.push([...records]);
    const error = this.putFails(records);
    if (error) return Promise.reject(error);
    this.buffered.push(...records);
    return Promise.resolve();
  }

  async flush(): Promise<void> {
    this.flushes++;
    this.events.push('flush started');
    if (this.flushGate) await this.flushGate;
    if (this.flushFails) throw this.flushFails;
    this.written.push(...this.buffered.splice(0));
    this.events.push('flushed');
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** A FileStreamSink-shaped config reading `in`, values as schemaless JSON, keys as strings. */
function setup(
  messages: readonly IncomingMessage[],
  config: Record<string, string> = {},
  budgetMs?: number,
) {
  const { common, pipeline } = configure({
    'connector.class': 'FileStreamSink',
    file: '/nonexistent/out.txt',
    topics: 'in',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': JSON_CONVERTER,
    'value.converter.schemas.enable': 'false',
    'offset.flush.interval.ms': '60000',
    ...config,
  });
  const { env, clock, warnings } = sliceEnv(common, budgetMs);
  const events: Events = [];
  const consumer = new FakeConsumer(messages, events);
  const producer = new FakeProducer(events);
  const task = new FakeSinkTask(events);
  const renewals: number[] = [];
  let renewLease = () => {
    renewals.push(clock.now());
    events.push('lease renewed');
    return Promise.resolve();
  };
  const run = () =>
    runSinkLoop({
      env,
      common,
      task,
      taskClass: TASK_CLASS,
      pipeline,
      consumer,
      deadLetters: deadLetterQueue(env, producer),
      invisibleMs: () => 30_000,
      renewLease: () => renewLease(),
      receivers: 1,
    });
  return {
    env,
    clock,
    warnings,
    events,
    consumer,
    producer,
    task,
    renewals,
    run,
    failRenewals: (error: Error) => {
      renewLease = () => Promise.reject(error);
    },
  };
}

const good = (i: number) => incoming(i, JSON.stringify({ id: i }));
const values = (records: readonly SinkRecord[]) => records.map((r) => r.value);

describe('the sink loop', () => {
  test('acks messages only once flush resolved', async () => {
    const messages = [good(0), good(1), good(2)];
    const { consumer, task, events, run } = setup(messages);
    const gate = deferred();
    task.flushGate = gate.promise;

    const loop = run();
    await until(() => task.flushes > 0, 'a flush');
    expect(task.puts).toHaveLength(1);
    expect(consumer.acked).toEqual([]);

    gate.resolve();
    expect(await loop).toEqual({ moreWork: false });
    expect(consumer.acked).toEqual(messages);
    expect(values(task.written)).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }]);
    const flushed = events.indexOf('flushed');
    expect(events.findIndex((e) => e.startsWith('ack'))).toBeGreaterThan(flushed);
  });

  test('renews its lease before the flush, then acks: a fenced slice writes nothing more', async () => {
    const { events, run } = setup([good(0)]);

    await run();

    expect(events).toEqual(['lease renewed', 'flush started', 'flushed', 'ack m0']);
  });

  test('never acks when flush throws, and the task fails', async () => {
    const { consumer, task, renewals, run } = setup([good(0), good(1)]);
    task.flushFails = new NonRetriableError('disk full');

    const failure = run();

    await expect(failure).rejects.toBeInstanceOf(TaskFailedError);
    await expect(failure).rejects.toThrow('disk full');
    expect(consumer.acked).toEqual([]);
    // The lease was checked before the flush; nothing after it.
    expect(renewals).toHaveLength(1);
  });

  test('never acks once its lease was taken over: the messages come back to the new holder', async () => {
    const { consumer, task, run, failRenewals } = setup([good(0), good(1)]);
    failRenewals(new FencedError('conn', 0, 3, 'renew the lease'));

    await expect(run()).rejects.toBeInstanceOf(FencedError);
    expect(consumer.acked).toEqual([]);
    // Nor does it write them: the next holder writes them once.
    expect(task.flushes).toBe(0);
  });

  test('dead-letters an undecodable message with its original body, keys and properties, and acks it with the rest', async () => {
    const bad = incoming(1, 'not json {', { 'trace.id': 'abc' });
    const messages = [good(0), bad, good(2)];
    const { consumer, producer, task, env, run } = setup(messages, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });

    expect(await run()).toEqual({ moreWork: false });

    expect(values(task.written)).toEqual([{ id: 0 }, { id: 2 }]);
    expect(producer.sent).toHaveLength(1);
    const [letter] = producer.sent;
    expect(letter?.topic).toBe('dlq');
    expect(letter?.body).toEqual(Buffer.from('not json {'));
    expect(letter?.keys).toEqual(['key-1']);
    expect(Object.fromEntries(letter?.properties ?? [])).toMatchObject({
      'trace.id': 'abc',
      '__connect.errors.topic': 'in',
      '__connect.errors.offset': '1',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': JSON_CONVERTER,
      '__connect.errors.connector.name': 'conn',
      '__connect.errors.task.id': '0',
      '__connect.errors.exception.class.name': 'NonRetriableError',
      '__connect.errors.exception.message': expect.stringContaining('is not valid JSON'),
    });
    // Dead-lettered is done with, as flushed is: every message is acked.
    expect(consumer.acked).toEqual(messages);
    expect(env.counters.snapshot().counters).toMatchObject({
      sinkRecordRead: 3,
      sinkRecordSend: 2,
      deadLettered: 1,
      recordErrors: 1,
    });
  });

  test('without context headers, a dead letter keeps only its own properties', async () => {
    const { producer, run } = setup([incoming(0, 'not json', { a: 'b' })], {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
    });

    await run();

    expect(Object.fromEntries(producer.sent[0]?.properties ?? [])).toEqual({ a: 'b' });
  });

  test('fails the task on an undecodable message under tolerance=none, acking nothing', async () => {
    const { consumer, producer, task, run } = setup([good(0), incoming(1, 'not json'), good(2)]);

    const failure = run();

    await expect(failure).rejects.toBeInstanceOf(TaskFailedError);
    await expect(failure).rejects.toMatchObject({ stage: 'VALUE_CONVERTER' });
    expect(task.puts).toEqual([]);
    expect(producer.sent).toEqual([]);
    expect(consumer.acked).toEqual([]);
  });

  test('isolates the bad record when a batch put fails under tolerance=all: it alone is dead-lettered', async () => {
    const messages = [good(0), good(1), incoming(2, '{"id":2,"bad":true}'), good(3)];
    const { consumer, producer, task, run } = setup(messages, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    task.putFails = (records) =>
      records.some((r) => (r.value as { bad?: boolean }).bad)
        ? new NonRetriableError('constraint violated')
        : undefined;

    await run();

    // The batch, then each record alone.
    expect(task.puts.map((p) => p.length)).toEqual([4, 1, 1, 1, 1]);
    expect(values(task.written)).toEqual([{ id: 0 }, { id: 1 }, { id: 3 }]);
    expect(producer.sent.map((m) => m.body.toString('utf8'))).toEqual(['{"id":2,"bad":true}']);
    expect(Object.fromEntries(producer.sent[0]?.properties ?? [])).toMatchObject({
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.class.name': TASK_CLASS,
      '__connect.errors.exception.message': 'constraint violated',
    });
    expect(consumer.acked).toEqual(messages);
  });

  test('counts each bad record of a failed batch once, not the batch as well', async () => {
    const messages = [good(0), incoming(1, '{"id":1,"bad":true}'), good(2)];
    const { env, task, run } = setup(messages, { 'errors.tolerance': 'all' });
    task.putFails = (records) =>
      records.some((r) => (r.value as { bad?: boolean }).bad)
        ? new NonRetriableError('constraint violated')
        : undefined;

    await run();

    expect(env.counters.snapshot().counters).toMatchObject({ recordErrors: 1, sinkRecordSend: 2 });
  });

  test('fails the task, acking nothing, when a dead letter cannot be sent, whatever the tolerance', async () => {
    const { consumer, producer, run } = setup([good(0), incoming(1, 'not json')], {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
    });
    producer.outcome = (m) =>
      m.topic === 'dlq' ? new NonRetriableError('topic dlq not found') : undefined;

    await expect(run()).rejects.toBeInstanceOf(TaskFailedError);
    expect(consumer.acked).toEqual([]);
  });

  test('tries a receive that failed retriably again, and fails the task on one that cannot pass', async () => {
    const once = setup([good(0)]);
    once.consumer.receiveFails = (call) =>
      call === 1 ? new RetriableError('proxy busy') : undefined;
    expect(await once.run()).toEqual({ moreWork: false });
    expect(once.consumer.acked).toHaveLength(1);

    const never = setup([good(0)]);
    never.consumer.receiveFails = () => new NonRetriableError('group not allowed');
    await expect(never.run()).rejects.toThrow(/KAFKA_CONSUME failed.*group not allowed/);
  });

  test('acks what one flush covers in one call to the port', async () => {
    const messages = Array.from({ length: RECEIVE_BATCH + 5 }, (_, i) => good(i));
    const { consumer, task, run } = setup(messages);

    await run();

    expect(consumer.ackCalls).toHaveLength(task.flushes);
    expect(consumer.ackCalls.flat()).toEqual(messages);
  });

  test('fails the slice when the proxy refuses an ack outright: the messages will come again', async () => {
    const { consumer, task, run } = setup([good(0), good(1)]);
    consumer.ackFails = () => new NonRetriableError('group not allowed');

    await expect(run()).rejects.toThrow('group not allowed');
    expect(task.flushes).toBe(1);
    expect(consumer.acked).toEqual([]);
  });

  test('tries an ack that failed retriably again, only the messages whose ack failed', async () => {
    const messages = [good(0), good(1), good(2)];
    const { consumer, clock, run } = setup(messages);
    consumer.ackFails = (m, attempt) =>
      m.messageId === 'm1' && attempt < 3 ? new RetriableError('DEADLINE_EXCEEDED') : undefined;

    expect(await run()).toEqual({ moreWork: false });

    expect(consumer.ackCalls.map((c) => c.map((m) => m.messageId))).toEqual([
      ['m0', 'm1', 'm2'],
      ['m1'],
      ['m1'],
    ]);
    expect(consumer.acked.map((m) => m.messageId).sort()).toEqual(['m0', 'm1', 'm2']);
    expect(clock.sleeps).toContain(100);
  });

  test('stops trying an ack once it could land too close to the invisible time, and says they come back', async () => {
    const { consumer, warnings, clock, run } = setup([good(0), good(1)]);
    consumer.ackFails = (m) => (m.messageId === 'm0' ? new RetriableError('timeout') : undefined);

    // Receipts last 30 s (setup's invisibleMs): retries go on until 5 s before, then stop.
    expect(await run()).toEqual({ moreWork: false });

    expect(consumer.acked.map((m) => m.messageId)).toEqual(['m1']);
    const retries = consumer.ackCalls.length - 1;
    expect(retries).toBeGreaterThan(3);
    expect(clock.sleeps.filter((ms) => ms >= 100).reduce((a, b) => a + b, 0)).toBeLessThan(25_000);
    expect(warnings).toEqual([
      expect.stringMatching(/the ack of 1 of 2 flushed messages failed; trying again/),
      expect.stringMatching(/1 flushed messages were not acked.*again/),
    ]);
  });

  test('flushes early once the oldest unflushed message nears its invisible time', async () => {
    const messages = Array.from({ length: 3 * RECEIVE_BATCH }, (_, i) => good(i));
    const { task, clock, run } = setup(messages, { 'offset.flush.interval.ms': '60000' });
    const put = task.put.bind(task);
    task.put = (records) => {
      clock.advance(12_000); // each batch takes 12 s: the first is 18 s from visible again
      return put(records);
    };

    await run();

    // Without the margin one flush would come at the end, 36 s after the first receive.
    expect(task.flushes).toBeGreaterThanOrEqual(2);
  });

  test('fails the task when a batch put fails under tolerance=none', async () => {
    const { consumer, task, run } = setup([good(0), good(1)]);
    task.putFails = () => new NonRetriableError('constraint violated');

    await expect(run()).rejects.toMatchObject({ name: 'TaskFailedError', stage: 'TASK_PUT' });
    expect(task.puts).toHaveLength(1);
    expect(consumer.acked).toEqual([]);
  });

  test('ends with no work left when a whole round of receives brings nothing', async () => {
    const { consumer, task, run } = setup([]);

    expect(await run()).toEqual({ moreWork: false });
    expect(consumer.invisibleMs).toHaveLength(1);
    expect(task.flushes).toBe(0);
  });

  test('stops at slice.max.records with work left, having flushed and acked what it read', async () => {
    const messages = Array.from({ length: 3 * RECEIVE_BATCH }, (_, i) => good(i));
    const { consumer, task, run } = setup(messages, { 'slice.max.records': '40' });

    expect(await run()).toEqual({ moreWork: true });
    // Two rounds of one receive each: 64 read, all flushed and acked; the rest wait.
    expect(task.written).toHaveLength(2 * RECEIVE_BATCH);
    expect(consumer.acked).toEqual(messages.slice(0, 2 * RECEIVE_BATCH));
  });

  test('stops at the deadline with work left, having flushed and acked what it read', async () => {
    const messages = Array.from({ length: 3 * RECEIVE_BATCH }, (_, i) => good(i));
    const { consumer, task, clock, run } = setup(messages, {}, 1_000);
    const put = task.put.bind(task);
    task.put = (records) => {
      clock.advance(1_000); // the first put reaches the deadline
      return put(records);
    };

    expect(await run()).toEqual({ moreWork: true });
    // Receiving stopped at the deadline; what was read is all written and acked.
    expect(task.written.length).toBeGreaterThan(0);
    expect(task.written.length).toBeLessThan(3 * RECEIVE_BATCH);
    expect(consumer.acked).toHaveLength(task.written.length);
  });

  test('checks its lease at most once per offset.flush.interval.ms however often it flushes, and acks only flushed messages', async () => {
    const messages = Array.from({ length: 3 * RECEIVE_BATCH }, (_, i) => good(i));
    const { task, clock, events, run } = setup(messages, { 'offset.flush.interval.ms': '500' });
    const put = task.put.bind(task);
    task.put = (records) => {
      clock.advance(300);
      return put(records);
    };

    await run();

    expect(task.flushes).toBeGreaterThanOrEqual(1);
    // 3 puts take 900 ms: a check at the first flush, and at most one more.
    const renewals = events.filter((e) => e === 'lease renewed').length;
    expect(renewals).toBeGreaterThanOrEqual(1);
    expect(renewals).toBeLessThanOrEqual(2);
    expect(events.filter((e) => e.startsWith('ack'))).toHaveLength(3 * RECEIVE_BATCH);
    expect(events.indexOf('flushed')).toBeLessThan(events.findIndex((e) => e.startsWith('ack')));
  });

  test('flushes and acks as soon as nothing more is waiting: the backlog is drained', async () => {
    const messages = Array.from({ length: RECEIVE_BATCH + 5 }, (_, i) => good(i));
    const { task, events, run } = setup(messages, { 'offset.flush.interval.ms': '60000' });

    await run();

    expect(task.flushes).toBeGreaterThanOrEqual(1);
    expect(events.filter((e) => e.startsWith('ack'))).toHaveLength(RECEIVE_BATCH + 5);
    expect(events.indexOf('flushed')).toBeLessThan(events.findIndex((e) => e.startsWith('ack')));
  });
});
