import { describe, expect } from 'vitest';
import { z } from 'zod';
import type { SinkConnectorPlugin } from '../../lib/api/connector.js';
import { createRegistry } from '../../lib/api/registry.js';
import { ConfigValidationError } from '../../lib/config/errors.js';
import { envOnlyProviders } from '../../lib/config/provider-adapters.js';
import { ConnectorService } from '../../lib/management/connector-service.js';
import { ConnectorNameError } from '../../lib/management/errors.js';
import { inProcessSystemCheck } from '../../lib/runtime/system-check.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import type { ConnectorConfig } from '../../lib/api/connector-config.js';
import { test } from './fixtures.js';

const sinkPlugin: SinkConnectorPlugin = {
  type: 'sink',
  className: 'com.example.connect.JdbcSinkConnector',
  aliases: ['org.apache.rocketmq.connect.jdbc.sink.JdbcSinkConnector'],
  version: '1.0.0',
  configDef: [
    {
      name: 'connection.url',
      type: 'STRING',
      required: true,
      importance: 'HIGH',
      documentation: 'JDBC URL',
    },
    {
      name: 'batch.size',
      type: 'INT',
      required: false,
      default: '100',
      importance: 'LOW',
      documentation: 'rows per batch',
    },
  ],
  configSchema: z.object({
    'connection.url': z.string().startsWith('jdbc:', 'must start with jdbc:'),
    'batch.size': z.coerce.number().int().positive().optional(),
  }),
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => ({ ...config })),
  createTask() {
    throw new Error('not run in these tests');
  },
};

const good: ConnectorConfig = {
  'connector.class': 'JdbcSink',
  'tasks.max': '2',
  topics: 'orders',
  'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
};

/** [case, config change, the key the error must be on, what its message must say] */
const badConfigs: [string, Record<string, string | undefined>, string, RegExp][] = [
  ['tasks.max not a number', { 'tasks.max': 'two' }, 'tasks.max', /integer|number/i],
  ['slice.max.ms negative', { 'slice.max.ms': '-5' }, 'slice.max.ms', /./],
  ['errors.tolerance unknown', { 'errors.tolerance': 'some' }, 'errors.tolerance', /none|all/],
  [
    'connector.class missing',
    { 'connector.class': undefined },
    'connector.class',
    /required|missing/i,
  ],
  ['sink without topics', { topics: undefined }, 'topics', /topics/],
  ['unknown connector class', { 'connector.class': 'com.example.Nope' }, 'connector.class', /Nope/],
  ['unknown config provider', { 'connection.url': '${vault:db/url}' }, 'connection.url', /vault/],
  ['empty env reference', { 'connection.url': '${env:}' }, 'connection.url', /./],
  ['unclosed reference', { 'connection.url': '${ssm:/db/url' }, 'connection.url', /./],
  ['conflicting dialect keys', { 'max.tasks': '3' }, 'max.tasks', /tasks\.max/],
  ['conflicting topic keys', { 'connect.topicnames': 'payments' }, 'connect.topicnames', /topics/],
  ['transform without a type', { transforms: 'route' }, 'transforms.route.type', /./],
  ['plugin key invalid', { 'connection.url': 'postgres://x' }, 'connection.url', /jdbc:/],
  ['plugin key wrong type', { 'batch.size': 'lots' }, 'batch.size', /./],
];

function errorsOn(error: unknown, key: string): string[] {
  expect(error).toBeInstanceOf(ConfigValidationError);
  const result = (error as ConfigValidationError).result;
  return result.configs.find((c) => c.value.name === key)?.value.errors ?? [];
}

describe('creating connectors through the connector service', () => {
  test.for(badConfigs)(
    'refuses a config with %s, naming the key, and writes nothing',
    async ([, change, key, says], { dynamo, table }) => {
      const store = new DynamoStateStore(dynamo, table);
      const service = new ConnectorService({ store, registry: createRegistry([sinkPlugin]) });
      const config = Object.fromEntries(
        Object.entries({ ...good, ...change }).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      );
      const name = `bad-${key}`;
      const failure = await service.create(name, config).catch((error: unknown) => error);

      const errors = errorsOn(failure, key);
      expect(errors.length, `errors on ${key}: ${(failure as Error).message}`).toBeGreaterThan(0);
      expect(errors.join(' ')).toMatch(says);
      expect((failure as Error).message).toContain(key);
      const snapshot = await store.snapshot();
      expect(snapshot.connectors).toEqual([]);
      expect(snapshot.taskConfigs).toEqual([]);
    },
  );

  test('refuses blank, padded, dot, malformed or control-character names, or one that differs from the config, writing nothing', async ({
    dynamo,
    table,
  }) => {
    const store = new DynamoStateStore(dynamo, table);
    const service = new ConnectorService({ store, registry: createRegistry([sinkPlugin]) });
    await expect(service.create('  ', good)).rejects.toBeInstanceOf(ConnectorNameError);
    await expect(service.create('a', { ...good, name: 'b' })).rejects.toThrow(
      /name: the config says name="b"/,
    );
    await expect(service.create(' padded ', good)).rejects.toThrow(/whitespace/);
    await expect(service.create('..', good)).rejects.toThrow(/cannot be "\.\."/);
    await expect(service.create('a\ud800b', good)).rejects.toThrow(/lone surrogates/);
    await expect(service.create('tab\there', good)).rejects.toThrow(/control characters/);
    expect((await store.listConnectors()).items).toEqual([]);
    expect(await store.getConnector('  ')).toBeUndefined();
    expect(await store.getConnector('a')).toBeUndefined();
    expect(await store.getConnector('b')).toBeUndefined();
  });

  test('stores a good config with its name, by any alias of the class, and wakes the coordinator', async ({
    dynamo,
    table,
  }) => {
    const store = new DynamoStateStore(dynamo, table);
    const woken: string[] = [];
    const service = new ConnectorService({
      store,
      registry: createRegistry([sinkPlugin]),
      wake: (name) => {
        woken.push(name);
        return Promise.resolve();
      },
    });
    const config = {
      ...good,
      'connector.class': 'org.apache.rocketmq.connect.jdbc.sink.JdbcSinkConnector',
    };
    const record = await service.create('jdbc-orders', config, 'PAUSED');
    expect(record).toMatchObject({ name: 'jdbc-orders', targetState: 'PAUSED', version: 1 });
    expect((await store.getConnector('jdbc-orders'))?.config).toEqual({
      ...config,
      name: 'jdbc-orders',
    });
    expect(woken).toEqual(['jdbc-orders']);
  });

  test('a coordinator that cannot be woken does not turn a stored change into an error', async ({
    dynamo,
    table,
  }) => {
    const store = new DynamoStateStore(dynamo, table);
    const logged: string[] = [];
    const service = new ConnectorService({
      store,
      registry: createRegistry([sinkPlugin]),
      wake: () => Promise.reject(new Error('Lambda throttled')),
      log: (message) => logged.push(message),
    });
    await expect(service.create('wake-fails', good)).resolves.toMatchObject({ name: 'wake-fails' });
    expect(await store.getConnector('wake-fails')).toBeDefined();
    expect(logged).toEqual([
      expect.stringContaining('wake-fails: could not wake the coordinator (Lambda throttled)'),
    ]);
  });

  test('a config the system it names refuses is not stored, its problem on its key', async ({
    dynamo,
    table,
  }) => {
    // The plugin's checkSystem, run in process as the task function runs it: references
    // resolved (here from an environment), the hook's problems on their keys.
    const checking: SinkConnectorPlugin = {
      ...sinkPlugin,
      checkSystem: (config) =>
        Promise.resolve(
          config['connection.url']?.includes('/missing')
            ? [{ key: 'connection.url', message: 'database "missing" does not exist' }]
            : [],
        ),
    };
    const registry = createRegistry([checking]);
    const store = new DynamoStateStore(dynamo, table);
    const service = new ConnectorService({
      store,
      registry,
      systemCheck: inProcessSystemCheck(
        registry,
        envOnlyProviders({ DB_URL: 'jdbc:postgresql://db:5432/missing' }),
      ),
    });
    const config = { ...good, 'connection.url': '${env:DB_URL}' };

    const failure = await service.create('refused', config).catch((error: unknown) => error);
    expect(errorsOn(failure, 'connection.url')).toEqual(['database "missing" does not exist']);
    expect(await store.getConnector('refused')).toBeUndefined();
    await expect(service.create('accepted', good)).resolves.toMatchObject({ name: 'accepted' });
  });
});
