import { describe, expect } from 'vitest';
import { connectorHandlers, connectorRoutes } from '../../lib/http/connector-routes.js';
import { consoleServer } from '../../lib/http/console-routes.js';
import { pluginRoutes } from '../../lib/http/plugin-routes.js';
import { rocketMqRoutes } from '../../lib/http/rocketmq-routes.js';
import { Views } from '../../lib/http/views.js';
import type { ConnectorService } from '../../lib/management/connector-service.js';
import { taskConfigsFromRegistry } from '../../lib/coordinator/task-configs.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import type { StateSnapshot } from '../../lib/state/types.js';
import type { OffsetEntry } from '../../lib/api/source-offsets.js';
import { startTestApi, type TestApi } from './api-server.js';
import { test } from './fixtures.js';

/**
 * The demand: every route without a token answers 401. Also: wrong or non-Bearer
 * credentials 401, the read-only token 403 on every write route (changing nothing) and 200 on
 * every read route, /health open, and 404/405 in Kafka Connect's error shape.
 */

const SOURCE = 'auth-source';
const SINK = 'auth-sink';

interface RouteCase {
  /** The route's pattern, as lib/http declares it. */
  readonly route: string;
  readonly method: string;
  /** A real path of it: the connectors exist, task 0 has a config. */
  readonly path: string;
  readonly access: 'public' | 'read' | 'write';
  /** A body that would change something if the request got through. */
  readonly body?: unknown;
}

function routeCases(topic: string): RouteCase[] {
  const source = {
    'connector.class': 'FileStreamSource',
    file: '/tmp/api-auth-source.txt',
    topic,
  };
  const s = `/connectors/${SOURCE}`;
  const read = (route: string, path: string, body?: unknown): RouteCase => ({
    route,
    method: route.split(' ')[0]!,
    path,
    access: 'read',
    ...(body === undefined ? {} : { body }),
  });
  const write = (route: string, path: string, body?: unknown): RouteCase => ({
    ...read(route, path, body),
    access: 'write',
  });
  return [
    { route: 'GET /health', method: 'GET', path: '/health', access: 'public' },
    // The web console: its page and files are public (the page asks the user for a token).
    { route: 'GET /console', method: 'GET', path: '/console', access: 'public' },
    // (Its files' names hold a hash: the test of public routes reads them from the page.)
    {
      route: 'GET /console/assets/:file',
      method: 'GET',
      path: '/console/assets/index.js',
      access: 'public',
    },
    // Without text/html in Accept (fetch sends */*), / is Kafka Connect's root.
    read('GET /', '/'),
    read('GET /metrics', '/metrics'),
    read('GET /connectors', '/connectors?expand=status&expand=info&expand=metrics'),
    read('GET /connectors/:name', s),
    read('GET /connectors/:name/config', `${s}/config`),
    read('GET /connectors/:name/status', `${s}/status`),
    read('GET /connectors/:name/tasks', `${s}/tasks`),
    read('GET /connectors/:name/tasks/:id/status', `${s}/tasks/0/status`),
    read('GET /connectors/:name/metrics', `${s}/metrics`),
    read('GET /connectors/:name/offsets', `${s}/offsets`),
    read('GET /connector-plugins', '/connector-plugins'),
    read('GET /connector-plugins/:plugin/config', '/connector-plugins/FileStreamSource/config'),
    // Validating changes nothing: a dashboard with the read token may check a config.
    read(
      'PUT /connector-plugins/:plugin/config/validate',
      '/connector-plugins/FileStreamSource/config/validate',
      { name: 'v', ...source },
    ),
    read('GET /connectors/list', '/connectors/list'),
    read('GET /plugin/list', '/plugin/list'),
    write('POST /connectors', '/connectors', { name: 'auth-new', config: source }),
    write('DELETE /connectors/:name', s),
    write('PUT /connectors/:name/config', `${s}/config`, { ...source, 'batch.size': '7' }),
    write('PATCH /connectors/:name/config', `${s}/config`, { 'batch.size': '8' }),
    write('POST /connectors/:name/restart', `${s}/restart?includeTasks=true`),
    write('POST /connectors/:name/tasks/:id/restart', `${s}/tasks/0/restart`),
    write('PUT /connectors/:name/pause', `${s}/pause`),
    write('PUT /connectors/:name/resume', `${s}/resume`),
    write('PUT /connectors/:name/stop', `${s}/stop`),
    write('PATCH /connectors/:name/offsets', `${s}/offsets`, {
      offsets: [{ partition: { filename: '/tmp/a' }, offset: { position: 1 } }],
    }),
    write('DELETE /connectors/:name/offsets', `${s}/offsets`),
    // It writes nothing, but it runs the connector's code (a source task polls).
    write('POST /connectors/:name/preview', `${s}/preview`, { limit: 1, timeoutMs: 1_000 }),
    // RocketMQ Connect's aliases; its GETs change state, so they are writes.
    write('POST /connectors/:name', s, { ...source, 'batch.size': '9' }),
    write('GET /connectors/:name/stop', `${s}/stop`),
    write('GET /connectors/:name/pause', `${s}/pause`),
    write('GET /connectors/:name/resume', `${s}/resume`),
  ];
}

interface Setup {
  readonly api: TestApi;
  readonly store: DynamoStateStore;
  readonly routes: readonly RouteCase[];
  readonly before: { snapshot: StateSnapshot; offsets: OffsetEntry[]; invokes: number };
}

const it = test.extend(
  'setup',
  { scope: 'file' },
  async ({ stack, table, dynamo, topics }, { onCleanup }): Promise<Setup> => {
    const topic = await topics.topic('NORMAL');
    const api = await startTestApi(stack, table);
    onCleanup(() => api.close());
    const store = new DynamoStateStore(dynamo, table);
    const source = {
      'connector.class': 'FileStreamSource',
      file: '/tmp/api-auth-source.txt',
      topic,
    };
    const sink = {
      'connector.class': 'FileStreamSink',
      file: '/tmp/api-auth-sink.txt',
      topics: topic,
    };
    const made = [
      await api.call('POST', '/connectors', {
        body: { name: SOURCE, config: source, initial_state: 'STOPPED' },
      }),
      await api.call('POST', '/connectors', { body: { name: SINK, config: sink } }),
      await api.call('PATCH', `/connectors/${SOURCE}/offsets`, {
        body: { offsets: [{ partition: { filename: '/tmp/a' }, offset: { position: 42 } }] },
      }),
    ];
    expect(made.map((r) => r.status)).toEqual([201, 201, 200]);
    // Task configs, as the coordinator writes them, so that task routes have a task 0.
    const record = (await store.getConnector(SOURCE))!;
    const tasks = taskConfigsFromRegistry(createBuiltinRegistry())(record);
    if (tasks instanceof Error) throw tasks;
    await store.writeTaskConfigs(record, tasks, -1, Date.now());
    return {
      api,
      store,
      routes: routeCases(topic),
      before: {
        snapshot: await store.snapshot(),
        offsets: await store.readOffsets(SOURCE),
        invokes: api.invokes.length,
      },
    };
  },
);

/** Kafka Connect's error body, with the status as error_code. */
async function expectError(response: Response, status: number, what: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${what}: ${text}`).toBe(status);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
  const body = JSON.parse(text) as unknown;
  expect(body, what).toEqual({ error_code: status, message: expect.any(String) });
}

describe('authentication and authorization of every route', () => {
  it('the list holds every route and alias the API defines', ({ setup }) => {
    // The routes of lib/http, built with stand-ins that are never called.
    const service = {} as ConnectorService;
    const registry = createBuiltinRegistry();
    const views = new Views(registry);
    const handlers = connectorHandlers(service, views);
    const defined = [
      ...connectorRoutes(service, views, handlers),
      ...pluginRoutes(service, registry),
      ...rocketMqRoutes(handlers, registry),
      ...consoleServer(() => Promise.reject(new Error('never loaded'))).routes,
    ].map((r) => `${r.method} ${r.pattern}`);
    // createApi defines these three itself.
    defined.push('GET /', 'GET /health', 'GET /metrics');
    expect(setup.routes.map((r) => r.route).sort()).toEqual([...new Set(defined)].sort());
  });

  it('without an Authorization header every route but /health answers 401 with a Bearer challenge', async ({
    setup,
  }) => {
    for (const r of setup.routes.filter((x) => x.access !== 'public')) {
      const what = `${r.method} ${r.path}`;
      const response = await setup.api.call(r.method, r.path, {
        token: null,
        ...(r.body === undefined ? {} : { body: r.body }),
      });
      expect(response.headers.get('www-authenticate'), what).toMatch(/^Bearer /);
      await expectError(response, 401, what);
    }
  });

  it('a wrong token, a malformed Bearer header or other schemes answer 401', async ({ setup }) => {
    const { api } = setup;
    const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
    const headers = [
      'Bearer not-the-token',
      `Bearer ${api.token.slice(0, -1)}`,
      `Bearer ${api.token}x`,
      `Bearer ${api.token} ${api.token}`,
      'Bearer',
      'Bearer    ',
      basic(`admin:${api.token}`),
      basic(`:${api.token}`),
      `Basic ${api.token}`,
      `Token ${api.token}`,
      `Digest username="admin", response="${api.token}"`,
      api.token,
      '   ',
    ];
    for (const r of setup.routes.filter((x) => x.access !== 'public')) {
      for (const authorization of headers) {
        const what = `${r.method} ${r.path} with ${JSON.stringify(authorization.slice(0, 20))}`;
        const response = await api.call(r.method, r.path, {
          token: null,
          headers: { authorization },
          ...(r.body === undefined ? {} : { body: r.body }),
        });
        expect(response.headers.get('www-authenticate'), what).toMatch(/^Bearer /);
        await expectError(response, 401, what);
      }
    }
  });

  it('the read-only token answers 403 on every write route', async ({ setup }) => {
    for (const r of setup.routes.filter((x) => x.access === 'write')) {
      const what = `${r.method} ${r.path}`;
      const response = await setup.api.call(r.method, r.path, {
        token: setup.api.readToken,
        ...(r.body === undefined ? {} : { body: r.body }),
      });
      await expectError(response, 403, what);
    }
  });

  it('the read-only token answers 200 on every read route', async ({ setup }) => {
    for (const r of setup.routes.filter((x) => x.access === 'read')) {
      const response = await setup.api.call(r.method, r.path, {
        token: setup.api.readToken,
        ...(r.body === undefined ? {} : { body: r.body }),
      });
      const text = await response.text();
      expect(response.status, `${r.method} ${r.path}: ${text.slice(0, 300)}`).toBe(200);
    }
  });

  it('/health answers 200 healthy without a token, and with a wrong one', async ({ setup }) => {
    for (const options of [{ token: null }, { token: 'not-the-token' }, {}]) {
      const response = await setup.api.call('GET', '/health', options);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'healthy' });
    }
  });

  it('the console page and its files answer 200 without a token, and with a wrong one', async ({
    setup,
  }) => {
    const page = await (await setup.api.call('GET', '/console', { token: null })).text();
    const files = [...page.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(files.length).toBeGreaterThan(0);
    const browser = { accept: 'text/html,*/*;q=0.8' };
    for (const path of ['/console', '/console/', ...files]) {
      for (const token of [null, 'not-the-token']) {
        const response = await setup.api.call('GET', path, { token });
        expect(response.status, `${path} with ${token}`).toBe(200);
      }
    }
    for (const token of [null, 'not-the-token']) {
      const response = await setup.api.call('GET', '/', { token, headers: browser });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(page);
    }
  });

  it('an unknown path answers 404 and a wrong method 405 with Allow, as {error_code, message}', async ({
    setup,
  }) => {
    const { api } = setup;
    for (const path of ['/nothing', '/connectors/a/b/c/d', `/connectors/${SOURCE}/tasks/0/x`]) {
      for (const token of [undefined, null]) {
        await expectError(await api.call('GET', path, token === null ? { token } : {}), 404, path);
      }
    }
    const wrongMethods: [string, string, string][] = [
      ['DELETE', '/connectors', 'GET, POST'],
      ['POST', '/health', 'GET'],
      ['PUT', `/connectors/${SOURCE}/status`, 'GET'],
      ['GET', `/connectors/${SOURCE}/restart`, 'POST'],
      ['PATCH', `/connectors/${SOURCE}`, 'DELETE, GET, POST'],
      ['POST', `/connectors/${SOURCE}/offsets`, 'DELETE, GET, PATCH'],
      ['GET', '/connector-plugins/FileStreamSource/config/validate', 'PUT'],
      ['OPTIONS', '/connectors', 'GET, POST'],
    ];
    for (const [method, path, allow] of wrongMethods) {
      for (const token of [undefined, null]) {
        const response = await api.call(method, path, token === null ? { token } : {});
        expect(response.headers.get('allow'), `${method} ${path}`).toBe(allow);
        await expectError(response, 405, `${method} ${path}`);
      }
    }
  });

  it('no refused request changed anything', async ({ setup }) => {
    const { store, before, api } = setup;
    const after = await store.snapshot();
    expect(after).toEqual(before.snapshot);
    expect(await store.readOffsets(SOURCE)).toEqual(before.offsets);
    expect(api.invokes.length).toBe(before.invokes);
    expect(after.connectors.map((c) => c.name).sort()).toEqual([SINK, SOURCE]);
  });
});
