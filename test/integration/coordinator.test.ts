import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, onTestFinished, vi } from 'vitest';
import { z } from 'zod';
import type { SourceConnectorPlugin } from '../../lib/api/connector.js';
import { createRegistry } from '../../lib/api/registry.js';
import { InProcessSliceDispatcher } from '../../lib/coordinator/dispatch.js';
import { runCoordinator, type CoordinatorDeps } from '../../lib/coordinator/runner.js';
import type { SliceRequest } from '../../lib/runtime/slice-request.js';
import { taskConfigsFromRegistry } from '../../lib/coordinator/task-configs.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { FencedError } from '../../lib/state/errors.js';
import { test } from './fixtures.js';

/** A source plugin whose task configs split a list of files, one or more per task. */
const filesPlugin: SourceConnectorPlugin = {
  type: 'source',
  className: 'test.FilesSourceConnector',
  aliases: [],
  version: '1.0.0',
  configDef: [],
  configSchema: z.object({ files: z.string() }),
  taskConfigs(config, maxTasks) {
    const files = (config.files ?? '').split(',').filter(Boolean);
    const count = Math.min(maxTasks, files.length);
    return Array.from({ length: count }, (_, i) => ({
      ...config,
      'task.files': files.filter((_, f) => f % count === i).join(','),
    }));
  },
  createTask() {
    throw new Error('not run in these tests');
  },
};

const registry = createRegistry([filesPlugin]);
const config = (tasksMax: number, files = 'a,b,c,d') => ({
  'connector.class': 'test.FilesSourceConnector',
  'tasks.max': String(tasksMax),
  topic: 'out',
  files,
});

describe('the coordinator on DynamoDB Local', () => {
  const deps = (
    store: DynamoStateStore,
    dispatcher: InProcessSliceDispatcher,
    holderId = 'run',
  ): CoordinatorDeps => ({
    store,
    dispatcher,
    taskConfigsFor: taskConfigsFromRegistry(registry),
    holderId,
  });
  const noSlices = () => new InProcessSliceDispatcher(() => Promise.resolve());

  test('a new connector gets task configs, RUNNING, and one slice per task', async ({
    dynamo,
    table,
  }) => {
    const store = new DynamoStateStore(dynamo, table);
    await store.createConnector('files-new', config(2), 'RUNNING', Date.now());
    const dispatcher = noSlices();

    const report = await runCoordinator(deps(store, dispatcher));

    expect(report).toMatchObject({ ran: true, deferred: 0, errors: [] });
    const taskConfigs = await store.getTaskConfigs('files-new');
    expect(taskConfigs).toMatchObject({ generation: 0, configVersion: 1 });
    expect(taskConfigs?.tasks.map((t) => t['task.files'])).toEqual(['a,c', 'b,d']);
    expect(dispatcher.dispatched.filter((d) => d.connector === 'files-new')).toEqual([
      { connector: 'files-new', taskId: 0, generation: 0 },
      { connector: 'files-new', taskId: 1, generation: 0 },
    ]);
    const snapshot = await store.snapshot();
    expect(snapshot.connectorStatuses.find((s) => s.connector === 'files-new')?.state).toBe(
      'RUNNING',
    );
  });

  test('tasks.max changed: a new generation, and a slice of the old one is fenced', async ({
    dynamo,
    table,
  }) => {
    const store = new DynamoStateStore(dynamo, table);
    await store.createConnector('files-resize', config(2), 'RUNNING', Date.now());
    await runCoordinator(deps(store, noSlices()));
    const old = await store.acquireLease('files-resize', 0, 'old-slice', 0, Date.now(), 60_000);
    expect(old).toBeDefined();

    const current = await store.getConnector('files-resize');
    await store.putConnectorConfig('files-resize', config(4), Date.now(), current?.version);
    const dispatcher = noSlices();
    await runCoordinator(deps(store, dispatcher));

    expect(await store.getTaskConfigs('files-resize')).toMatchObject({ generation: 1 });
    expect(dispatcher.dispatched.filter((d) => d.connector === 'files-resize')).toHaveLength(4);
    if (!old) return;
    await expect(
      store.commitOffsets(
        old,
        1,
        [{ partition: { file: 'a' }, offset: { position: 10 } }],
        Date.now(),
      ),
    ).rejects.toBeInstanceOf(FencedError);
  });

  test('runs overlapping in time act once: the second finds the lease taken and leaves', async ({
    dynamo,
    table,
  }) => {
    const store = new DynamoStateStore(dynamo, table);
    await store.createConnector('files-single', config(1), 'RUNNING', Date.now());
    const held = await store.acquireCoordinatorLease('someone-else', Date.now(), 60_000);
    expect(held).toBeDefined();
    const dispatcher = noSlices();
    expect(await runCoordinator(deps(store, dispatcher, 'second'))).toMatchObject({ ran: false });
    expect(dispatcher.dispatched).toEqual([]);
    if (held) await store.releaseCoordinatorLease(held);
    expect(await runCoordinator(deps(store, dispatcher, 'third'))).toMatchObject({ ran: true });
  });

  test('dispatched slices run and take their lease with the dispatched generation, and only with it', async ({
    dynamo,
    table,
  }) => {
    const store = new DynamoStateStore(dynamo, table);
    await store.createConnector('files-slices', config(2), 'RUNNING', Date.now());
    const taken: SliceRequest[] = [];
    const dispatcher = new InProcessSliceDispatcher(async (request) => {
      if (request.connector !== 'files-slices') return;
      const token = await store.acquireLease(
        request.connector,
        request.taskId,
        `slice-${request.taskId}`,
        request.generation,
        Date.now(),
        60_000,
      );
      if (token) {
        taken.push(request);
        await store.releaseLease(token);
      }
    });
    await runCoordinator(deps(store, dispatcher));
    await dispatcher.drain();
    expect(taken.map((r) => r.taskId).sort()).toEqual([0, 1]);
    // A slice sent for another generation, or once the connector is paused, cannot start.
    expect(
      await store.acquireLease('files-slices', 0, 'stale', 5, Date.now(), 60_000),
    ).toBeUndefined();
    await store.setTargetState('files-slices', 'PAUSED', Date.now());
    expect(
      await store.acquireLease('files-slices', 0, 'late', 0, Date.now(), 60_000),
    ).toBeUndefined();
  });
});

describe('the coordinator function', () => {
  const invokes: string[] = [];
  const lambda = http.createServer((req, res) => {
    invokes.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(202);
      res.end();
    });
  });
  beforeAll(() => new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve)));
  afterAll(() => {
    lambda.close();
  });

  const context = (): Context =>
    ({ awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;

  test('runs on a schedule tick against the table it is configured with, and refuses a bad event', async ({
    stack,
    dynamo,
    table,
  }) => {
    vi.stubEnv('STATE_TABLE_NAME', table);
    vi.stubEnv('TASK_FUNCTION_NAME', 'connect-test-task');
    vi.stubEnv('DYNAMODB_ENDPOINT', stack.dynamodb.endpoint);
    vi.stubEnv('LAMBDA_ENDPOINT', `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const { handler } = await import('../../functions/coordinator.js');

    // The built-in registry has no plugin of this class: the connector shows FAILED and why.
    const store = new DynamoStateStore(dynamo, table);
    await store.createConnector(
      'unknown-class',
      { 'connector.class': 'com.example.Nope', topic: 't' },
      'RUNNING',
      Date.now(),
    );
    const tick = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
    const report = (await handler(tick, context())) as { ran: boolean };
    expect(report.ran).toBe(true);
    const status = (await store.snapshot()).connectorStatuses.find(
      (s) => s.connector === 'unknown-class',
    );
    expect(status).toMatchObject({
      state: 'FAILED',
      trace: expect.stringContaining('connector.class'),
    });

    await expect(handler({ hello: 'world' }, context())).rejects.toThrow(
      /neither a scheduled EventBridge event/,
    );
  });
});
