import { describe, expect } from 'vitest';
import { z } from 'zod';
import { runCoordinator } from '../../lib/coordinator/runner.js';
import { taskConfigsFromRegistry } from '../../lib/coordinator/task-configs.js';
import { configInfosSchema, configKeyInfoSchema } from '../../lib/config/validate-result.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import { RocketMqTopicCatalog } from '../../lib/rocketmq/topic-catalog.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { startTestApi, type TestApi } from './api-server.js';
import { test, uniqueName } from './fixtures.js';

// Kafka Connect's response shapes, as its clients read them.
const connectorInfo = z.strictObject({
  name: z.string(),
  config: z.record(z.string(), z.string()),
  tasks: z.array(z.strictObject({ connector: z.string(), task: z.number().int() })),
  type: z.enum(['source', 'sink', 'unknown']),
});
const taskState = z.strictObject({
  id: z.number().int(),
  state: z.enum(['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING']),
  worker_id: z.string().nullable(),
  trace: z.string().optional(),
  restart_count: z.number().int(),
});
const connectorStateInfo = z.strictObject({
  name: z.string(),
  connector: z.strictObject({
    state: taskState.shape.state,
    worker_id: z.string(),
    trace: z.string().optional(),
  }),
  tasks: z.array(taskState),
  type: z.enum(['source', 'sink', 'unknown']),
});
const taskInfo = z.strictObject({
  id: z.strictObject({ connector: z.string(), task: z.number().int() }),
  config: z.record(z.string(), z.string()),
});
const errorBody = z.object({ error_code: z.number().int(), message: z.string() });
const counters = z.strictObject({
  source_record_poll: z.number().int(),
  source_record_write: z.number().int(),
  sink_record_read: z.number().int(),
  sink_record_send: z.number().int(),
  record_filtered: z.number().int(),
  record_errors: z.number().int(),
  record_retries: z.number().int(),
  dead_lettered: z.number().int(),
  offset_commits: z.number().int(),
  slices: z.number().int(),
  slice_millis: z.number().int(),
});
const connectorMetrics = z.strictObject({
  name: z.string(),
  type: z.enum(['source', 'sink', 'unknown']),
  sampled_at: z.number().int(),
  tasks: z.array(
    z.strictObject({
      id: z.number().int(),
      totals: counters,
      last_slice: z
        .strictObject({ started_at: z.number(), ended_at: z.number(), counters })
        .optional(),
      last_error: z.strictObject({ at: z.number(), message: z.string() }).optional(),
    }),
  ),
});
const pluginInfo = z.strictObject({ class: z.string(), type: z.string(), version: z.string() });

async function json<S extends z.ZodType>(
  response: Response,
  status: number,
  schema: S,
): Promise<z.output<S>> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return schema.parse(JSON.parse(text));
}

async function empty(response: Response, status: number): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(text).toBe('');
}

describe('the REST API, route by route, on DynamoDB Local and RocketMQ', () => {
  let api: TestApi;
  let store: DynamoStateStore;
  let clients: ClientCache;
  let catalog: RocketMqTopicCatalog;
  const registry = createBuiltinRegistry();
  const sourceTopic = uniqueName('api-src');
  const source = {
    'connector.class': 'FileStreamSource',
    file: '/tmp/api-routes-input.txt',
    topic: sourceTopic,
    'tasks.max': '1',
  };
  const sinkConfig = (topic: string) => ({
    'connector.class': 'FileStreamSink',
    file: '/tmp/api-routes-output.txt',
    topics: topic,
  });

  /** One coordinator run that writes task configs and statuses but starts no slice. */
  const plan = () =>
    runCoordinator({
      store,
      dispatcher: { dispatch: () => Promise.resolve() },
      taskConfigsFor: taskConfigsFromRegistry(registry),
      holderId: uniqueName('planner'),
    });

  test.beforeAll(async ({ stack, table, dynamo }) => {
    api = await startTestApi(stack, table);
    store = new DynamoStateStore(dynamo, table);
    clients = new ClientCache({
      endpoints: stack.rocketmq.endpoint,
      logger: { warn: () => undefined, error: () => undefined },
    });
    catalog = new RocketMqTopicCatalog(() => clients.producer());
  });
  test.afterAll(async () => {
    await api.close();
    await clients.close();
  });

  test('GET / tells the version and the cluster id', async ({ table }) => {
    const body = await json(
      await api.call('GET', '/'),
      200,
      z.strictObject({ version: z.string(), commit: z.string(), kafka_cluster_id: z.string() }),
    );
    expect(body).toMatchObject({ version: '0.1.0', kafka_cluster_id: table });
  });

  test('GET /health answers without credentials', async () => {
    const response = await api.call('GET', '/health', { token: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'healthy' });
  });

  test('POST /connectors creates the connector, its missing topic, and wakes the coordinator', async () => {
    expect(await catalog.typeOf(sourceTopic)).toBeUndefined();
    const before = api.invokes.length;
    const response = await api.call('POST', '/connectors', {
      body: { name: 'orders-source', config: source },
    });
    expect(response.headers.get('location')).toBe('/connectors/orders-source');
    const info = await json(response, 201, connectorInfo);
    expect(info).toEqual({
      name: 'orders-source',
      config: { ...source, name: 'orders-source' },
      tasks: [],
      type: 'source',
    });
    expect(await catalog.typeOf(sourceTopic)).toBe('NORMAL');
    expect(api.invokes.slice(before)).toEqual([
      {
        functionName: 'connect-test-coordinator',
        invocationType: 'Event',
        payload: { reason: 'config-change', connector: 'orders-source' },
      },
    ]);
    const stored = await store.getConnector('orders-source');
    expect(stored).toMatchObject({ targetState: 'RUNNING', version: 1 });
  });

  test('POST /connectors for a name that exists answers 409 and changes nothing, not even topics', async () => {
    const otherTopic = uniqueName('api-taken');
    const body = await json(
      await api.call('POST', '/connectors', {
        body: { name: 'orders-source', config: { ...source, topic: otherTopic, 'tasks.max': '2' } },
      }),
      409,
      errorBody,
    );
    expect(body).toEqual({ error_code: 409, message: expect.stringContaining('already exists') });
    expect((await store.getConnector('orders-source'))?.config['tasks.max']).toBe('1');
    expect(await catalog.typeOf(otherTopic)).toBeUndefined();
  });

  test('POST /connectors with initial_state PAUSED stores it paused', async () => {
    await json(
      await api.call('POST', '/connectors', {
        body: { name: 'paused-source', config: source, initial_state: 'PAUSED' },
      }),
      201,
      connectorInfo,
    );
    expect((await store.getConnector('paused-source'))?.targetState).toBe('PAUSED');
  });

  test('a FIFO source (message.group.by.key) gets a FIFO topic, and a NORMAL one is refused naming it', async () => {
    const fifoTopic = uniqueName('api-fifo');
    await json(
      await api.call('POST', '/connectors', {
        body: {
          name: 'fifo-source',
          config: { ...source, topic: fifoTopic, 'message.group.by.key': 'true' },
        },
      }),
      201,
      connectorInfo,
    );
    expect(await catalog.typeOf(fifoTopic)).toBe('FIFO');

    const refused = await json(
      await api.call('POST', '/connectors', {
        body: { name: 'fifo-on-normal', config: { ...source, 'message.group.by.key': 'true' } },
      }),
      400,
      errorBody.extend({ errors: z.record(z.string(), z.array(z.string())) }),
    );
    expect(refused.errors.topic?.join()).toContain(`topic "${sourceTopic}" is a NORMAL topic`);
    expect(await store.getConnector('fifo-on-normal')).toBeUndefined();
  });

  test('GET /connectors lists names, and expands status and info', async () => {
    await plan();
    const names = await json(await api.call('GET', '/connectors'), 200, z.array(z.string()));
    expect(names).toEqual(['fifo-source', 'orders-source', 'paused-source']);

    const expanded = await json(
      await api.call('GET', '/connectors?expand=status&expand=info'),
      200,
      z.record(z.string(), z.strictObject({ status: connectorStateInfo, info: connectorInfo })),
    );
    expect(Object.keys(expanded)).toEqual(names);
    expect(expanded['orders-source']?.status.connector.state).toBe('RUNNING');
    expect(expanded['paused-source']?.status.connector.state).toBe('PAUSED');
    expect(expanded['orders-source']?.info.tasks).toEqual([
      { connector: 'orders-source', task: 0 },
    ]);

    // HTTP API v2 joins repeated query keys with commas.
    const joined = await json(
      await api.call('GET', '/connectors?expand=status,info'),
      200,
      z.record(z.string(), z.strictObject({ status: connectorStateInfo, info: connectorInfo })),
    );
    expect(joined).toEqual(expanded);
    const onlyStatus = await json(
      await api.call('GET', '/connectors?expand=status'),
      200,
      z.record(z.string(), z.strictObject({ status: connectorStateInfo })),
    );
    expect(Object.keys(onlyStatus)).toEqual(names);
    const bad = await json(await api.call('GET', '/connectors?expand=everything'), 400, errorBody);
    expect(bad.message).toContain('expand');
  });

  test('GET /connectors/{name}, /config, /status, /tasks and /tasks/{id}/status', async () => {
    const info = await json(await api.call('GET', '/connectors/orders-source'), 200, connectorInfo);
    expect(info.tasks).toEqual([{ connector: 'orders-source', task: 0 }]);

    const config = await json(
      await api.call('GET', '/connectors/orders-source/config'),
      200,
      z.record(z.string(), z.string()),
    );
    expect(config).toEqual({ ...source, name: 'orders-source' });

    const status = await json(
      await api.call('GET', '/connectors/orders-source/status'),
      200,
      connectorStateInfo,
    );
    expect(status).toEqual({
      name: 'orders-source',
      connector: { state: 'RUNNING', worker_id: 'coordinator' },
      tasks: [{ id: 0, state: 'UNASSIGNED', worker_id: null, restart_count: 0 }],
      type: 'source',
    });

    const tasks = await json(
      await api.call('GET', '/connectors/orders-source/tasks'),
      200,
      z.array(taskInfo),
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.id).toEqual({ connector: 'orders-source', task: 0 });
    expect(tasks[0]?.config.file).toBe(source.file);

    await json(await api.call('GET', '/connectors/orders-source/tasks/0/status'), 200, taskState);
    const missing = await json(
      await api.call('GET', '/connectors/orders-source/tasks/7/status'),
      404,
      errorBody,
    );
    expect(missing.message).toContain('no task 7');
    const notANumber = await json(
      await api.call('GET', '/connectors/orders-source/tasks/first/status'),
      400,
      errorBody,
    );
    expect(notANumber.message).toContain('task id');
    for (const path of ['', '/config', '/status', '/tasks', '/tasks/0/status', '/offsets']) {
      const body = await json(await api.call('GET', `/connectors/nope${path}`), 404, errorBody);
      expect(body).toEqual({
        error_code: 404,
        message: expect.stringContaining('"nope" does not exist'),
      });
    }
  });

  test('GET /connectors/{name}/metrics lists the current tasks, all zero before any slice; expand=metrics adds it', async () => {
    const before = Date.now();
    const metrics = await json(
      await api.call('GET', '/connectors/orders-source/metrics'),
      200,
      connectorMetrics,
    );
    expect(metrics).toEqual({
      name: 'orders-source',
      type: 'source',
      sampled_at: expect.any(Number),
      tasks: [{ id: 0, totals: expect.any(Object) }],
    });
    // The schema holds every counter; none has counted anything yet.
    expect(new Set(Object.values(metrics.tasks[0]!.totals))).toEqual(new Set([0]));
    expect(metrics.sampled_at).toBeGreaterThanOrEqual(before);
    expect(metrics.sampled_at).toBeLessThanOrEqual(Date.now());
    await json(await api.call('GET', '/connectors/nope/metrics'), 404, errorBody);

    const expanded = await json(
      await api.call('GET', '/connectors?expand=metrics,status'),
      200,
      z.record(
        z.string(),
        z.strictObject({ metrics: connectorMetrics, status: connectorStateInfo }),
      ),
    );
    expect(expanded['orders-source']?.metrics).toEqual({
      ...metrics,
      sampled_at: expect.any(Number),
    });
    // The tasks are those the status lists, for every connector.
    for (const { metrics: m, status } of Object.values(expanded)) {
      expect(m.tasks.map((t) => t.id)).toEqual(status.tasks.map((t) => t.id));
    }
  });

  test('GET / with a browser Accept header serves the console, whose script is JavaScript', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const page = await api.call('GET', '/', { token: null, headers: { accept } });
    const html = await page.text();
    expect(page.status, html.slice(0, 300)).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<title>RocketMQ Connect</title>');
    const script = /<script[^>]+src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const asset = await api.call('GET', script!, { token: null });
    const code = await asset.text();
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(code.length).toBeGreaterThan(1000);
    expect(code).not.toMatch(/^\s*</);
    expect((await api.call('GET', '/console/', { token: null })).status).toBe(200);
    // Without text/html, / is still Kafka Connect's root, and needs the token.
    expect((await api.call('GET', '/', { token: null })).status).toBe(401);
  });

  test('PUT /connectors/{name}/config creates (201) or updates (200)', async () => {
    const topic = uniqueName('api-sink');
    const created = await json(
      await api.call('PUT', '/connectors/orders-sink/config', { body: sinkConfig(topic) }),
      201,
      connectorInfo,
    );
    expect(created).toMatchObject({ name: 'orders-sink', type: 'sink' });
    expect(await catalog.typeOf(topic)).toBe('NORMAL');

    const updated = await json(
      await api.call('PUT', '/connectors/orders-sink/config', {
        body: { ...sinkConfig(topic), 'tasks.max': 2 },
      }),
      200,
      connectorInfo,
    );
    // Numbers are taken as their text, as Kafka Connect's JSON reader does.
    expect(updated.config['tasks.max']).toBe('2');
    expect(await store.getConnector('orders-sink')).toMatchObject({ version: 2 });

    const mismatch = await json(
      await api.call('PUT', '/connectors/orders-sink/config', {
        body: { ...sinkConfig(topic), name: 'other' },
      }),
      400,
      errorBody,
    );
    expect(mismatch.message).toContain('name');
  });

  test('PATCH /connectors/{name}/config changes some keys; null removes one; 404 when absent', async () => {
    const patched = await json(
      await api.call('PATCH', '/connectors/orders-sink/config', {
        body: { 'tasks.max': '3', 'errors.tolerance': 'all' },
      }),
      200,
      connectorInfo,
    );
    expect(patched.config).toMatchObject({ 'tasks.max': '3', 'errors.tolerance': 'all' });
    const removed = await json(
      await api.call('PATCH', '/connectors/orders-sink/config', {
        body: { 'errors.tolerance': null },
      }),
      200,
      connectorInfo,
    );
    expect(removed.config).not.toHaveProperty('errors.tolerance');
    expect(removed.config['tasks.max']).toBe('3');

    const invalid = await json(
      await api.call('PATCH', '/connectors/orders-sink/config', { body: { 'tasks.max': 'many' } }),
      400,
      errorBody.extend({ errors: z.record(z.string(), z.array(z.string())) }),
    );
    expect(Object.keys(invalid.errors)).toEqual(['tasks.max']);
    expect((await store.getConnector('orders-sink'))?.config['tasks.max']).toBe('3');

    await json(
      await api.call('PATCH', '/connectors/nope/config', { body: { 'tasks.max': '1' } }),
      404,
      errorBody,
    );
  });

  test('PUT /pause (202), /resume (202) and /stop (204) set the target state', async () => {
    await empty(await api.call('PUT', '/connectors/orders-sink/pause'), 202);
    expect((await store.getConnector('orders-sink'))?.targetState).toBe('PAUSED');
    await empty(await api.call('PUT', '/connectors/orders-sink/resume'), 202);
    expect((await store.getConnector('orders-sink'))?.targetState).toBe('RUNNING');
    await empty(await api.call('PUT', '/connectors/orders-sink/stop'), 204);
    expect((await store.getConnector('orders-sink'))?.targetState).toBe('STOPPED');
    await empty(await api.call('PUT', '/connectors/orders-sink/resume'), 202);
    for (const action of ['pause', 'resume', 'stop']) {
      await json(await api.call('PUT', `/connectors/nope/${action}`), 404, errorBody);
    }
  });

  test('POST /restart: 204 for the connector alone, 202 with RESTARTING for tasks; onlyFailed restarts only FAILED ones', async () => {
    await api.call('PATCH', '/connectors/orders-sink/config', { body: { 'tasks.max': '2' } });
    await plan();
    const state = await store.describeConnector('orders-sink');
    expect(state?.taskConfigs?.tasks).toHaveLength(2);
    // Task 1 failed: give it a task item with a FAILED status, as a slice would leave it.
    await store.setTaskStatus(
      'orders-sink',
      1,
      { state: 'FAILED', trace: 'boom', restartCount: 4, updatedAt: Date.now() },
      { epoch: 0, statusUpdatedAt: undefined },
    );

    await empty(await api.call('POST', '/connectors/orders-sink/restart'), 204);
    expect((await store.describeConnector('orders-sink'))?.status?.state).toBe('RESTARTING');

    const onlyFailed = await json(
      await api.call('POST', '/connectors/orders-sink/restart?includeTasks=true&onlyFailed=true'),
      202,
      connectorStateInfo,
    );
    expect(onlyFailed.tasks.map((t) => [t.id, t.state])).toEqual([
      [0, 'UNASSIGNED'],
      [1, 'RESTARTING'],
    ]);
    const task1 = (await store.describeConnector('orders-sink'))?.tasks.find((t) => t.taskId === 1);
    expect(task1?.status).toMatchObject({ state: 'RESTARTING', restartCount: 0 });
    expect(task1?.lease.epoch).toBe(1); // fenced: a slice still running stops

    const all = await json(
      await api.call('POST', '/connectors/orders-sink/restart?includeTasks=true'),
      202,
      connectorStateInfo,
    );
    expect(all.connector.state).toBe('RESTARTING');
    expect(all.tasks.map((t) => t.state)).toEqual(['RESTARTING', 'RESTARTING']);

    // The coordinator computes the task configs again and reports the connector RUNNING.
    await plan();
    expect((await store.describeConnector('orders-sink'))?.status?.state).toBe('RUNNING');

    const bad = await json(
      await api.call('POST', '/connectors/orders-sink/restart?includeTasks=yes'),
      400,
      errorBody,
    );
    expect(bad.message).toContain('includeTasks');
    await json(await api.call('POST', '/connectors/nope/restart'), 404, errorBody);
  });

  test('POST /tasks/{id}/restart restarts one task (204); an unknown task is 404', async () => {
    await store.setTaskStatus(
      'orders-sink',
      0,
      { state: 'FAILED', trace: 'boom', restartCount: 2, updatedAt: Date.now() },
      { epoch: 0, statusUpdatedAt: undefined },
    );
    await empty(await api.call('POST', '/connectors/orders-sink/tasks/0/restart'), 204);
    const task0 = (await store.describeConnector('orders-sink'))?.tasks.find((t) => t.taskId === 0);
    expect(task0?.status).toMatchObject({ state: 'RESTARTING', restartCount: 0 });
    const missing = await json(
      await api.call('POST', '/connectors/orders-sink/tasks/5/restart'),
      404,
      errorBody,
    );
    expect(missing.message).toContain('no task 5');
  });

  test('offsets: GET, PATCH and DELETE only while STOPPED (409 otherwise); a sink shows its consumer group positions', async () => {
    const partition = { filename: source.file };
    expect(
      await json(
        await api.call('GET', '/connectors/orders-source/offsets'),
        200,
        z.strictObject({ offsets: z.array(z.unknown()) }),
      ),
    ).toEqual({ offsets: [] });

    const running = await json(
      await api.call('PATCH', '/connectors/orders-source/offsets', {
        body: { offsets: [{ partition, offset: { position: 42 } }] },
      }),
      409,
      errorBody,
    );
    expect(running.message).toContain('STOPPED');

    await empty(await api.call('PUT', '/connectors/orders-source/stop'), 204);
    const altered = await json(
      await api.call('PATCH', '/connectors/orders-source/offsets', {
        body: { offsets: [{ partition, offset: { position: 42 } }] },
      }),
      200,
      z.strictObject({ message: z.string() }),
    );
    expect(altered.message).toBe('The offsets for this connector have been altered successfully');
    expect(
      await json(
        await api.call('GET', '/connectors/orders-source/offsets'),
        200,
        z.strictObject({ offsets: z.array(z.unknown()) }),
      ),
    ).toEqual({ offsets: [{ partition, offset: { position: 42 } }] });

    const reset = await json(
      await api.call('DELETE', '/connectors/orders-source/offsets'),
      200,
      z.strictObject({ message: z.string() }),
    );
    expect(reset.message).toBe('The offsets for this connector have been reset successfully');
    expect(await store.readOffsets('orders-source')).toEqual([]);

    // A sink's offsets are its consumer group's positions; this one never read (the whole
    // round trip is in sink-offsets.test.ts).
    expect(
      await json(
        await api.call('GET', '/connectors/orders-sink/offsets'),
        200,
        z.strictObject({ offsets: z.array(z.unknown()) }),
      ),
    ).toEqual({ offsets: [] });
  });

  test('GET /connector-plugins, its config definitions, and validate', async () => {
    const connectors = await json(
      await api.call('GET', '/connector-plugins'),
      200,
      z.array(pluginInfo),
    );
    expect(connectors.map((p) => p.type).sort()).toEqual([
      'sink',
      'sink',
      'source',
      'source',
      'source',
    ]);
    const all = await json(
      await api.call('GET', '/connector-plugins?connectorsOnly=false'),
      200,
      z.array(pluginInfo),
    );
    expect(new Set(all.map((p) => p.type))).toEqual(
      new Set(['sink', 'source', 'converter', 'transformation', 'predicate']),
    );

    const defs = await json(
      await api.call('GET', '/connector-plugins/FileStreamSource/config'),
      200,
      z.array(configKeyInfoSchema.strict()),
    );
    const names = defs.map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining(['name', 'connector.class', 'tasks.max', 'topic', 'file']),
    );
    await json(await api.call('GET', '/connector-plugins/NoSuchThing/config'), 404, errorBody);

    const valid = await json(
      await api.call('PUT', '/connector-plugins/FileStreamSource/config/validate', {
        body: { ...source, name: 'v' },
      }),
      200,
      configInfosSchema.strict(),
    );
    expect(valid).toMatchObject({
      name: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      error_count: 0,
    });

    const invalid = await json(
      await api.call('PUT', '/connector-plugins/FileStreamSource/config/validate', {
        body: { name: 'v', 'tasks.max': '0', topic: sourceTopic },
      }),
      200,
      configInfosSchema.strict(),
    );
    expect(invalid.error_count).toBeGreaterThan(0);
    const errorsOf = (key: string) =>
      invalid.configs.find((c) => c.value.name === key)?.value.errors;
    expect(errorsOf('tasks.max')?.length).toBeGreaterThan(0);

    const wrongType = await json(
      await api.call('PUT', '/connector-plugins/FileStreamSource/config/validate', {
        body: { ...source, name: 'v', 'message.group.by.key': 'true' },
      }),
      200,
      configInfosSchema.strict(),
    );
    expect(wrongType.configs.find((c) => c.value.name === 'topic')?.value.errors).toEqual([
      expect.stringContaining(`topic "${sourceTopic}" is a NORMAL topic`),
    ]);

    const mismatch = await json(
      await api.call('PUT', '/connector-plugins/FileStreamSource/config/validate', {
        body: { ...sinkConfig('x'), name: 'v' },
      }),
      400,
      errorBody,
    );
    expect(mismatch.message).toContain('does not match');
  });

  test('GET /metrics answers in the Prometheus text format', async () => {
    const response = await api.call('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('rocketmq_connect_connectors 4');
    expect(text).toContain(
      'rocketmq_connect_connector_status{connector="orders-sink",type="sink",state="RUNNING"} 1',
    );
    expect(text).toMatch(/rocketmq_connect_task_status\{connector="orders-sink",task="0"/);
  });

  test("RocketMQ Connect's paths do what the Kafka Connect routes do", async () => {
    const topic = uniqueName('api-rmq');
    const flat = { ...sinkConfig(topic), 'connect.topicnames': undefined };
    const created = await json(
      await api.call('POST', '/connectors/rmq-sink', { body: flat }),
      201,
      connectorInfo,
    );
    expect(created).toMatchObject({ name: 'rmq-sink', type: 'sink' });
    const updated = await json(
      await api.call('POST', '/connectors/rmq-sink', { body: { ...flat, 'tasks.max': '2' } }),
      200,
      connectorInfo,
    );
    expect(updated.config['tasks.max']).toBe('2');

    const list = await json(await api.call('GET', '/connectors/list'), 200, z.array(z.string()));
    expect(list).toContain('rmq-sink');

    await empty(await api.call('GET', '/connectors/rmq-sink/pause'), 202);
    expect((await store.getConnector('rmq-sink'))?.targetState).toBe('PAUSED');
    await empty(await api.call('GET', '/connectors/rmq-sink/resume'), 202);
    expect((await store.getConnector('rmq-sink'))?.targetState).toBe('RUNNING');

    for (const path of ['config', 'status', 'tasks']) {
      expect((await api.call('GET', `/connectors/rmq-sink/${path}`)).status).toBe(200);
    }
    const plugins = await json(await api.call('GET', '/plugin/list'), 200, z.array(pluginInfo));
    expect(plugins.some((p) => p.type === 'converter')).toBe(true);

    await empty(await api.call('GET', '/connectors/rmq-sink/stop'), 204);
    expect(await store.getConnector('rmq-sink')).toBeUndefined();
    await json(await api.call('GET', '/connectors/rmq-sink/stop'), 404, errorBody);
  });

  test('DELETE /connectors/{name} removes it (204), then 404; its offsets stay', async () => {
    await empty(await api.call('PUT', '/connectors/paused-source/stop'), 204);
    await api.call('PATCH', '/connectors/paused-source/offsets', {
      body: { offsets: [{ partition: { filename: 'f' }, offset: { position: 1 } }] },
    });
    await empty(await api.call('DELETE', '/connectors/paused-source'), 204);
    await json(await api.call('GET', '/connectors/paused-source'), 404, errorBody);
    await json(await api.call('DELETE', '/connectors/paused-source'), 404, errorBody);
    expect(await store.readOffsets('paused-source')).toHaveLength(1);
  });

  test('names are path segments: percent-encoded names with spaces, slashes and unicode work', async () => {
    const name = 'orders / eu ✓';
    await json(
      await api.call('POST', '/connectors', { body: { name, config: source } }),
      201,
      connectorInfo,
    );
    const info = await json(
      await api.call('GET', `/connectors/${encodeURIComponent(name)}`),
      200,
      connectorInfo,
    );
    expect(info.name).toBe(name);
    await empty(await api.call('DELETE', `/connectors/${encodeURIComponent(name)}`), 204);
  });

  test('unknown paths answer 404 and wrong methods 405 with Allow', async () => {
    const unknown = await json(await api.call('GET', '/nothing/here'), 404, errorBody);
    expect(unknown.message).toContain('/nothing/here');
    const response = await api.call('DELETE', '/connector-plugins');
    expect(response.headers.get('allow')).toBe('GET');
    await json(response, 405, errorBody);
  });
});
