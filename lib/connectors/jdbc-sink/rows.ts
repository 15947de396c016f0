/**
 * A sink record as the row it writes: its table, whether it writes or deletes, and its columns
 * (key columns apart) with their Connect schemas. Pure: no SQL and no driver here; the rules are
 * Confluent's FieldsMetadata, extended to schemaless values (plain objects from JsonConverter
 * with schemas.enable=false), whose columns are the object's keys.
 */
import {
  lastHeader,
  NonRetriableError,
  Schemas,
  type Schema,
  type SinkRecord,
} from '../../api/plugin-kit.js';
import {
  KAFKA_PK_FIELDS,
  ROCKETMQ_CLASS,
  SOURCE_TABLE_HEADER,
  TOPIC_TABLE_FORMAT,
  type JdbcSinkConfig,
} from './config.js';

/** One column of a row: its name, its Connect schema when the record has one, its value. */
export interface ColumnValue {
  readonly name: string;
  readonly schema: Schema | undefined;
  readonly value: unknown;
}

export interface SinkRow {
  /** The table as the record names it (`orders`, `shop.orders`); resolved by the writer. */
  readonly table: string;
  readonly kind: 'write' | 'delete';
  readonly key: readonly ColumnValue[];
  /** The other columns; none for a delete. */
  readonly values: readonly ColumnValue[];
}

/** What the mapping needs of the config. */
export type RowConfig = Pick<
  JdbcSinkConfig,
  'pk.mode' | 'pk.fields' | 'fields.whitelist' | 'delete.enabled' | 'table.name.format'
> & {
  readonly 'table.name.from.header': boolean;
  /** The config names RocketMQ Connect's class: a value schema's name names the table. */
  readonly rocketmqNaming: boolean;
};

/** The mapping settings of a parsed config and the class name it was created under. */
export function rowConfigOf(config: JdbcSinkConfig, className: string | undefined): RowConfig {
  return { ...config, rocketmqNaming: className?.trim() === ROCKETMQ_CLASS };
}

/** A record this sink cannot write, whatever the database says: it goes to the dead letters. */
function refused(record: SinkRecord, table: string, reason: string): NonRetriableError {
  return new NonRetriableError(
    `JdbcSink: record of topic ${record.topic} (table "${table}"): ${reason}`,
  );
}

/** The table a record goes to; see `table.name.format`'s documentation for the order. */
export function tableNameOf(record: SinkRecord, config: RowConfig): string {
  const header = lastHeader(record.headers, SOURCE_TABLE_HEADER)?.trim();
  if (config['table.name.from.header']) {
    if (header) return header;
    throw refused(
      record,
      '?',
      `table.name.from.header=true but the record has no ${SOURCE_TABLE_HEADER} header`,
    );
  }
  const format = config['table.name.format'];
  if (format !== TOPIC_TABLE_FORMAT) return format.replaceAll(TOPIC_TABLE_FORMAT, record.topic);
  if (header) return header;
  const schemaName = record.valueSchema?.name;
  if (config.rocketmqNaming && schemaName) return schemaName;
  return record.topic;
}

/** A record as the row it writes or deletes. Throws NonRetriableError when it cannot be one. */
export function rowOf(record: SinkRecord, config: RowConfig): SinkRow {
  const table = tableNameOf(record, config);
  const fail = (reason: string) => refused(record, table, reason);
  if (record.value === null || record.value === undefined) {
    if (!config['delete.enabled']) {
      throw fail(
        'its value is null (a tombstone); with delete.enabled=true and pk.mode=record_key it deletes the row of its key',
      );
    }
    const key = keyColumns(record, config, fail);
    if (key.length === 0) throw fail('a tombstone needs key columns to delete by');
    return { table, kind: 'delete', key, values: [] };
  }
  const fields = valueFields(record, fail);
  const key = keyColumns(record, config, fail, fields);
  const keyNames = new Set(key.map((c) => c.name));
  const whitelist = config['fields.whitelist'];
  const values = fields.filter(
    (f) => !keyNames.has(f.name) && (whitelist.length === 0 || whitelist.includes(f.name)),
  );
  if (key.length + values.length === 0) throw fail('it has no fields to write');
  return { table, kind: 'write', key, values };
}

/** The value's fields: a struct's in schema order, a schemaless object's in key order. */
function valueFields(record: SinkRecord, fail: (reason: string) => Error): ColumnValue[] {
  const { value, valueSchema } = record;
  if (valueSchema !== undefined && valueSchema.type !== 'STRUCT') {
    throw fail(`its value schema is ${valueSchema.type}; the sink writes struct values`);
  }
  const object = asObject(value);
  if (object === undefined) throw fail(`its value is ${kindOf(value)}, not a struct or an object`);
  if (valueSchema !== undefined) {
    return valueSchema.fields.map((f) => ({
      name: f.name,
      schema: f.schema,
      value: object[f.name],
    }));
  }
  return Object.entries(object).map(([name, v]) => ({ name, schema: undefined, value: v }));
}

function keyColumns(
  record: SinkRecord,
  config: RowConfig,
  fail: (reason: string) => Error,
  valueFieldList?: readonly ColumnValue[],
): readonly ColumnValue[] {
  const pkFields = config['pk.fields'];
  switch (config['pk.mode']) {
    case 'none':
      return [];
    case 'kafka':
      return kafkaColumns(record, pkFields.length === 3 ? pkFields : KAFKA_PK_FIELDS, fail);
    case 'record_key':
      return recordKeyColumns(record, pkFields, fail);
    case 'record_value': {
      const fields = valueFieldList ?? [];
      if (pkFields.length === 0) return fields;
      return pkFields.map((name) => {
        const field = fields.find((f) => f.name === name);
        if (!field) throw fail(`pk.mode=record_value, but the value has no field "${name}"`);
        return field;
      });
    }
  }
}

/**
 * The record's topic, queue id and queue offset (Kafka's topic, partition and offset): unique
 * per message on a topic held by one broker group; queue ids repeat across broker groups.
 */
function kafkaColumns(
  record: SinkRecord,
  names: readonly string[],
  fail: (reason: string) => Error,
): ColumnValue[] {
  const queueId = integerOf(record.queueId);
  const queueOffset = integerOf(record.queueOffset);
  if (queueId === undefined || queueOffset === undefined) {
    throw fail('pk.mode=kafka, but the record does not carry its queue id and queue offset');
  }
  const [topic = '', partition = '', offset = ''] = names;
  return [
    { name: topic, schema: Schemas.STRING, value: record.topic },
    { name: partition, schema: Schemas.INT32, value: Number(queueId) },
    { name: offset, schema: Schemas.INT64, value: queueOffset },
  ];
}

/** An integer held as a number, a bigint or digits (offsets past 2^53 travel as strings). */
function integerOf(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return undefined;
}

function recordKeyColumns(
  record: SinkRecord,
  pkFields: readonly string[],
  fail: (reason: string) => Error,
): ColumnValue[] {
  const { key, keySchema } = record;
  if (key === null || key === undefined) throw fail('pk.mode=record_key, but its key is null');
  const object = keySchema === undefined || keySchema.type === 'STRUCT' ? asObject(key) : undefined;
  if (object === undefined) {
    if (keySchema !== undefined && keySchema.type !== 'STRUCT' && !isPrimitive(keySchema)) {
      throw fail(`its key schema is ${keySchema.type}; a key must be a primitive or a struct`);
    }
    if (pkFields.length !== 1) {
      throw fail(
        `its key is a primitive, so pk.fields must name exactly one column, not ${pkFields.length}`,
      );
    }
    return [{ name: pkFields[0] ?? '', schema: keySchema, value: key }];
  }
  if (keySchema?.type === 'STRUCT') {
    const names = pkFields.length === 0 ? keySchema.fields.map((f) => f.name) : pkFields;
    return names.map((name) => {
      const field = keySchema.fields.find((f) => f.name === name);
      if (!field) throw fail(`pk.mode=record_key, but the key has no field "${name}"`);
      return { name, schema: field.schema, value: object[name] };
    });
  }
  const names = pkFields.length === 0 ? Object.keys(object) : pkFields;
  return names.map((name) => {
    if (!(name in object)) throw fail(`pk.mode=record_key, but the key has no field "${name}"`);
    return { name, schema: undefined, value: object[name] };
  });
}

function isPrimitive(schema: Schema): boolean {
  return schema.type !== 'STRUCT' && schema.type !== 'MAP' && schema.type !== 'ARRAY';
}

/** A struct or a schemaless object as a record of its fields (a Map's string keys too). */
function asObject(value: unknown): Record<string, unknown> | undefined {
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), v as unknown]));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (value instanceof Uint8Array || value instanceof Date) return undefined;
  return value as Record<string, unknown>;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return `a ${typeof value}`;
}
