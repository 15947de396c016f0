/**
 * POST /connectors/{name}/preview through the real API function, its task-function side run as
 * the task function runs it, on the local stack: a source's records through the transform
 * chain and converters, a sink's last messages (or samples) as `put` would receive them. Each
 * test reads the topic, the consumer group and the state table before and after: nothing is
 * produced, acknowledged or committed.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { taskMessagingOf } from '../../lib/platform/topic-admin.js';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import type { Messaging } from '../../lib/runtime/messaging.js';
import type { PreviewAnswer } from '../../lib/runtime/preview.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { startTestApi, type TestApi } from './api-server.js';
import { test, uniqueName } from './fixtures.js';

describe('POST /connectors/{name}/preview', () => {
  let api: TestApi;
  let clients: ClientCache;
  let messaging: Messaging;
  let dir: string;

  test.beforeAll(async ({ stack, table }) => {
    api = await startTestApi(stack, table);
    clients = new ClientCache({ endpoints: stack.rocketmq.endpoint });
    messaging = taskMessagingOf(
      { ROCKETMQ_NAMESRV: stack.rocketmq.namesrv, ROCKETMQ_CLUSTER: stack.rocketmq.cluster },
      clients,
    );
    dir = await mkdtemp(path.join(tmpdir(), 'preview-'));
  });
  test.afterAll(async () => {
    await api.close();
    await clients.close();
  });

  const preview = async (name: string, body: unknown): Promise<PreviewAnswer> => {
    const response = await api.call('POST', `/connectors/${name}/preview`, { body });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as PreviewAnswer;
  };
  /** Everything stored in the topic: a preview must leave it as it was. */
  const stored = async (topic: string) =>
    (await messaging.peek!('preview-test-reader', [topic], 100)).map((m) =>
      m.body.toString('utf8'),
    );

  test('a source config not created yet: each record polled, after each transform, as its message; nothing sent or committed', async ({
    topics,
    table,
    dynamo,
  }) => {
    const topic = await topics.topic('NORMAL', 'preview-src');
    const file = path.join(dir, 'input.txt');
    await writeFile(file, 'alpha\nbeta\ngamma\ndelta\n');
    const name = uniqueName('preview-source');
    const config = {
      'connector.class': 'FileStreamSource',
      file,
      topic,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      transforms: 'route,wrap',
      'transforms.route.type': 'RegexRouter',
      'transforms.route.regex': '(.*)',
      'transforms.route.replacement': '$1',
      // RocketMQ Connect's spelling of the class key.
      'transforms.wrap.class': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.wrap.static.field': 'origin',
      'transforms.wrap.static.value': 'file',
      predicates: 'never',
      'predicates.never.type': 'TopicNameMatches',
      'predicates.never.pattern': 'nothing-matches-this',
      'transforms.wrap.predicate': 'never',
    };
    const answer = await preview(name, { config, limit: 3, timeoutMs: 5_000 });

    expect(answer).toMatchObject({ connector: name, type: 'source' });
    expect(answer.error).toBeUndefined();
    expect(answer.records).toHaveLength(3);
    expect(answer.records[0]).toEqual({
      outcome: 'send',
      steps: [
        {
          stage: 'poll',
          record: expect.objectContaining({
            topic,
            partition: { filename: file },
            offset: { position: 6 },
            value: 'alpha',
            valueSchema: { type: 'string', optional: false },
          }) as unknown,
        },
        {
          stage: 'transform',
          alias: 'route',
          className: 'org.apache.kafka.connect.transforms.RegexRouter',
          record: expect.objectContaining({ topic, value: 'alpha' }) as unknown,
        },
        {
          stage: 'transform',
          alias: 'wrap',
          className: 'org.apache.kafka.connect.transforms.InsertField$Value',
          skipped: 'its predicate did not match',
        },
        {
          stage: 'message',
          message: { topic, body: 'alpha', bodyEncoding: 'utf8', properties: {} },
        },
      ],
    });
    expect(answer.records.map((r) => r.steps.at(-1))).toMatchObject([
      { message: { body: 'alpha' } },
      { message: { body: 'beta' } },
      { message: { body: 'gamma' } },
    ]);

    // Nothing produced, nothing stored: no connector, no offsets.
    expect(await stored(topic)).toEqual([]);
    expect((await api.call('GET', `/connectors/${name}`)).status).toBe(404);
    const store = new DynamoStateStore(dynamo, table);
    expect(await store.readOffsets(name, [{ filename: file }])).toEqual([]);
  });

  test('a failing transform shows its stage, alias and message, and the steps before it', async () => {
    const file = path.join(dir, 'fail.txt');
    await writeFile(file, 'one\n');
    const answer = await preview(uniqueName('preview-fail'), {
      config: {
        'connector.class': 'FileStreamSource',
        file,
        topic: 'anywhere',
        transforms: 'insert',
        'transforms.insert.type': 'InsertField$Value',
        'transforms.insert.static.field': 'origin',
        'transforms.insert.static.value': 'file',
      },
      limit: 1,
    });
    expect(answer.error).toBeUndefined();
    expect(answer.records).toEqual([
      {
        outcome: 'failed',
        steps: [expect.objectContaining({ stage: 'poll' }) as unknown],
        error: {
          stage: 'transform',
          alias: 'insert',
          className: 'org.apache.kafka.connect.transforms.InsertField$Value',
          // JsonConverter's default (schemas.enable) gives the line a STRING schema.
          message: expect.stringMatching(/struct/i) as unknown,
        },
      },
    ]);
  });

  test('a created source connector: its stored config from its committed offsets, which stay as they were', async ({
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'preview-stored');
    const file = path.join(dir, 'stored.txt');
    await writeFile(file, 'first\nsecond\n');
    const name = uniqueName('preview-stored');
    const created = await api.call('POST', '/connectors', {
      body: {
        name,
        config: { 'connector.class': 'FileStreamSource', file, topic },
        initial_state: 'STOPPED',
      },
    });
    expect(created.status).toBe(201);
    const offsets = { offsets: [{ partition: { filename: file }, offset: { position: 6 } }] };
    expect((await api.call('PATCH', `/connectors/${name}/offsets`, { body: offsets })).status).toBe(
      200,
    );
    const before = await (await api.call('GET', `/connectors/${name}/offsets`)).json();

    const answer = await preview(name, {});
    // From the committed position: "first" was read already.
    expect(answer.records.map((r) => r.steps.at(-1))).toMatchObject([
      {
        stage: 'message',
        message: { body: '{"schema":{"type":"string","optional":false},"payload":"second"}' },
      },
    ]);
    expect(await (await api.call('GET', `/connectors/${name}/offsets`)).json()).toEqual(before);
    expect(await stored(topic)).toEqual([]);
  });

  test("a sink: its topics' last messages as put would get them, the group's offsets unmoved; or samples from the body", async ({
    topics,
  }) => {
    const topic = await topics.topic('NORMAL', 'preview-sink');
    const producer = await messaging.producer([topic]);
    const sent = await producer.send(
      Array.from({ length: 5 }, (_, i) => ({
        topic,
        body: Buffer.from(JSON.stringify({ id: i, name: `n${i}` })),
        keys: [],
        properties: new Map([['trace', `t${i}`]]),
      })),
    );
    expect(sent.every((s) => s.ok)).toBe(true);
    const name = uniqueName('preview-sink');
    const config = {
      'connector.class': 'FileStreamSink',
      file: path.join(dir, 'sink-out.txt'),
      topics: topic,
      'value.converter': 'JsonConverter',
      'value.converter.schemas.enable': 'false',
      transforms: 'pick',
      'transforms.pick.type': 'ExtractField$Value',
      'transforms.pick.field': 'name',
    };
    expect(
      (await api.call('POST', '/connectors', { body: { name, config, initial_state: 'STOPPED' } }))
        .status,
    ).toBe(201);
    const groupBefore = await (await api.call('GET', `/connectors/${name}/offsets`)).json();

    const answer = await preview(name, { limit: 3 });
    expect(answer).toMatchObject({ type: 'sink', messagesFrom: 'topics' });
    expect(answer.records).toHaveLength(3);
    const last = answer.records.at(-1)!;
    expect(last).toMatchObject({
      outcome: 'put',
      steps: [
        {
          stage: 'message',
          message: { topic, body: '{"id":4,"name":"n4"}', properties: { trace: 't4' } },
        },
        {
          stage: 'converted',
          record: { topic, value: { id: 4, name: 'n4' }, headers: [['trace', 't4']] },
        },
        { stage: 'transform', alias: 'pick', record: { value: 'n4' } },
      ],
    });
    // Read for a look only: the group did not move, and a second preview sees the same.
    expect(await (await api.call('GET', `/connectors/${name}/offsets`)).json()).toEqual(
      groupBefore,
    );
    expect((await preview(name, { limit: 3 })).records).toEqual(answer.records);

    const samples = await preview(name, {
      records: [
        { topic, value: '{"id":9,"name":"sample"}' },
        { topic, value: 'not json' },
      ],
    });
    expect(samples).toMatchObject({ messagesFrom: 'request' });
    expect(samples.records[0]!.steps.at(-1)).toMatchObject({ record: { value: 'sample' } });
    expect(samples.records[1]).toMatchObject({
      outcome: 'failed',
      error: { stage: 'value.converter', className: 'org.apache.kafka.connect.json.JsonConverter' },
    });
  });

  test('bad requests are refused naming what is wrong', async () => {
    const call = async (name: string, body: unknown) => {
      const response = await api.call('POST', `/connectors/${name}/preview`, { body });
      return { status: response.status, body: (await response.json()) as { message: string } };
    };
    expect(await call(uniqueName('nothing'), {})).toMatchObject({
      status: 404,
      body: { message: expect.stringMatching(/give a config in the body/) as unknown },
    });
    expect(await call('x', { limit: 0 })).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/limit/) as unknown },
    });
    expect(
      await call('x', { config: { 'connector.class': 'FileStreamSource' }, extra: 1 }),
    ).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/extra/) as unknown },
    });
    const invalid = await call('x', {
      config: {
        'connector.class': 'FileStreamSource',
        topic: 't',
        transforms: 'a',
        'transforms.a.type': 'Nope$Value',
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/transforms.a.type/);
  });
});
