import { randomInt } from 'node:crypto';
import { describe, expect, vi } from 'vitest';
import { taskConfigsFromRegistry } from '../../lib/coordinator/task-configs.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { startTestApi, type TestApi } from './api-server.js';
import { test, uniqueName } from './fixtures.js';

/**
 * The demand: a connector created with a secret value shows it in no response (body or
 * header) and no log line, on every route that can return or echo a config.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const secretValue = () => Array.from({ length: 32 }, () => ALPHABET[randomInt(62)]).join('');

/** One exchange, as the caller saw it. */
interface Seen {
  readonly what: string;
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

interface Setup {
  readonly api: TestApi;
  readonly store: DynamoStateStore;
  readonly topic: string;
  readonly secrets: { readonly db: string; readonly apiKey: string; readonly jaas: string };
  readonly reference: string;
  readonly source: Record<string, string>;
  readonly sink: Record<string, string>;
  readonly names: { readonly source: string; readonly sink: string };
  /** Every response of the file, for the final check. */
  readonly seen: Seen[];
  /** Everything written to console.error / warn / info / debug while the file ran. */
  readonly console: () => string[];
  call(what: string, method: string, path: string, body?: unknown): Promise<Seen>;
}

const it = test.extend(
  'setup',
  { scope: 'file' },
  async ({ stack, table, dynamo, topics }, { onCleanup }): Promise<Setup> => {
    const spies = (['error', 'warn', 'info', 'debug'] as const).map((level) =>
      vi.spyOn(console, level),
    );
    const opened: TestApi[] = [];
    // One cleanup per fixture: the API first (it restores console.log), then the spies.
    onCleanup(async () => {
      for (const api of opened) await api.close();
      spies.forEach((spy) => spy.mockRestore());
    });
    const topic = await topics.topic('NORMAL');
    const started = await startTestApi(stack, table);
    opened.push(started);
    const secrets = { db: secretValue(), apiKey: secretValue(), jaas: secretValue() };
    const reference = '${env:CONNECT_TEST_DB_PASSWORD}';
    const secretKeys = {
      'db.password': secrets.db,
      'api.key': secrets.apiKey,
      'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="${secrets.jaas}";`,
      // Says where the secret lives, not what it is: shown as written.
      'other.password': reference,
    };
    const seen: Seen[] = [];
    return {
      api: started,
      store: new DynamoStateStore(dynamo, table),
      topic,
      secrets,
      reference,
      source: {
        'connector.class': 'FileStreamSource',
        file: '/tmp/api-secrets-source.txt',
        topic,
        ...secretKeys,
      },
      sink: {
        'connector.class': 'FileStreamSink',
        file: '/tmp/api-secrets-sink.txt',
        topics: topic,
        ...secretKeys,
      },
      names: { source: uniqueName('secret-source'), sink: uniqueName('secret-sink') },
      seen,
      console: () =>
        spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' '))),
      async call(what, method, path, body) {
        const response = await started.call(method, path, body === undefined ? {} : { body });
        const entry: Seen = {
          what,
          status: response.status,
          headers: JSON.stringify([...response.headers]),
          body: await response.text(),
        };
        seen.push(entry);
        return entry;
      },
    };
  },
);

/** Where any of the secrets, or a 10-character piece of one, shows in `text`. */
function leaks(text: string, secrets: Setup['secrets']): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (let i = 0; i + 10 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 10))) {
        found.push(`${name}[${i}..${i + 10}]`);
        break;
      }
    }
  }
  return found;
}

function expectNoLeak(seen: Seen, secrets: Setup['secrets']) {
  expect.soft(leaks(seen.body, secrets), `${seen.what}: body`).toEqual([]);
  expect.soft(leaks(seen.headers, secrets), `${seen.what}: headers`).toEqual([]);
}

/** A config as the API returns it: the secrets read "[hidden]", the reference as written. */
function expectMasked(config: Record<string, string> | undefined, reference: string) {
  expect(config).toMatchObject({
    'db.password': '[hidden]',
    'api.key': '[hidden]',
    'sasl.jaas.config': '[hidden]',
    'other.password': reference,
  });
}

const json = <T>(seen: Seen): T => JSON.parse(seen.body) as T;
type Info = { name: string; config: Record<string, string> };

describe('a connector created with secret values', () => {
  it('is created with the secrets stored, and the create response shows [hidden]', async ({
    setup,
  }) => {
    const { names, source, sink, store, secrets, reference } = setup;
    for (const [name, config] of [
      [names.source, source],
      [names.sink, sink],
    ] as const) {
      const created = await setup.call('create', 'POST', '/connectors', { name, config });
      expect(created.status).toBe(201);
      expectNoLeak(created, secrets);
      expectMasked(json<Info>(created).config, reference);
      // Not vacuous: the real values are what the state table holds.
      const stored = await store.getConnector(name);
      expect(stored?.config['db.password']).toBe(secrets.db);
      // Task configs as the coordinator would write them, so /tasks has configs to show.
      const tasks = taskConfigsFromRegistry(createBuiltinRegistry())(stored!);
      if (tasks instanceof Error) throw tasks;
      await store.writeTaskConfigs(stored!, tasks, -1, Date.now());
    }
  });

  it('every read route answers without the secrets, configs reading [hidden]', async ({
    setup,
  }) => {
    const { names, secrets, reference } = setup;
    const reads: [string, string][] = [
      ['GET /', '/'],
      ['GET /connectors', '/connectors'],
      ['GET /connectors?expand=status', '/connectors?expand=status'],
      ['GET /connectors?expand=info', '/connectors?expand=info'],
      ['GET /connectors?expand=status&expand=info', '/connectors?expand=status&expand=info'],
      ['GET /connectors/list', '/connectors/list'],
      ['GET /metrics', '/metrics'],
      ['GET /connector-plugins', '/connector-plugins'],
      ['GET /plugin/list', '/plugin/list'],
    ];
    for (const name of [names.source, names.sink]) {
      const n = encodeURIComponent(name);
      reads.push(
        [`GET /connectors/${name}`, `/connectors/${n}`],
        [`GET /connectors/${name}/config`, `/connectors/${n}/config`],
        [`GET /connectors/${name}/status`, `/connectors/${n}/status`],
        [`GET /connectors/${name}/tasks`, `/connectors/${n}/tasks`],
        [`GET /connectors/${name}/tasks/0/status`, `/connectors/${n}/tasks/0/status`],
        [`GET /connectors/${name}/offsets`, `/connectors/${n}/offsets`],
      );
    }
    for (const [what, path] of reads) {
      const seen = await setup.call(what, 'GET', path);
      expect(seen.status, what).toBe(200);
      expectNoLeak(seen, secrets);
    }
    const byWhat = (what: string) => setup.seen.findLast((s) => s.what === what)!;
    for (const name of [names.source, names.sink]) {
      expectMasked(json<Info>(byWhat(`GET /connectors/${name}`)).config, reference);
      expectMasked(
        json<Record<string, string>>(byWhat(`GET /connectors/${name}/config`)),
        reference,
      );
      const tasks = json<{ config: Record<string, string> }[]>(
        byWhat(`GET /connectors/${name}/tasks`),
      );
      expect(tasks).toHaveLength(1);
      expectMasked(tasks[0]?.config, reference);
      const expanded = json<Record<string, { info: Info }>>(byWhat('GET /connectors?expand=info'));
      expectMasked(expanded[name]?.info.config, reference);
    }
  });

  it('the update and validate routes answer without the secrets', async ({ setup }) => {
    const { names, source, sink, secrets, reference } = setup;
    const s = encodeURIComponent(names.source);
    const k = encodeURIComponent(names.sink);
    const writes: [string, string, string, unknown, number][] = [
      ['PUT config', 'PUT', `/connectors/${s}/config`, { ...source, 'batch.size': '100' }, 200],
      ['RocketMQ POST /connectors/{name}', 'POST', `/connectors/${k}`, sink, 200],
      ['PATCH config', 'PATCH', `/connectors/${s}/config`, { 'db.password': secrets.db }, 200],
      [
        'validate',
        'PUT',
        '/connector-plugins/FileStreamSource/config/validate',
        { name: 'v', ...source },
        200,
      ],
      [
        'validate, invalid',
        'PUT',
        '/connector-plugins/FileStreamSink/config/validate',
        { name: 'v', ...sink, 'tasks.max': 'x' },
        200,
      ],
      ['restart with tasks', 'POST', `/connectors/${s}/restart?includeTasks=true`, undefined, 202],
    ];
    for (const [what, method, path, body, status] of writes) {
      const seen = await setup.call(what, method, path, body);
      expect(seen.status, `${what}: ${seen.body.slice(0, 300)}`).toBe(status);
      expectNoLeak(seen, secrets);
    }
    const byWhat = (what: string) => setup.seen.findLast((x) => x.what === what)!;
    expectMasked(json<Info>(byWhat('PUT config')).config, reference);
    expectMasked(json<Info>(byWhat('PATCH config')).config, reference);
    expectMasked(json<Info>(byWhat('RocketMQ POST /connectors/{name}')).config, reference);
    for (const what of ['validate', 'validate, invalid']) {
      const infos = json<{ configs: { value: { name: string; value: string | null } }[] }>(
        byWhat(what),
      );
      const values = Object.fromEntries(infos.configs.map((c) => [c.value.name, c.value.value]));
      expectMasked(values as Record<string, string>, reference);
    }
  });

  it('requests refused for holding a secret never echo it', async ({ setup }) => {
    const { secrets, source, names } = setup;
    const refused: [string, string, string, string | object, number][] = [
      [
        'invalid config',
        'POST',
        '/connectors',
        { name: 'bad', config: { ...source, 'tasks.max': 'x' } },
        400,
      ],
      // A malformed value of a secret key is reported without quoting it.
      [
        'malformed reference in a secret key',
        'POST',
        '/connectors',
        { name: 'bad', config: { ...source, 'db.password': `\${vault:${secrets.db}}` } },
        400,
      ],
      [
        'unclosed reference in a secret key',
        'POST',
        '/connectors',
        { name: 'bad', config: { ...source, 'api.key': `\${env:${secrets.apiKey}` } },
        400,
      ],
      [
        'a secret of the wrong type',
        'POST',
        '/connectors',
        { name: 'bad', config: { ...source, 'db.password': { value: secrets.db } } },
        400,
      ],
      ['a name that disagrees', 'PUT', '/connectors/bad/config', { ...source, name: 'other' }, 400],
      ['an existing name', 'POST', '/connectors', { name: names.source, config: source }, 409],
      // V8's JSON error quotes the text around the bad token: an unquoted secret would show.
      [
        'the secret unquoted (bad JSON)',
        'POST',
        '/connectors',
        `{"name":"bad","config":{"db.password": ${secrets.db}}}`,
        400,
      ],
      [
        'the secret unquoted, at the start',
        'PUT',
        '/connectors/bad/config',
        `${secrets.apiKey}`,
        400,
      ],
      [
        'a trailing comma after the secret',
        'PATCH',
        `/connectors/${encodeURIComponent(names.source)}/config`,
        `{"api.key":"${secrets.apiKey}",}`,
        400,
      ],
      [
        'a bad literal after the secret',
        'POST',
        '/connectors',
        `{"name":"bad","config":{"a":[tru,"${secrets.jaas}"]}}`,
        400,
      ],
      [
        'validate, class mismatch',
        'PUT',
        '/connector-plugins/FileStreamSink/config/validate',
        source,
        400,
      ],
      [
        'a body that is too large',
        'PUT',
        '/connectors/bad/config',
        { ...source, pad: 'x'.repeat(300_000) },
        413,
      ],
      ['a body that is not JSON', 'POST', '/connectors', `db.password=${secrets.db}`, 400],
    ];
    for (const [what, method, path, body, status] of refused) {
      const seen = await setup.call(what, method, path, body);
      expect(seen.status, `${what}: ${seen.body.slice(0, 300)}`).toBe(status);
      expect(json<{ error_code: number }>(seen).error_code).toBe(status);
      expectNoLeak(seen, secrets);
    }
    expect(await setup.store.getConnector('bad')).toBeUndefined();
  });

  it('deleting answers without them; no response, log line or console output held them', async ({
    setup,
  }) => {
    const { names, secrets, api } = setup;
    const deleted = await setup.call(
      'DELETE',
      'DELETE',
      `/connectors/${encodeURIComponent(names.sink)}`,
    );
    expect(deleted.status).toBe(204);
    expect(setup.seen.length).toBeGreaterThan(40);
    for (const seen of setup.seen) expectNoLeak(seen, secrets);
    expect(api.logs.length).toBeGreaterThanOrEqual(setup.seen.length);
    expect(api.logs.flatMap((line) => leaks(line, secrets))).toEqual([]);
    expect(setup.console().flatMap((line) => leaks(line, secrets))).toEqual([]);
    // The wake-ups the API sent carry no config either.
    expect(leaks(JSON.stringify(api.invokes), secrets)).toEqual([]);
  });
});
