import type { Context } from 'aws-lambda';
import { describe, expect, onTestFinished } from 'vitest';
import { runSlice } from '../../lib/runtime/slice-runner.js';
import { test } from './fixtures.js';
import { LocalPlatform } from './platform.js';

const datagen = (topic: string, extra: Record<string, string> = {}) => ({
  'connector.class': 'datagen',
  topic,
  count: '-1',
  rate: '2000',
  'record.size': '20',
  'slice.max.ms': '3000',
  ...extra,
});

describe('one slice of one task', () => {
  test('two invocations of the same task at once: one works, the other leaves at once', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'twice');
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());
    await platform.store.createConnector('twice', datagen(topic), 'RUNNING', Date.now());
    await platform.plan();
    const request = { connector: 'twice', taskId: 0, generation: 0 };
    const timed = async (holderId: string) => {
      const started = Date.now();
      const outcome = await runSlice(
        request,
        { holderId, remainingMs: 900_000 },
        { ...platform.sliceDeps, dispatcher: { dispatch: () => Promise.resolve() } },
      );
      return { outcome, ms: Date.now() - started };
    };
    const [a, b] = await Promise.all([timed('first'), timed('second')]);
    const ran = [a, b].filter((r) => r.outcome.kind === 'ran');
    const left = [a, b].filter((r) => r.outcome.kind === 'skipped');
    expect(ran).toHaveLength(1);
    expect(left).toHaveLength(1);
    expect(ran[0]?.ms).toBeGreaterThanOrEqual(3000);
    expect(left[0]?.ms).toBeLessThan(1500);
    const task = (await platform.store.snapshot()).tasks.find((t) => t.connector === 'twice');
    expect(task?.metrics.lastSlice?.counters.sourceRecordWrite).toBeGreaterThan(0);
  });

  test('a slice of an older generation leaves without touching the task, and one fenced mid-slice stops without writing', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'fence');
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());
    const deps = { ...platform.sliceDeps, dispatcher: { dispatch: () => Promise.resolve() } };
    const created = await platform.store.createConnector(
      'fence',
      datagen(topic, { 'offset.flush.interval.ms': '100' }),
      'RUNNING',
      Date.now(),
    );
    await platform.plan();

    const stale = await runSlice(
      { connector: 'fence', taskId: 0, generation: 7 },
      { holderId: 'stale', remainingMs: 900_000 },
      deps,
    );
    expect(stale.kind).toBe('skipped');

    // New task configs (a config change) fence the running slice at its next commit.
    const running = runSlice(
      { connector: 'fence', taskId: 0, generation: 0 },
      { holderId: 'old', remainingMs: 900_000 },
      deps,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await platform.store.writeTaskConfigs(
      created,
      [{ ...created.config, rate: '10' }],
      0,
      Date.now(),
    );
    expect((await running).kind).toBe('fenced');
    const [offset] = await platform.store.readOffsets('fence');
    const committed = offset?.offset.seq;
    expect(committed).toBeGreaterThan(0);
    // Nothing more was committed by the fenced slice after the fence.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await platform.store.readOffsets('fence'))[0]?.offset.seq).toBe(committed);
  });

  test('a task that cannot start goes FAILED with its trace, and is not leased again before its restart', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'unread');
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());
    await platform.store.createConnector(
      'unreadable',
      {
        'connector.class': 'FileStreamSink',
        file: '/proc/no/such/dir/out.txt',
        topics: topic,
      },
      'RUNNING',
      Date.now(),
    );
    // Only plans: other tests' connectors in this table must not get slices here.
    await platform.plan();
    const outcome = await runSlice(
      { connector: 'unreadable', taskId: 0, generation: 0 },
      { holderId: 'first', remainingMs: 900_000 },
      platform.sliceDeps,
    );
    expect(outcome).toMatchObject({ kind: 'ran', status: { state: 'FAILED' } });
    const task = (await platform.store.snapshot()).tasks.find((t) => t.connector === 'unreadable');
    expect(task?.status.state).toBe('FAILED');
    expect(task?.status.trace).toMatch(/ENOENT|no such file/i);
    expect(task?.lease.holder).toBeUndefined();
    const again = await platform.store.acquireLease('unreadable', 0, 'eager', 0, Date.now(), 1000);
    expect(again).toBeUndefined();
  });

  test('a start that fails retriably (a database not reachable) is retried under errors.retry.timeout, then FAILED naming host and port', async ({
    dynamo,
    table,
    rocketmq,
  }) => {
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());
    await platform.store.createConnector(
      'db-down',
      {
        'connector.class': 'JdbcSource',
        'connection.url': 'jdbc:postgresql://127.0.0.1:1/test',
        'connection.password': 'never-shown-pw',
        mode: 'bulk',
        'topic.prefix': 'db-down-',
        'errors.retry.timeout': '2000',
        'errors.retry.delay.max.ms': '500',
      },
      'RUNNING',
      Date.now(),
    );
    await platform.plan();
    const started = Date.now();
    const outcome = await runSlice(
      { connector: 'db-down', taskId: 0, generation: 0 },
      { holderId: 'first', remainingMs: 900_000 },
      platform.sliceDeps,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(outcome).toMatchObject({ kind: 'ran', status: { state: 'FAILED' } });
    const task = (await platform.store.snapshot()).tasks.find((t) => t.connector === 'db-down');
    expect(task?.status.trace).toMatch(
      /TASK_START failed after [3-9] attempts: cannot connect to 127\.0\.0\.1:1: connect ECONNREFUSED/,
    );
    expect(task?.status.trace).not.toContain('never-shown-pw');
  });

  test('the task function handler runs a slice from its event and refuses a malformed one', async ({
    stack,
    table,
    rocketmq,
    topics,
    dynamo,
  }) => {
    const topic = await topics.topic('NORMAL', 'handler');
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());
    await platform.store.createConnector(
      'handled',
      datagen(topic, { count: '50', rate: '0' }),
      'RUNNING',
      Date.now(),
    );
    await platform.plan();
    Object.assign(process.env, {
      STATE_TABLE_NAME: table,
      TASK_FUNCTION_NAME: 'task',
      DYNAMODB_ENDPOINT: stack.dynamodb.endpoint,
      ROCKETMQ_ENDPOINT: stack.rocketmq.endpoint,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    });
    const { handler } = await import('../../functions/task.js');
    const context = {
      awsRequestId: 'request-1',
      getRemainingTimeInMillis: () => 60_000,
    } as unknown as Context;
    await expect(handler({ connector: 'handled', taskId: 'zero' }, context)).rejects.toThrow(
      /taskId/,
    );
    // 50 records; then the deployed handler's slice keeps polling while idle (stayWhileIdle)
    // until its 3 s budget, and hands over to the next slice so new data is picked up at once.
    const startedAt = Date.now();
    const outcome = await handler({ connector: 'handled', taskId: 0, generation: 0 }, context);
    expect(outcome).toMatchObject({ kind: 'ran', status: { state: 'RUNNING' }, moreWork: true });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3_000);
    expect((await platform.store.readOffsets('handled'))[0]?.offset).toEqual({ seq: 50 });
  });
});
