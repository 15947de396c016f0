import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageView } from 'rocketmq-client-nodejs';
import { describe, expect, onTestFinished } from 'vitest';
import { NonRetriableError } from '../../lib/api/errors.js';
import type { ConnectRecord } from '../../lib/api/record.js';
import { createRegistry } from '../../lib/api/registry.js';
import type { TransformPlugin } from '../../lib/api/transform.js';
import { runCoordinator } from '../../lib/coordinator/runner.js';
import { taskConfigsFromRegistry } from '../../lib/coordinator/task-configs.js';
import { builtinPlugins } from '../../lib/platform/builtins.js';
import { startSimpleConsumer, type RocketMqEndpoint } from '../../lib/rocketmq/clients.js';
import { sendAll } from '../../lib/rocketmq/send.js';
import type { TaskRecord, TaskStatus } from '../../lib/state/types.js';
import { test, uniqueName } from './fixtures.js';
import { LocalPlatform, readLines } from './platform.js';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const FAIL_CLASS = 'test.connect.transforms.FailEvery';

/** A test-only transform that throws on every record whose value's `seq` is a multiple of `every`. */
const failEveryPlugin: TransformPlugin = {
  type: 'transformation',
  className: FAIL_CLASS,
  aliases: [],
  version: 'test',
  create: () => {
    let every = 0;
    return {
      configure(config) {
        every = Number(config['every']);
      },
      apply<R extends ConnectRecord>(record: R): R | null {
        const seq = (record.value as { seq: number }).seq;
        if (seq % every === 0) throw new NonRetriableError(`seq ${seq} is a multiple of ${every}`);
        return record;
      },
    };
  },
};

/**
 * Every message of `topic`, read by a fresh consumer group (created by the broker on first use,
 * as a sink's group is), until `expected` arrived and one more receive stays empty.
 */
async function drainTopic(
  rocketmq: RocketMqEndpoint,
  topic: string,
  expected: number,
  timeoutMs = 30_000,
): Promise<MessageView[]> {
  const consumer = await startSimpleConsumer(rocketmq, {
    consumerGroup: uniqueName('dlq-reader'),
    topics: [topic],
    awaitDurationMs: 2_500,
  });
  try {
    const received: MessageView[] = [];
    const until = Date.now() + timeoutMs;
    for (;;) {
      const batch = await consumer.receive(32, 30_000);
      for (const message of batch) {
        received.push(message);
        await consumer.ack(message);
      }
      // Once all are in, one empty receive shows nothing more (no duplicate) is on its way.
      if (batch.length === 0 && received.length >= expected) return received;
      if (Date.now() > until) return received;
    }
  } finally {
    await consumer.shutdown();
  }
}

async function taskOf(platform: LocalPlatform, connector: string): Promise<TaskRecord | undefined> {
  return (await platform.store.snapshot()).tasks.find(
    (t) => t.connector === connector && t.taskId === 0,
  );
}

/** The task, failing the test at once (with the task's trace) when it went FAILED. */
async function runningTask(
  platform: LocalPlatform,
  connector: string,
): Promise<TaskRecord | undefined> {
  const task = await taskOf(platform, connector);
  if (task?.status.state === 'FAILED') {
    throw new Error(`${connector} task 0 FAILED: ${task.status.trace ?? ''}`);
  }
  return task;
}

describe('dead-letter topic and errors.tolerance', () => {
  test('a sink sends malformed messages to the dead-letter topic with their context, and writes the good ones', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const [topic, dlq] = await Promise.all([
      topics.topic('NORMAL', 'dlq-sink-in'),
      topics.topic('NORMAL', 'dlq-sink-dlq'),
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'dead-letter-'));
    const output = join(dir, 'out.txt');
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());

    // 500 good JSON values, and 20 malformed bodies among them (every 26th message).
    const good: string[] = [];
    const bad: string[] = [];
    const messages = Array.from({ length: 520 }, (_, i) => {
      const malformed = i % 26 === 13;
      const body = malformed ? `not json #${i} {` : JSON.stringify({ id: i, name: `good-${i}` });
      (malformed ? bad : good).push(body);
      return {
        topic,
        body: Buffer.from(body),
        keys: [],
        properties: new Map([['origin.seq', String(i)]]),
      };
    });
    const outcomes = await sendAll(await platform.clients.producer([topic]), messages);
    expect(outcomes.every((o) => o.ok)).toBe(true);

    const name = 'dlq-sink';
    await platform.store.createConnector(
      name,
      {
        'connector.class': 'FileStreamSink',
        file: output,
        topics: topic,
        'value.converter': JSON_CONVERTER,
        'value.converter.schemas.enable': 'false',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.context.headers.enable': 'true',
        'slice.max.ms': '3000',
      },
      'RUNNING',
      Date.now(),
    );
    onTestFinished(() => platform.store.deleteConnector(name));

    await platform.runUntil(
      async () =>
        ((await runningTask(platform, name))?.metrics.totals.deadLettered ?? 0) >= bad.length &&
        (await readLines(output)).length >= good.length,
      { timeoutMs: 40_000 },
    );
    await platform.dispatcher.drain();

    // Every good value is in the file, once.
    const lines = await readLines(output);
    expect(lines.map((l) => JSON.parse(l) as unknown).sort(byId)).toEqual(
      good.map((g) => JSON.parse(g) as unknown),
    );

    // Exactly the malformed messages are in the dead-letter topic: original bytes and
    // properties, and the context of their failure.
    const letters = await drainTopic(rocketmq, dlq, bad.length);
    expect(letters.map((m) => m.body.toString('utf8')).sort()).toEqual([...bad].sort());
    for (const letter of letters) {
      const seq = /#(\d+)/.exec(letter.body.toString('utf8'))?.[1];
      const properties = Object.fromEntries(letter.properties);
      expect(properties).toMatchObject({
        'origin.seq': seq,
        '__connect.errors.topic': topic,
        '__connect.errors.stage': 'VALUE_CONVERTER',
        '__connect.errors.connector.name': name,
        '__connect.errors.task.id': '0',
        '__connect.errors.class.name': JSON_CONVERTER,
        '__connect.errors.exception.class.name': 'NonRetriableError',
        '__connect.errors.exception.message': expect.stringContaining('is not valid JSON'),
        '__connect.errors.exception.stacktrace': expect.stringContaining('NonRetriableError'),
      });
      expect(properties['__connect.errors.offset']).toMatch(/^\d+$/);
    }

    const task = await taskOf(platform, name);
    expect(task?.status.state).toBe('RUNNING');
    expect(task?.metrics.totals).toMatchObject({
      deadLettered: bad.length,
      recordErrors: bad.length,
      sinkRecordSend: good.length,
    });
    expect(task?.metrics.totals.sinkRecordRead).toBeGreaterThanOrEqual(messages.length);
    expect(task?.metrics.lastError?.message).toContain('is not valid JSON');
  }, 60_000);

  test('a source record that fails a transform goes to the dead-letter topic, the others to the topic', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const [topic, dlq] = await Promise.all([
      topics.topic('NORMAL', 'dlq-source-out'),
      topics.topic('NORMAL', 'dlq-source-dlq'),
    ]);
    const platform = new LocalPlatform(
      dynamo,
      table,
      rocketmq,
      createRegistry([...builtinPlugins, failEveryPlugin]),
    );
    onTestFinished(() => platform.close());
    const name = 'dlq-source';
    const count = 200;
    const every = 25;
    await platform.store.createConnector(
      name,
      {
        'connector.class': 'datagen',
        topic,
        count: String(count),
        'record.size': '10',
        transforms: 'fail',
        'transforms.fail.type': FAIL_CLASS,
        'transforms.fail.every': String(every),
        'value.converter': JSON_CONVERTER,
        'value.converter.schemas.enable': 'false',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.context.headers.enable': 'true',
        'slice.max.ms': '3000',
      },
      'RUNNING',
      Date.now(),
    );
    onTestFinished(() => platform.store.deleteConnector(name));

    await platform.runUntil(
      async () =>
        (await runningTask(platform, name)) !== undefined &&
        (await platform.store.readOffsets(name))[0]?.offset['seq'] === count,
      { timeoutMs: 30_000 },
    );
    await platform.dispatcher.drain();

    const failing = Array.from({ length: count / every }, (_, i) => i * every);
    const [sent, letters] = await Promise.all([
      drainTopic(rocketmq, topic, count - failing.length),
      drainTopic(rocketmq, dlq, failing.length),
    ]);
    const seqOf = (body: Buffer) => (JSON.parse(body.toString('utf8')) as { seq: number }).seq;
    expect(sent.map((m) => seqOf(m.body)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: count }, (_, seq) => seq).filter((seq) => seq % every !== 0),
    );
    // A source record has no bytes of its own: its letter is the record as JSON text.
    const letterValues = letters.map(
      (m) => (JSON.parse(m.body.toString('utf8')) as { value: { seq: number } }).value.seq,
    );
    expect(letterValues.sort((a, b) => a - b)).toEqual(failing);
    for (const letter of letters) {
      const seq = (JSON.parse(letter.body.toString('utf8')) as { value: { seq: number } }).value
        .seq;
      expect(Object.fromEntries(letter.properties)).toMatchObject({
        '__connect.errors.stage': 'TRANSFORMATION',
        '__connect.errors.class.name': FAIL_CLASS,
        '__connect.errors.connector.name': name,
        '__connect.errors.task.id': '0',
        '__connect.errors.topic': topic,
        '__connect.errors.partition': JSON.stringify({ datagen: name, task: 0 }),
        '__connect.errors.offset': JSON.stringify({ seq: seq + 1 }),
        '__connect.errors.exception.class.name': 'NonRetriableError',
        '__connect.errors.exception.message': `seq ${seq} is a multiple of ${every}`,
      });
    }

    const task = await taskOf(platform, name);
    expect(task?.status.state).toBe('RUNNING');
    expect(task?.metrics.totals).toMatchObject({
      sourceRecordPoll: count,
      sourceRecordWrite: count - failing.length,
      deadLettered: failing.length,
      recordErrors: failing.length,
    });
  }, 60_000);

  test('under errors.tolerance=none a malformed message fails the sink task with its trace, then the coordinator restarts it', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'none-sink-in');
    const dir = await mkdtemp(join(tmpdir(), 'dead-letter-none-'));
    const output = join(dir, 'out.txt');
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());
    const bodies = [
      ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i })),
      'poison {',
      ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: 5 + i })),
    ];
    const outcomes = await sendAll(
      await platform.clients.producer([topic]),
      bodies.map((b) => ({ topic, body: Buffer.from(b), keys: [], properties: new Map() })),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);

    const name = 'none-sink';
    await platform.store.createConnector(
      name,
      {
        'connector.class': 'FileStreamSink',
        file: output,
        topics: topic,
        'value.converter': JSON_CONVERTER,
        'value.converter.schemas.enable': 'false',
        'errors.tolerance': 'none',
        'slice.max.ms': '2000',
      },
      'RUNNING',
      Date.now(),
    );
    onTestFinished(() => platform.store.deleteConnector(name));

    const history = await tickUntil(platform, name, (h) =>
      h.some((s) => s.state === 'RUNNING' && s.restartCount >= 1),
    );

    const failed = history.find((s) => s.state === 'FAILED');
    expect(failed?.restartCount).toBe(0);
    expect(failed?.trace).toContain('TaskFailedError: VALUE_CONVERTER failed after 1 attempt');
    expect(failed?.trace).toContain('is not valid JSON');
    // The coordinator gives it the first backoff, then restarts it.
    const due = history.find((s) => s.state === 'FAILED' && s.nextRestartAt !== undefined);
    expect((due?.nextRestartAt ?? 0) - (due?.updatedAt ?? 0)).toBe(FAST_RESTARTS.baseDelayMs);
    // Then restarted: RESTARTING, and RUNNING once a slice took it (the restart is counted).
    const restarted = history.slice(history.indexOf(due as TaskStatus) + 1)[0];
    expect(['RESTARTING', 'RUNNING']).toContain(restarted?.state);
    expect(restarted?.restartCount).toBe(1);
  }, 40_000);

  test('a task that keeps failing is restarted with a doubling backoff and a growing restart count', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'none-source-out');
    const platform = new LocalPlatform(
      dynamo,
      table,
      rocketmq,
      createRegistry([...builtinPlugins, failEveryPlugin]),
    );
    onTestFinished(() => platform.close());
    const name = 'none-source';
    // Record 0 fails its transform; the committed offset never moves past it, so each restart
    // meets it again at once.
    await platform.store.createConnector(
      name,
      {
        'connector.class': 'datagen',
        topic,
        count: '10',
        transforms: 'fail',
        'transforms.fail.type': FAIL_CLASS,
        'transforms.fail.every': '1000',
        'errors.tolerance': 'none',
        'slice.max.ms': '2000',
      },
      'RUNNING',
      Date.now(),
    );
    onTestFinished(() => platform.store.deleteConnector(name));

    const history = await tickUntil(
      platform,
      name,
      (h) => h.filter((s) => s.state === 'FAILED' && s.nextRestartAt !== undefined).length >= 3,
    );

    const failures = history.filter((s) => s.state === 'FAILED');
    for (const failure of failures) {
      expect(failure.trace).toContain('TaskFailedError: TRANSFORMATION failed after 1 attempt');
      expect(failure.trace).toContain('seq 0 is a multiple of 1000');
    }
    const backoffs = failures
      .filter((s) => s.nextRestartAt !== undefined)
      .map((s) => ({ restartCount: s.restartCount, delay: (s.nextRestartAt ?? 0) - s.updatedAt }));
    expect(backoffs.slice(0, 3)).toEqual([
      { restartCount: 0, delay: 500 },
      { restartCount: 1, delay: 1_000 },
      { restartCount: 2, delay: 2_000 },
    ]);
    // Nothing was committed: the next restart starts from record 0 again.
    expect(await platform.store.readOffsets(name)).toEqual([]);
  }, 40_000);
});

/** Restarts quick enough for a test: 500 ms, then 1 s, then 2 s. */
const FAST_RESTARTS = { baseDelayMs: 500, maxDelayMs: 2_000 };

/**
 * Runs the coordinator with FAST_RESTARTS, and the slices it starts to their end, until
 * `done(history)` holds for the task's statuses seen so far (each distinct status once).
 */
async function tickUntil(
  platform: LocalPlatform,
  connector: string,
  done: (history: readonly TaskStatus[]) => boolean,
  timeoutMs = 30_000,
): Promise<TaskStatus[]> {
  const history: TaskStatus[] = [];
  const record = async () => {
    const status = (await taskOf(platform, connector))?.status;
    const last = history.at(-1);
    if (status && (last?.updatedAt !== status.updatedAt || last.state !== status.state)) {
      history.push(status);
    }
  };
  const until = Date.now() + timeoutMs;
  while (!done(history)) {
    if (Date.now() > until) {
      throw new Error(`not done within ${timeoutMs} ms; statuses: ${JSON.stringify(history)}`);
    }
    await runCoordinator({
      store: platform.store,
      dispatcher: platform.dispatcher,
      taskConfigsFor: taskConfigsFromRegistry(platform.registry),
      holderId: `coordinator-${Date.now()}`,
      restartPolicy: FAST_RESTARTS,
    });
    await record();
    await platform.dispatcher.drain();
    await record();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return history;
}

function byId(a: unknown, b: unknown): number {
  return (a as { id: number }).id - (b as { id: number }).id;
}
