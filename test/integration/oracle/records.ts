/**
 * The records both sides of the transform oracle read: deterministic, thousands of them, covering
 * what a transform meets: structs with every primitive and logical type, nested structs, maps,
 * arrays, optional fields, defaults and nulls; schemaless maps; struct, string and null keys;
 * tombstones; headers (repeated names too); two topics.
 */
import type { OracleRecord } from './kafka-oracle.js';

const optional = (schema: Record<string, unknown>) => ({ ...schema, optional: true });
const logical = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  type,
  optional: true,
  name: `org.apache.kafka.connect.data.${name}`,
  version: 1,
  ...extra,
});

/** The value schema of the records with one: an order. */
export const ORDER_SCHEMA = {
  type: 'struct',
  name: 'orders',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'name', type: 'string', optional: true },
    { field: 'region', type: 'string', optional: true, default: 'eu' },
    { field: 'price', ...logical('Decimal', 'bytes', { parameters: { scale: '2' } }) },
    { field: 'placed', ...logical('Timestamp', 'int64') },
    { field: 'day', ...logical('Date', 'int32') },
    { field: 'at', ...logical('Time', 'int32') },
    { field: 'qty', type: 'int32', optional: false },
    { field: 'small', type: 'int8', optional: true },
    { field: 'short', type: 'int16', optional: true },
    { field: 'ratio', type: 'double', optional: true },
    { field: 'weight', type: 'float', optional: true },
    { field: 'active', type: 'boolean', optional: false, default: true },
    { field: 'blob', type: 'bytes', optional: true },
    { field: 'tags', ...optional({ type: 'array', items: { type: 'string', optional: false } }) },
    {
      field: 'attrs',
      ...optional({
        type: 'map',
        keys: { type: 'string', optional: false },
        values: { type: 'int32', optional: true },
      }),
    },
    {
      field: 'address',
      type: 'struct',
      name: 'address',
      optional: true,
      fields: [
        { field: 'city', type: 'string', optional: false },
        { field: 'zip', type: 'string', optional: true },
        {
          field: 'geo',
          type: 'struct',
          optional: true,
          fields: [
            { field: 'lat', type: 'double', optional: false },
            { field: 'lon', type: 'double', optional: false },
          ],
        },
      ],
    },
  ],
};

const KEY_SCHEMA = {
  type: 'struct',
  name: 'order_key',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'region', type: 'string', optional: true },
  ],
};

const base64 = (...bytes: number[]) => Buffer.from(bytes.map((b) => b & 0xff)).toString('base64');
const DAY = 86_400_000;

function orderPayload(i: number, timestamp: number): Record<string, unknown> {
  return {
    id: 9_007_199_254_740_000 + i,
    name: i % 3 === 0 ? null : `name ${i} "é"`,
    region: i % 4 === 0 ? null : `r${i % 5}`,
    price: i % 5 === 0 ? null : base64(i, i * 7),
    placed: i % 6 === 0 ? null : timestamp - DAY,
    day: i % 11 === 0 ? null : 19_000 + (i % 400),
    at: i % 13 === 0 ? null : (i * 1_234_567) % DAY,
    qty: i % 17 === 0 ? -i : i * 3,
    small: i % 2 === 0 ? null : (i % 256) - 128,
    short: i % 3 === 1 ? null : (i * 97) % 32_768,
    ratio: i % 7 === 3 ? null : i % 9 === 0 ? i * 1e7 : i / 8,
    weight: i % 5 === 2 ? null : i + 0.25,
    active: i % 19 === 0 ? null : i % 2 === 0,
    blob: i % 4 === 3 ? null : base64(i >> 8, i, 255 - (i % 256)),
    tags: i % 7 === 0 ? null : i % 7 === 1 ? [] : [`t${i % 3}`, `t${i % 4}`],
    attrs: i % 8 === 5 ? null : { a: i % 10, b: i % 6 === 0 ? null : -i },
    address:
      i % 8 === 0
        ? null
        : {
            city: `city ${i % 9}`,
            zip: i % 3 === 0 ? null : `${10_000 + i}`,
            geo: i % 5 === 1 ? null : { lat: (i % 90) + 0.5, lon: -((i % 180) + 0.125) },
          },
  };
}

/** A schemaless value: a JSON object as JsonConverter reads it (numbers, lists, nested maps). */
function schemalessPayload(i: number, timestamp: number): Record<string, unknown> {
  return {
    id: i,
    name: i % 3 === 0 ? null : `n${i}`,
    region: `r${i % 5}`,
    placed: timestamp,
    ratio: i / 4,
    active: i % 2 === 1,
    tags: [`t${i % 3}`],
    nested: { a: i, b: { c: `deep ${i}` } },
  };
}

function key(i: number): unknown {
  switch (i % 4) {
    case 0:
      return null;
    case 1:
      return { schema: { type: 'string', optional: false }, payload: `k${i}` };
    case 2:
      return {
        schema: KEY_SCHEMA,
        payload: { id: 9_007_199_254_740_000 + i, region: `r${i % 5}` },
      };
    default:
      return { schema: null, payload: { id: i, region: `r${i % 5}` } };
  }
}

function headers(i: number): [string, string][] {
  switch (i % 5) {
    case 0:
      return [];
    case 1:
      return [['trace', `t-${i}`]];
    case 2:
      return [
        ['trace', `t-${i}`],
        ['source', 'shop'],
        ['trace', `t-${i}-again`],
      ];
    default:
      return [
        ['source', `s${i % 3}`],
        ['count', String(i)],
      ];
  }
}

/** `count` records: 70% with the order schema, 20% schemaless, 10% tombstones. */
export function oracleRecords(count: number): OracleRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const topic = i % 2 === 0 ? 'orders-in' : 'other';
    const timestamp = 1_700_000_000_000 + i * 1000;
    const kind = i % 10;
    const value =
      kind === 9
        ? null
        : kind >= 7
          ? { schema: null, payload: schemalessPayload(i, timestamp) }
          : { schema: ORDER_SCHEMA, payload: orderPayload(i, timestamp) };
    return { topic, timestamp, key: key(i), value, headers: headers(i) };
  });
}
