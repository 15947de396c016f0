import { describe, expect, test } from 'vitest';
import { loadPlatformEnv, loadTaskEnv } from '../../../lib/env/platform-env.js';

describe('the functions environment', () => {
  test('needs the state table and task function names, and defaults the region', () => {
    expect(loadPlatformEnv({ STATE_TABLE_NAME: 'state', TASK_FUNCTION_NAME: 'task' })).toEqual({
      STATE_TABLE_NAME: 'state',
      TASK_FUNCTION_NAME: 'task',
      AWS_REGION: 'us-east-1',
    });
  });

  test('names every missing or malformed variable', () => {
    expect(() => loadPlatformEnv({ DYNAMODB_ENDPOINT: 'not a url' })).toThrow(
      /STATE_TABLE_NAME.*TASK_FUNCTION_NAME.*DYNAMODB_ENDPOINT/,
    );
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
    expect(() => loadTaskEnv({ ...env, ROCKETMQ_ACCESS_KEY: 'ak' })).toThrow(
      /ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY go together/,
    );
  });
});
