import { describe, expect, test } from 'vitest';
import { loadPlatformEnv } from '../../../lib/env/platform-env.js';

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
