import { describe, expect, test } from 'vitest';
import {
  loadApiEnv,
  loadPlatformEnv,
  loadTaskEnv,
  rocketMqEndpointOf,
} from '../../../lib/platform/env.js';

describe('the functions environment', () => {
  test('needs the state table and task function names, and defaults the region', () => {
    expect(loadPlatformEnv({ STATE_TABLE_NAME: 'state', TASK_FUNCTION_NAME: 'task' })).toEqual({
      STATE_TABLE_NAME: 'state',
      TASK_FUNCTION_NAME: 'task',
      AWS_REGION: 'us-east-1',
    });
  });

  test('names every missing or malformed variable', () => {
    const load = () => loadPlatformEnv({ DYNAMODB_ENDPOINT: 'not a url' });
    for (const name of ['STATE_TABLE_NAME', 'TASK_FUNCTION_NAME', 'DYNAMODB_ENDPOINT']) {
      expect(load).toThrow(name);
    }
  });
});

describe('the task function environment', () => {
  const base = { STATE_TABLE_NAME: 'state', TASK_FUNCTION_NAME: 'task' };

  test('needs the RocketMQ proxy as host:port, naming the variable', () => {
    expect(loadTaskEnv({ ...base, ROCKETMQ_ENDPOINT: '127.0.0.1:8081' }).ROCKETMQ_ENDPOINT).toBe(
      '127.0.0.1:8081',
    );
    expect(() => loadTaskEnv(base)).toThrow(/ROCKETMQ_ENDPOINT/);
    expect(() => loadTaskEnv({ ...base, ROCKETMQ_ENDPOINT: 'http://proxy:8081' })).toThrow(
      /ROCKETMQ_ENDPOINT: must be host:port/,
    );
  });

  test('takes RocketMQ credentials as a pair, or not at all', () => {
    const env = { ...base, ROCKETMQ_ENDPOINT: 'proxy:8081' };
    expect(
      loadTaskEnv({ ...env, ROCKETMQ_ACCESS_KEY: 'ak', ROCKETMQ_SECRET_KEY: 'sk' }),
    ).toMatchObject({ ROCKETMQ_ACCESS_KEY: 'ak', ROCKETMQ_SECRET_KEY: 'sk' });
    // serverless.yml sets both, empty when its parameters are not given: that means none.
    const unset = loadTaskEnv({ ...env, ROCKETMQ_ACCESS_KEY: '', ROCKETMQ_SECRET_KEY: '' });
    expect(rocketMqEndpointOf(unset).credentials).toBeUndefined();
    expect(() =>
      loadTaskEnv({ ...env, ROCKETMQ_ACCESS_KEY: 'ak', ROCKETMQ_SECRET_KEY: '' }),
    ).toThrow(/ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY go together/);
    expect(() => loadTaskEnv({ ...env, ROCKETMQ_ACCESS_KEY: 'ak' })).toThrow(
      /ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY go together/,
    );
  });
});

describe('the API function environment', () => {
  const base = {
    STATE_TABLE_NAME: 'state',
    COORDINATOR_FUNCTION_NAME: 'coordinator',
    TASK_FUNCTION_NAME: 'task',
    ROCKETMQ_ENDPOINT: 'proxy:8081',
  };

  test('needs a token unless the HTTP API checks IAM signatures', () => {
    expect(() => loadApiEnv(base)).toThrow(/CONNECT_API_TOKEN is required/);
    expect(loadApiEnv({ ...base, CONNECT_API_TOKEN: 't'.repeat(20) })).toMatchObject({
      CONNECT_API_AUTH: 'token',
      ROCKETMQ_CLUSTER: 'DefaultCluster',
    });
    expect(loadApiEnv({ ...base, CONNECT_API_AUTH: 'iam' }).CONNECT_API_AUTH).toBe('iam');
    expect(() => loadApiEnv({ ...base, CONNECT_API_AUTH: 'basic' })).toThrow(/CONNECT_API_AUTH/);
  });

  test('needs the task function, which checks configs against their systems', () => {
    const withoutTask: Record<string, string> = { ...base };
    delete withoutTask.TASK_FUNCTION_NAME;
    expect(() => loadApiEnv({ ...withoutTask, CONNECT_API_AUTH: 'iam' })).toThrow(
      /TASK_FUNCTION_NAME/,
    );
  });

  test('takes name servers for the admin calls, one or several, and an empty value as none', () => {
    const env = { ...base, CONNECT_API_TOKEN: 't'.repeat(20) };
    expect(loadApiEnv({ ...env, ROCKETMQ_NAMESRV: 'ns:9876' })).toMatchObject({
      ROCKETMQ_NAMESRV: 'ns:9876',
    });
    expect(loadApiEnv({ ...env, ROCKETMQ_NAMESRV: 'ns1:9876;ns2:9876' }).ROCKETMQ_NAMESRV).toBe(
      'ns1:9876;ns2:9876',
    );
    expect(loadApiEnv({ ...env, ROCKETMQ_NAMESRV: '' }).ROCKETMQ_NAMESRV).toBeUndefined();
    expect(() => loadApiEnv({ ...env, ROCKETMQ_NAMESRV: 'http://ns:9876' })).toThrow(
      /ROCKETMQ_NAMESRV: must be host:port/,
    );
  });
});
