import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../../lib/api/schema-builder.js';
import { Schemas } from '../../../../lib/api/schema.js';
import { SetNull } from '../../../../lib/transforms/rocketmq/set-null.js';
import { configured, record } from './records.js';

describe('SetNull$Key / $Value', () => {
  test("RocketMQ Connect's example: the key and its schema become null", () => {
    const input = record({ keySchema: Schemas.STRING, key: 'key', value: '' });
    const out = configured(new SetNull('key'), {}).apply(input);
    expect(out?.key).toBeNull();
    expect(out?.keySchema).toBeUndefined();
    expect(out?.value).toBe('');
    expect(input.key).toBe('key');
  });

  test('SetNull$Value makes a tombstone (RocketMQ Connect leaves the value as it was)', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    const input = record({ key: 'k', valueSchema: schema, value: { id: 1 } });
    const out = configured(new SetNull('value'), {}).apply(input);
    expect(out).toEqual({ ...input, value: null, valueSchema: undefined });
  });

  test('the rest of the record stays: topic, headers, source position (RocketMQ Connect drops headers)', () => {
    const input = record({ key: 'k' });
    const out = configured(new SetNull('key'), {}).apply(input);
    expect(out).toMatchObject({
      topic: input.topic,
      headers: input.headers,
      partition: input.partition,
      offset: input.offset,
      timestamp: input.timestamp,
    });
  });

  test('it needs no keys, and keys copied from PatternRename configs are let through', () => {
    expect(() => new SetNull('value').configure({})).not.toThrow();
    expect(() =>
      new SetNull('value').configure({ 'field.pattern': '(', 'field.replacement': '' }),
    ).not.toThrow();
  });
});
