import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { listeningPorts, loadStackSettings, repoRoot } from '../../../infra/local/settings.js';

describe('local stack settings', () => {
  test('default to the documented ports and a stack folder in the repository', () => {
    const settings = loadStackSettings({});
    expect(settings.ports).toEqual({
      namesrv: 9876,
      proxyGrpc: 8081,
      proxyRemoting: 8080,
      broker: 10911,
      dynamodb: 8000,
    });
    expect(settings.stackDir).toBe(path.join(repoRoot, '.stack'));
    expect(settings.javaBin).toBe('java');
    expect(settings.keepAfterTests).toBe(false);
  });

  test('take ports, folder and JAVA_HOME from the environment', () => {
    const settings = loadStackSettings({
      ROCKETMQ_PROXY_PORT: '18081',
      DYNAMODB_PORT: '18000',
      STACK_DIR: '/tmp/somewhere',
      JAVA_HOME: '/opt/jdk',
      STACK_KEEP: '1',
    });
    expect(settings.ports.proxyGrpc).toBe(18081);
    expect(settings.ports.dynamodb).toBe(18000);
    expect(settings.stackDir).toBe('/tmp/somewhere');
    expect(settings.javaBin).toBe('/opt/jdk/bin/java');
    expect(settings.keepAfterTests).toBe(true);
  });

  test('reject a port that is not a number, naming the variable and its value', () => {
    expect(() => loadStackSettings({ DYNAMODB_PORT: 'http' })).toThrow(/DYNAMODB_PORT="http"/);
  });

  test('reject a privileged or out-of-range port', () => {
    expect(() => loadStackSettings({ ROCKETMQ_NAMESRV_PORT: '80' })).toThrow(
      /ROCKETMQ_NAMESRV_PORT/,
    );
    expect(() => loadStackSettings({ ROCKETMQ_NAMESRV_PORT: '70000' })).toThrow(
      /ROCKETMQ_NAMESRV_PORT/,
    );
  });

  test('reject two services on one port, naming both variables', () => {
    expect(() => loadStackSettings({ DYNAMODB_PORT: '8081' })).toThrow(
      /DYNAMODB_PORT and ROCKETMQ_PROXY_PORT both use port 8081/,
    );
    // The broker also takes its port - 2 and + 1.
    expect(() => loadStackSettings({ DYNAMODB_PORT: '10909' })).toThrow(/port - 2/);
  });

  test("npm start's ports, token and DynamoDB Local's data", () => {
    const defaults = loadStackSettings({});
    expect(defaults.functions).toEqual({ apiPort: 8083, lambdaPort: 3002, apiToken: undefined });
    expect(defaults.dynamodbData).toBeUndefined();
    const chosen = loadStackSettings({
      API_PORT: '18083',
      LAMBDA_PORT: '13002',
      CONNECT_API_TOKEN: 'a-token-of-20-chars!',
      DYNAMODB_DATA: 'memory',
    });
    expect(chosen.functions).toEqual({
      apiPort: 18083,
      lambdaPort: 13002,
      apiToken: 'a-token-of-20-chars!',
    });
    expect(chosen.dynamodbData).toBe('memory');
  });

  test('reject a data place other than memory or disk, and a clash with the API', () => {
    expect(() => loadStackSettings({ DYNAMODB_DATA: 'file' })).toThrow(/DYNAMODB_DATA="file"/);
    expect(() => loadStackSettings({ API_PORT: '8000' })).toThrow(
      /API_PORT and DYNAMODB_PORT both use port 8000/,
    );
    expect(() => loadStackSettings({ LAMBDA_PORT: '8083' })).toThrow(
      /LAMBDA_PORT and API_PORT both use port 8083/,
    );
  });

  test('list every port the stack listens on', () => {
    const ports = listeningPorts(loadStackSettings({}).ports).map((p) => p.port);
    expect(ports.sort()).toEqual([10909, 10911, 10912, 8000, 8080, 8081, 9876].sort());
  });
});
