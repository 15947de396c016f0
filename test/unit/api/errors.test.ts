import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectError,
  NonRetriableError,
  PluginNotFoundError,
  RetriableError,
} from '../../../lib/api/errors.js';

describe('plugin API errors', () => {
  it('say whether a retry can help, and keep their name and cause', () => {
    const cause = new Error('socket closed');
    const retriable = new RetriableError('broker busy', { cause });
    expect(retriable).toBeInstanceOf(ConnectError);
    expect(retriable).toBeInstanceOf(Error);
    expect(retriable.retriable).toBe(true);
    expect(retriable.name).toBe('RetriableError');
    expect(retriable.cause).toBe(cause);
    expect(new NonRetriableError('poison').retriable).toBe(false);
  });

  it('name the config key at fault', () => {
    const error = new ConfigError('tasks.max', 'tasks.max must be at least 1');
    expect(error).toBeInstanceOf(NonRetriableError);
    expect([error.name, error.key, error.retriable]).toEqual(['ConfigError', 'tasks.max', false]);
  });

  it('name the plugin asked for and its close matches', () => {
    const error = new PluginNotFoundError('JsonConvertr', 'converter', [
      'org.apache.kafka.connect.json.JsonConverter',
    ]);
    expect(error.name).toBe('PluginNotFoundError');
    expect(error.message).toBe(
      'no converter plugin matches "JsonConvertr"; did you mean org.apache.kafka.connect.json.JsonConverter?',
    );
  });
});
