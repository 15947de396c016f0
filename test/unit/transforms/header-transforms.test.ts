import { describe, expect, test } from 'vitest';
import type { ConnectRecord } from '../../../lib/api/record.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { Schemas } from '../../../lib/api/schema.js';
import { HeaderFrom } from '../../../lib/transforms/header-from.js';
import { DropHeaders, InsertHeader } from '../../../lib/transforms/headers.js';

const record = (
  value: unknown,
  valueSchema?: ConnectRecord['valueSchema'],
  headers: ConnectRecord['headers'] = [],
): ConnectRecord => ({
  topic: 't',
  partition: undefined,
  offset: undefined,
  timestamp: 0,
  key: null,
  value,
  ...(valueSchema && { valueSchema }),
  headers,
});

function headerFrom(config: Record<string, string>, part: 'key' | 'value' = 'value') {
  const t = new HeaderFrom(part);
  t.configure(config);
  return t;
}

describe("HeaderFrom: Confluent's documented example", () => {
  test('moves id and ts into the headers record_id and event_timestamp', () => {
    const out = headerFrom({
      fields: 'id,ts',
      headers: 'record_id,event_timestamp',
      operation: 'move',
    }).apply(record({ id: 24, ts: 1626102708861, name: 'John Doe' }));
    expect(out?.value).toEqual({ name: 'John Doe' });
    expect(out?.headers).toEqual([
      { key: 'record_id', value: '24' },
      { key: 'event_timestamp', value: '1626102708861' },
    ]);
  });
});

describe('HeaderFrom (Kafka semantics)', () => {
  const address = SchemaBuilder.struct()
    .field('city', Schemas.STRING)
    .field('zip', Schemas.OPTIONAL_STRING)
    .build();
  const schema = SchemaBuilder.struct()
    .name('orders')
    .field('id', Schemas.INT64)
    .field('ratio', Schemas.FLOAT64)
    .field('weight', Schemas.FLOAT32)
    .field('day', SchemaBuilder.date().build())
    .field('tags', SchemaBuilder.array(Schemas.STRING).build())
    .field('address', address)
    .field('note', Schemas.OPTIONAL_STRING)
    .build();
  const value = {
    id: 7,
    ratio: 1e7,
    weight: 0.1,
    day: new Date(Date.UTC(2024, 0, 15)),
    tags: ['a', 'b"c'],
    address: { city: 'Oslo', zip: null },
    note: null,
  };

  test("header texts are Kafka's Values.convertToString of each type", () => {
    const out = headerFrom({
      fields: 'id,ratio,weight,day,tags,address',
      headers: 'id,ratio,weight,day,tags,address',
      operation: 'copy',
    }).apply(record(value, schema));
    expect(out?.headers.map((h) => h.value)).toEqual([
      '7',
      '1.0E7',
      '0.1',
      '2024-01-15',
      '["a","b\\"c"]',
      '{"city":"Oslo","zip":null}',
    ]);
    expect(out?.value).toBe(value);
  });

  test('move narrows the schema; a null field adds no header (a RocketMQ property cannot be null)', () => {
    const out = headerFrom({ fields: 'note,id', headers: 'n,i', operation: 'move' }).apply(
      record(value, schema),
    );
    expect(out?.headers).toEqual([{ key: 'i', value: '7' }]);
    expect(
      out?.valueSchema?.type === 'STRUCT' && out.valueSchema.fields.map((f) => f.name),
    ).toEqual(['ratio', 'weight', 'day', 'tags', 'address']);
  });

  test('refuses fields and headers of different lengths, and operations Kafka does not know', () => {
    expect(() => headerFrom({ fields: 'a,b', headers: 'h', operation: 'copy' })).toThrow(
      "'fields' config must have the same number of elements as 'headers' config.",
    );
    expect(() => headerFrom({ fields: 'a', headers: 'h', operation: 'MOVE' })).toThrow(
      /"operation"/,
    );
  });
});

describe("InsertHeader and DropHeaders: Confluent's documented examples", () => {
  test('InsertHeader adds app.id: best-app-0 after the existing headers', () => {
    const t = new InsertHeader();
    t.configure({ header: 'app.id', 'value.literal': 'best-app-0' });
    const out = t.apply(record({}, undefined, [{ key: 'a', value: '1' }]));
    expect(out?.headers).toEqual([
      { key: 'a', value: '1' },
      { key: 'app.id', value: 'best-app-0' },
    ]);
  });

  test("InsertHeader's literal is read as Kafka's Values.parseString reads it", () => {
    const text = (literal: string) => {
      const t = new InsertHeader();
      t.configure({ header: 'h', 'value.literal': literal });
      return t.apply(record({}))?.headers[0]?.value;
    };
    expect(text('1.50')).toBe('1.5');
    expect(text('[1, 2.5]')).toBe('[1.0,2.5]');
    expect(text('10:30')).toBe('10');
    expect(text('hello, world')).toBe('hello, world');
    expect(text('null')).toBeUndefined();
  });

  test('DropHeaders removes every header with a listed name, all of its repeats', () => {
    const t = new DropHeaders();
    t.configure({ headers: 'app.id,trace' });
    const out = t.apply(
      record({}, undefined, [
        { key: 'trace', value: '1' },
        { key: 'keep', value: '2' },
        { key: 'trace', value: '3' },
        { key: 'app.id', value: 'x' },
      ]),
    );
    expect(out?.headers).toEqual([{ key: 'keep', value: '2' }]);
  });
});
