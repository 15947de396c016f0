import { describe, expect, test } from 'vitest';
import type { ConnectRecord } from '../../../lib/api/record.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';

/** The examples of Kafka's and Confluent's docs for ValueToKey, ExtractField and RegexRouter. */

const registry = createBuiltinRegistry();
const transform = (type: string, config: Record<string, string>) => {
  const t = registry.getComponent('transformation', type).create();
  t.configure(config);
  return t;
};
const record = (topic: string, value: unknown, key: unknown = null): ConnectRecord => ({
  topic,
  partition: undefined,
  offset: undefined,
  timestamp: 0,
  key,
  value,
  headers: [],
});

describe("ValueToKey (Confluent's example)", () => {
  test('fields=userId,city,state: the key becomes those fields of the value', () => {
    const value = { userId: 'u1', city: 'Palo Alto', state: 'CA', street: '1 Main St' };
    const out = transform('ValueToKey', { fields: 'userId,city,state' }).apply(
      record('users', value),
    );
    expect(out?.key).toEqual({ userId: 'u1', city: 'Palo Alto', state: 'CA' });
    expect(out?.value).toEqual(value);
  });
});

describe("ExtractField (Kafka's and Confluent's examples)", () => {
  test('$Value field=id: {"id": 42, "cost": 4000} becomes 42', () => {
    const out = transform('ExtractField$Value', { field: 'id' }).apply(
      record('t', { id: 42, cost: 4000 }),
    );
    expect(out?.value).toBe(42);
  });

  test('$Key field=id after ValueToKey: the key becomes the plain id (the JDBC source recipe)', () => {
    const keyed = transform('ValueToKey', { fields: 'id' }).apply(record('t', { id: 7, n: 'x' }));
    const out = transform('ExtractField$Key', { field: 'id' }).apply(keyed!);
    expect(out?.key).toBe(7);
  });
});

describe("RegexRouter (Kafka's and Confluent's examples)", () => {
  test('regex=([^.]+)\\.([^.]+)\\.([^.]+), replacement=$3: db.schema.table -> table', () => {
    const out = transform('RegexRouter', {
      regex: '([^.]+)\\.([^.]+)\\.([^.]+)',
      replacement: '$3',
    }).apply(record('inventory.public.orders', 'v'));
    expect(out?.topic).toBe('orders');
  });

  test('regex=soe-(.*), replacement=$1: a prefix dropped; a topic that does not match stays', () => {
    const router = transform('RegexRouter', { regex: 'soe-(.*)', replacement: '$1' });
    expect(router.apply(record('soe-Order', 'v'))?.topic).toBe('Order');
    expect(router.apply(record('other-Order', 'v'))?.topic).toBe('other-Order');
  });
});
