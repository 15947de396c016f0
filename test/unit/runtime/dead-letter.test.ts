import { describe, expect, test } from 'vitest';
import { NonRetriableError } from '../../../lib/api/errors.js';
import { deadLetterProperties } from '../../../lib/runtime/dead-letter.js';

describe('dead-letter context', () => {
  test('uses Kafka Connect property names and keeps where the record came from', () => {
    const error = new NonRetriableError('not JSON');
    const properties = deadLetterProperties({
      connector: 'orders-sink',
      taskId: 2,
      stage: 'VALUE_CONVERTER',
      className: 'org.apache.kafka.connect.json.JsonConverter',
      error,
      topic: 'orders',
      offset: '17',
    });
    expect(Object.fromEntries(properties)).toEqual({
      '__connect.errors.connector.name': 'orders-sink',
      '__connect.errors.task.id': '2',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': 'org.apache.kafka.connect.json.JsonConverter',
      '__connect.errors.exception.class.name': 'NonRetriableError',
      '__connect.errors.exception.message': 'not JSON',
      '__connect.errors.exception.stacktrace': error.stack?.replaceAll('\n', '\\n'),
      '__connect.errors.topic': 'orders',
      '__connect.errors.offset': '17',
    });
  });

  /** The properties of a record that failed `put` with this error. */
  const propertiesOf = (error: Error) =>
    deadLetterProperties({ connector: 'c', taskId: 0, stage: 'TASK_PUT', className: 'C', error });

  test('cuts a very long stack trace', () => {
    const error = new Error('deep');
    error.stack = 'x'.repeat(20_000);
    const trace = propertiesOf(error).get('__connect.errors.exception.stacktrace');
    expect(Buffer.byteLength(trace ?? '')).toBeLessThan(6_100);
    expect(trace?.endsWith('(truncated)')).toBe(true);
  });

  test('writes control characters, which the proxy refuses in properties, as escapes or spaces', () => {
    const properties = propertiesOf(new Error('line one\nline\ttwo\r\n\u0007bell'));
    expect(properties.get('__connect.errors.exception.message')).toBe(
      'line one\\nline\\ttwo\\n bell',
    );
    for (const value of properties.values()) {
      // eslint-disable-next-line no-control-regex
      expect(value).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
  });

  test('cuts a long trace of multi-byte characters by bytes, never inside a character', () => {
    const error = new Error('deep');
    error.stack = 'é'.repeat(10_000);
    const trace = propertiesOf(error).get('__connect.errors.exception.stacktrace');
    expect(trace).toMatch(/^é+\.\.\. \(truncated\)$/);
  });
});
