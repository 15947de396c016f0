import { describe, expect, it } from 'vitest';
import {
  NonRetriableError,
  SchemaBuilder,
  Schemas,
  type SinkRecord,
} from '../../../../lib/api/plugin-kit.js';
import { jdbcSinkKeys, ROCKETMQ_CLASS } from '../../../../lib/connectors/jdbc-sink/config.js';
import {
  rowConfigOf,
  rowOf,
  tableNameOf,
  type RowConfig,
} from '../../../../lib/connectors/jdbc-sink/rows.js';

function configOf(keys: Record<string, string> = {}, className?: string): RowConfig {
  const parsed = jdbcSinkKeys.configSchema.parse({
    'connection.url': 'jdbc:postgresql://db/shop',
    ...keys,
  });
  return rowConfigOf(parsed, className);
}

const order = SchemaBuilder.struct()
  .name('shop.orders')
  .field('id', Schemas.INT64)
  .field('item', Schemas.STRING)
  .field('qty', Schemas.OPTIONAL_INT32)
  .build();

function record(overrides: Partial<SinkRecord> = {}): SinkRecord {
  return {
    topic: 'orders-topic',
    partition: undefined,
    offset: undefined,
    timestamp: 0,
    key: null,
    value: { id: 1n, item: 'pen', qty: 2 },
    valueSchema: order,
    headers: [],
    ...overrides,
  };
}

const names = (columns: readonly { name: string }[]) => columns.map((c) => c.name);

describe('the table a record goes to', () => {
  const header = [{ key: '__source_table', value: 'from_header' }];

  it('is the topic by default', () => {
    expect(tableNameOf(record(), configOf())).toBe('orders-topic');
  });

  it('is table.name.format with ${topic} replaced when the format is given', () => {
    const config = configOf({ 'table.name.format': 'kafka_${topic}' });
    expect(tableNameOf(record({ headers: header }), config)).toBe('kafka_orders-topic');
  });

  it('is the __source_table header when the format is left at its default', () => {
    expect(tableNameOf(record({ headers: header }), configOf())).toBe('from_header');
  });

  it('is the value schema name under RocketMQ Connect’s class name, else the topic', () => {
    expect(tableNameOf(record(), configOf({}, ROCKETMQ_CLASS))).toBe('shop.orders');
    expect(tableNameOf(record(), configOf({}, 'JdbcSink'))).toBe('orders-topic');
    const unnamed = record({
      valueSchema: SchemaBuilder.struct().field('id', Schemas.INT64).build(),
    });
    expect(tableNameOf(unnamed, configOf({}, ROCKETMQ_CLASS))).toBe('orders-topic');
  });

  it('must be the header with table.name.from.header=true, which wins over the format', () => {
    const config = configOf({ 'table.name.from.header': 'true', 'table.name.format': 'fixed' });
    expect(tableNameOf(record({ headers: header }), config)).toBe('from_header');
    expect(() => tableNameOf(record(), config)).toThrow(/no __source_table header/);
  });
});

describe('the row of a record', () => {
  it('writes every value field without a key under pk.mode=none', () => {
    const row = rowOf(record(), configOf());
    expect(row).toMatchObject({ table: 'orders-topic', kind: 'write', key: [] });
    expect(names(row.values)).toEqual(['id', 'item', 'qty']);
    expect(row.values[0]).toEqual({ name: 'id', schema: Schemas.INT64, value: 1n });
  });

  it('takes record_value key columns from the value, all fields by default', () => {
    const row = rowOf(record(), configOf({ 'pk.mode': 'record_value', 'pk.fields': 'id' }));
    expect(names(row.key)).toEqual(['id']);
    expect(names(row.values)).toEqual(['item', 'qty']);
    expect(names(rowOf(record(), configOf({ 'pk.mode': 'record_value' })).key)).toEqual([
      'id',
      'item',
      'qty',
    ]);
  });

  it('takes record_key columns from a struct key, the key winning over a value field', () => {
    const keySchema = SchemaBuilder.struct().field('id', Schemas.INT64).build();
    const row = rowOf(
      record({ key: { id: 9n }, keySchema }),
      configOf({ 'pk.mode': 'record_key' }),
    );
    expect(row.key).toEqual([{ name: 'id', schema: Schemas.INT64, value: 9n }]);
    expect(names(row.values)).toEqual(['item', 'qty']);
  });

  it('names a primitive key with the one pk.fields column', () => {
    const config = configOf({ 'pk.mode': 'record_key', 'pk.fields': 'code' });
    const row = rowOf(record({ key: 'K', keySchema: Schemas.STRING }), config);
    expect(row.key).toEqual([{ name: 'code', schema: Schemas.STRING, value: 'K' }]);
    const unnamed = configOf({ 'pk.mode': 'record_key' });
    expect(() => rowOf(record({ key: 'K' }), unnamed)).toThrow(/exactly one column/);
  });

  it('reads a schemaless key object and value object by their keys', () => {
    const row = rowOf(
      record({ key: { id: 3 }, value: { id: 3, note: 'x' }, valueSchema: undefined }),
      configOf({ 'pk.mode': 'record_key' }),
    );
    expect(row.key).toEqual([{ name: 'id', schema: undefined, value: 3 }]);
    expect(row.values).toEqual([{ name: 'note', schema: undefined, value: 'x' }]);
  });

  it('writes only whitelisted value fields besides the key', () => {
    const config = configOf({
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'fields.whitelist': 'qty',
    });
    const row = rowOf(record(), config);
    expect(names(row.key)).toEqual(['id']);
    expect(names(row.values)).toEqual(['qty']);
  });

  it('takes kafka key columns from the topic and the queue coordinates a record carries', () => {
    const config = configOf({ 'pk.mode': 'kafka' });
    const carried = record({ queueId: 3, queueOffset: 9_007_199_254_740_991 });
    expect(rowOf(carried, config).key.map((c) => [c.name, c.value])).toEqual([
      ['__connect_topic', 'orders-topic'],
      ['__connect_partition', 3],
      ['__connect_offset', 9007199254740991n],
    ]);
    expect(() => rowOf(record(), config)).toThrow(/queue id and queue offset/);
  });

  it('deletes by the key of a tombstone when deletes are enabled, and refuses it otherwise', () => {
    const keySchema = SchemaBuilder.struct().field('id', Schemas.INT64).build();
    const tombstone = record({ key: { id: 4n }, keySchema, value: null, valueSchema: undefined });
    const config = configOf({ 'pk.mode': 'record_key', 'delete.enabled': 'true' });
    expect(rowOf(tombstone, config)).toMatchObject({ kind: 'delete', values: [] });
    expect(() => rowOf(tombstone, configOf({ 'pk.mode': 'record_key' }))).toThrow(
      NonRetriableError,
    );
  });

  it.each([
    ['a value that is not a struct', {}, { value: 'text', valueSchema: Schemas.STRING }, /STRING/],
    [
      'a missing pk field',
      { 'pk.mode': 'record_value', 'pk.fields': 'nope' },
      {},
      /no field "nope"/,
    ],
    ['a null key under record_key', { 'pk.mode': 'record_key' }, { key: null }, /key is null/],
  ])('refuses %s, naming the topic and the table', (_what, keys, overrides, reason) => {
    const bad = () => rowOf(record(overrides), configOf(keys));
    expect(bad).toThrow(reason);
    expect(bad).toThrow(/topic orders-topic \(table "orders-topic"\)/);
  });
});
