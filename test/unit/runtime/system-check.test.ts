import { describe, expect, test } from 'vitest';
import type { ConfigProblem, SinkConnectorPlugin } from '../../../lib/api/connector.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';
import { createRegistry } from '../../../lib/api/registry.js';
import { envOnlyProviders } from '../../../lib/config/provider-adapters.js';
import { checkConnectorSystem, inProcessSystemCheck } from '../../../lib/runtime/system-check.js';
import { httpSink, jsonConverter } from '../config/test-plugins.js';

const PASSWORD = 's3cret-pa55word';

/** httpSink with a checkSystem hook that records what it got and does what `run` says. */
function pluginChecking(
  run: (config: ConnectorConfig, signal: AbortSignal) => Promise<readonly ConfigProblem[]>,
) {
  const calls: { config: ConnectorConfig; signal: AbortSignal }[] = [];
  const plugin: SinkConnectorPlugin = {
    ...httpSink,
    checkSystem: (config, signal) => {
      calls.push({ config, signal });
      return run(config, signal);
    },
  };
  return { registry: createRegistry([plugin, jsonConverter]), calls };
}

const providers = envOnlyProviders({ HOOK_URL: 'https://db.internal/hook', BEARER: PASSWORD });
const config: ConnectorConfig = {
  name: 'http-out',
  'connector.class': 'com.example.connect.HttpSinkConnector',
  topics: 'orders',
  'http.url': '${env:HOOK_URL}',
  bearer: '${env:BEARER}',
};
const signal = new AbortController().signal;

describe('checking a config against the system it names', () => {
  test('a plugin without the hook has nothing to check', async () => {
    const registry = createRegistry([httpSink, jsonConverter]);
    expect(await checkConnectorSystem(config, registry, providers, signal)).toEqual([]);
  });

  test('the hook gets the config with its references resolved, and its problems land on their keys', async () => {
    const { registry, calls } = pluginChecking(() =>
      Promise.resolve([{ key: 'http.url', message: 'no table "orders" at db.internal' }]),
    );
    const problems = await checkConnectorSystem(config, registry, providers, signal);
    expect(problems).toEqual([{ key: 'http.url', message: 'no table "orders" at db.internal' }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.config).toMatchObject({
      'http.url': 'https://db.internal/hook',
      bearer: PASSWORD,
    });
    expect(calls[0]?.signal.aborted).toBe(false);
  });

  test('a reference that cannot be resolved is a problem on its key, each one, and the hook is not asked', async () => {
    const { registry, calls } = pluginChecking(() => Promise.resolve([]));
    const problems = await checkConnectorSystem(
      { ...config, 'http.url': '${env:NO_SUCH_URL}', bearer: '${ssm:/connect/bearer}' },
      registry,
      providers,
      signal,
    );
    expect(problems.map((p) => p.key).sort()).toEqual(['bearer', 'http.url']);
    expect(problems.find((p) => p.key === 'http.url')?.message).toMatch(
      /\$\{env:NO_SUCH_URL\}.*"NO_SUCH_URL" is not set/,
    );
    expect(problems.find((p) => p.key === 'bearer')?.message).toContain('${ssm:/connect/bearer}');
    expect(calls).toEqual([]);
  });

  test('a hook that throws is one problem on connector.class saying why, without the secret', async () => {
    const { registry } = pluginChecking(() =>
      Promise.reject(
        new Error(
          `password authentication failed for "${PASSWORD}" at postgres://app:${PASSWORD}@db.internal/orders`,
        ),
      ),
    );
    const problems = await checkConnectorSystem(config, registry, providers, signal);
    expect(problems).toEqual([
      {
        key: 'connector.class',
        message: expect.stringMatching(/failed: password authentication failed/),
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain(PASSWORD);
    expect(problems[0]?.message).toContain('[hidden]');
  });

  test("a password in a URL a driver quotes is hidden, even where the config did not say it's secret", async () => {
    const { registry } = pluginChecking(() =>
      Promise.reject(new Error('getaddrinfo ENOTFOUND for mysql://app:hunter2@db.example:3306')),
    );
    const [problem] = await checkConnectorSystem(
      { ...config, bearer: 'x'.repeat(12) },
      registry,
      providers,
      signal,
    );
    expect(problem?.message).toContain('mysql://app:[hidden]@db.example:3306');
    expect(problem?.message).not.toContain('hunter2');
  });

  test("the plugin's own problems never show a secret either", async () => {
    const { registry } = pluginChecking(() =>
      Promise.resolve([{ key: 'bearer', message: `token ${PASSWORD} was refused` }]),
    );
    expect(await checkConnectorSystem(config, registry, providers, signal)).toEqual([
      { key: 'bearer', message: 'token [hidden] was refused' },
    ]);
  });

  test('a hook that does not finish in time is a problem on connector.class, and its signal aborts', async () => {
    const { registry, calls } = pluginChecking(() => new Promise(() => undefined));
    const problems = await checkConnectorSystem(config, registry, providers, signal, {
      timeoutMs: 20,
    });
    expect(problems).toEqual([
      {
        key: 'connector.class',
        message: expect.stringMatching(/did not finish within 0.02 s: is the system reachable/),
      },
    ]);
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  test('a check cut short by its caller says so', async () => {
    const { registry } = pluginChecking(() => new Promise(() => undefined));
    const problems = await checkConnectorSystem(config, registry, providers, AbortSignal.abort());
    expect(problems).toEqual([
      { key: 'connector.class', message: expect.stringMatching(/was cut short/) },
    ]);
  });

  test('a class the task function does not know is a problem on connector.class', async () => {
    const registry = createRegistry([httpSink, jsonConverter]);
    const [problem] = await checkConnectorSystem(
      { ...config, 'connector.class': 'com.example.Nope' },
      registry,
      providers,
      signal,
    );
    expect(problem).toEqual({
      key: 'connector.class',
      message: expect.stringMatching(
        /in the task function, no connector plugin matches "com.example.Nope"/,
      ),
    });
  });

  test('the in-process adapter is the same check, for a ConnectorService without Lambda', async () => {
    const { registry, calls } = pluginChecking(() => Promise.resolve([]));
    expect(await inProcessSystemCheck(registry, providers)(config)).toEqual([]);
    expect(calls[0]?.config['bearer']).toBe(PASSWORD);
  });
});
