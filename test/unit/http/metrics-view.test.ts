import { describe, expect, test } from 'vitest';
import { Views } from '../../../lib/http/views.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';
import {
  T0,
  ZERO_COUNTER_VALUES as zeros,
  connectorState,
  get,
  taskRecord,
  testApi,
} from './fake-api.js';

const SOURCE = { 'connector.class': 'FileStreamSource', file: '/tmp/in.txt', topic: 'lines' };
const SINK = { 'connector.class': 'FileStreamSink', file: '/tmp/out.txt', topics: 'lines' };

const ran = connectorState('demo-source', SOURCE, {
  taskCount: 2,
  tasks: [
    taskRecord('demo-source', 0, {
      totals: { sourceRecordPoll: 120, sourceRecordWrite: 118, slices: 4, sliceMillis: 2500 },
      lastSlice: {
        startedAt: T0 - 1000,
        endedAt: T0 - 250,
        counters: { sourceRecordPoll: 30, sourceRecordWrite: 30, slices: 1 },
      },
      lastError: { at: T0 - 500, message: 'a record failed' },
    }),
    // Task 1 has an item (leased once) but no slice ended yet.
    taskRecord('demo-source', 1),
    // A task of a larger, older tasks.max: not a current task, so not listed.
    taskRecord('demo-source', 2, { totals: { sourceRecordPoll: 9 } }),
  ],
});

describe('the metrics view', () => {
  const views = new Views(createBuiltinRegistry(), () => T0);

  test('lists each current task with its totals, last slice and last error in snake_case', () => {
    expect(views.metrics(ran)).toEqual({
      name: 'demo-source',
      type: 'source',
      sampled_at: T0,
      tasks: [
        {
          id: 0,
          totals: {
            ...zeros,
            source_record_poll: 120,
            source_record_write: 118,
            slices: 4,
            slice_millis: 2500,
          },
          last_slice: {
            started_at: T0 - 1000,
            ended_at: T0 - 250,
            counters: { ...zeros, source_record_poll: 30, source_record_write: 30, slices: 1 },
          },
          last_error: { at: T0 - 500, message: 'a record failed' },
        },
        { id: 1, totals: zeros },
      ],
    });
  });

  test('a task that never ran (no task item) has zero totals and no last slice or error', () => {
    const fresh = connectorState('demo-sink', SINK, { taskCount: 1 });
    const metrics = views.metrics(fresh);
    expect(metrics).toEqual({
      name: 'demo-sink',
      type: 'sink',
      sampled_at: T0,
      tasks: [{ id: 0, totals: zeros }],
    });
    expect(Object.keys(metrics.tasks[0]!)).toEqual(['id', 'totals']);
  });

  test('a connector without task configs yet has no tasks; an unknown plugin is of type unknown', () => {
    const { connector, tasks } = connectorState('odd', { 'connector.class': 'Nope' });
    expect(views.metrics({ connector, tasks })).toEqual({
      name: 'odd',
      type: 'unknown',
      sampled_at: T0,
      tasks: [],
    });
  });
});

describe('GET /connectors/{name}/metrics and expand=metrics', () => {
  const sink = connectorState('demo-sink', SINK);
  const { api } = testApi([ran, sink]);

  test('answers the metrics view, sampled at the API clock', async () => {
    const response = await api(get('/connectors/demo-source/metrics', { token: true }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual(
      new Views(createBuiltinRegistry(), () => T0).metrics(ran),
    );
  });

  test('needs credentials, and answers 404 for an unknown connector', async () => {
    expect((await api(get('/connectors/demo-source/metrics'))).statusCode).toBe(401);
    const missing = await api(get('/connectors/nope/metrics', { token: true }));
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      error_code: 404,
      message: expect.stringContaining('"nope" does not exist'),
    });
  });

  test('GET /connectors?expand=metrics adds each connector metrics, next to status and info', async () => {
    const response = await api(get('/connectors?expand=metrics,status', { token: true }));
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body) as Record<string, Record<string, unknown>>;
    expect(Object.keys(body)).toEqual(['demo-source', 'demo-sink']);
    expect(Object.keys(body['demo-sink']!).sort()).toEqual(['metrics', 'status']);
    expect(body['demo-sink']!.metrics).toEqual({
      name: 'demo-sink',
      type: 'sink',
      sampled_at: T0,
      tasks: [{ id: 0, totals: zeros }],
    });
  });

  test('an unknown expand value is 400 naming the three known ones', async () => {
    const response = await api(get('/connectors?expand=everything', { token: true }));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error_code: 400,
      message:
        'expand="everything" is not known; use expand=status, expand=info and/or expand=metrics',
    });
  });
});
