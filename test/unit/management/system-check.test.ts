import { describe, expect, test } from 'vitest';
import type { SinkConnectorPlugin } from '../../../lib/api/connector.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';
import { createRegistry } from '../../../lib/api/registry.js';
import { ConfigValidationError } from '../../../lib/config/errors.js';
import type { KeyProblem } from '../../../lib/config/validate-result.js';
import { ConnectorService, type SystemCheck } from '../../../lib/management/connector-service.js';
import type { TopicCatalog } from '../../../lib/management/topics.js';
import type { TopicType } from '../../../lib/rocketmq/topic-admin.js';
import type { ConnectorRecord, StateStore } from '../../../lib/state/types.js';
import { httpSink, jsonConverter, sinkConfig } from '../config/test-plugins.js';

// httpSink with the hook: the service asks its SystemCheck port about configs of this plugin.
const checkedSink: SinkConnectorPlugin = {
  ...httpSink,
  className: 'com.example.connect.CheckedSinkConnector',
  checkSystem: () => Promise.reject(new Error('the port runs it, never the service')),
};
const registry = createRegistry([httpSink, checkedSink, jsonConverter]);
const checked: ConnectorConfig = { ...sinkConfig, 'connector.class': 'CheckedSink' };
const refused: KeyProblem = { key: 'http.url', message: 'no endpoint answers at example.com' };

/** A SystemCheck that answers `problems`, remembering what it was asked. */
function fakeCheck(problems: KeyProblem[] = []) {
  const asked: ConnectorConfig[] = [];
  const check: SystemCheck = (config) => {
    asked.push(config);
    return Promise.resolve(problems);
  };
  return { check, asked };
}

/** A state store holding connectors in a map: what create, put and patch need. */
function memoryStore() {
  const connectors = new Map<string, ConnectorRecord>();
  const write = (name: string, config: ConnectorConfig, now: number): ConnectorRecord => {
    const version = (connectors.get(name)?.version ?? 0) + 1;
    const record: ConnectorRecord = {
      name,
      config,
      targetState: 'RUNNING',
      version,
      createdAt: now,
      updatedAt: now,
    };
    connectors.set(name, record);
    return record;
  };
  const store: Pick<StateStore, 'getConnector' | 'createConnector' | 'putConnectorConfig'> = {
    getConnector: (name) => Promise.resolve(connectors.get(name)),
    createConnector: (name, config, _state, now) => Promise.resolve(write(name, config, now)),
    putConnectorConfig: (name, config, now) => {
      const created = !connectors.has(name);
      return Promise.resolve({ record: write(name, config, now), created });
    },
  };
  // Any other call fails the test ("is not a function").
  return { store: store as StateStore, connectors };
}

/** A catalog where every topic is missing and can be created. */
function creatingCatalog() {
  const created: string[] = [];
  const catalog: TopicCatalog = {
    typeOf: () => Promise.resolve(undefined),
    create: (topic: string, _type: TopicType) => {
      created.push(topic);
      return Promise.resolve();
    },
  };
  return { catalog, created };
}

function service(systemCheck: SystemCheck, topics?: TopicCatalog) {
  const { store, connectors } = memoryStore();
  const value = new ConnectorService({
    store,
    registry,
    systemCheck,
    ...(topics ? { topics } : {}),
    log: () => undefined,
  });
  return { service: value, connectors };
}

function errorsOn(
  result: { configs: { value: { name: string; errors: string[] } }[] },
  key: string,
) {
  return result.configs.find((c) => c.value.name === key)?.value.errors ?? [];
}

describe('the connector service and the system a config names', () => {
  test('validate shows what the system check found on its key', async () => {
    const { check, asked } = fakeCheck([refused]);
    const result = await service(check).service.validate(checked);
    expect(errorsOn(result, 'http.url')).toEqual([refused.message]);
    expect(result.error_count).toBe(1);
    expect(asked).toEqual([checked]);
  });

  test('a problem on a key nobody defines is listed all the same', async () => {
    const problem = { key: 'table.name', message: 'no table "orders"' };
    const result = await service(fakeCheck([problem]).check).service.validate(checked);
    expect(errorsOn(result, 'table.name')).toEqual([problem.message]);
  });

  test.each([
    ['create', (s: ConnectorService) => s.create('http-out', checked)],
    ['put', (s: ConnectorService) => s.putConfig('http-out', checked)],
  ])(
    '%s is refused with a ConfigValidationError naming the key, and nothing is stored',
    async (_, change) => {
      const { service: s, connectors } = service(fakeCheck([refused]).check);
      const failure = await change(s).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigValidationError);
      const error = failure as ConfigValidationError;
      expect(error.httpStatus).toBe(400);
      expect(error.message).toContain(`http.url: ${refused.message}`);
      expect(errorsOn(error.result, 'http.url')).toEqual([refused.message]);
      expect(connectors.size).toBe(0);
    },
  );

  test('patch checks the merged config, and a refused one leaves the stored config as it was', async () => {
    let problems: KeyProblem[] = [];
    const asked: ConnectorConfig[] = [];
    const { service: s, connectors } = service((config) => {
      asked.push(config);
      return Promise.resolve(problems);
    });
    await s.create('http-out', checked);
    problems = [refused];
    await expect(
      s.patchConfig('http-out', { 'http.url': 'https://nowhere.example' }),
    ).rejects.toThrow(ConfigValidationError);
    expect(asked.at(-1)?.['http.url']).toBe('https://nowhere.example');
    expect(connectors.get('http-out')?.config['http.url']).toBe(checked['http.url']);
  });

  test('a config the check accepts is stored', async () => {
    const { service: s, connectors } = service(fakeCheck().check);
    await s.create('http-out', checked);
    expect(connectors.get('http-out')?.config).toEqual(checked);
  });

  test('no topic is created for a config its system refused', async () => {
    const { catalog, created } = creatingCatalog();
    await expect(
      service(fakeCheck([refused]).check, catalog).service.create('http-out', checked),
    ).rejects.toThrow(ConfigValidationError);
    expect(created).toEqual([]);

    await service(fakeCheck().check, catalog).service.create('http-out', checked);
    expect(created).toEqual(['orders']);
  });

  test('is not asked about a plugin without the hook, nor about a config that is invalid anyway', async () => {
    const { check, asked } = fakeCheck([refused]);
    const { service: s } = service(check);
    expect((await s.validate(sinkConfig)).error_count).toBe(0);
    const invalid = await s.validate({ ...checked, 'http.url': 'not a url' });
    expect(errorsOn(invalid, 'http.url')).not.toContain(refused.message);
    await expect(s.create('http-out', { ...checked, 'tasks.max': 'many' })).rejects.toThrow(
      /tasks\.max/,
    );
    expect(asked).toEqual([]);
  });
});
