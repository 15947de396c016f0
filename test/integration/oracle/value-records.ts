/**
 * Records for the oracle of Cast, TimestampConverter, Flatten, HoistField and SetSchemaMetadata,
 * beside records.ts (left as it is, others rely on it): timestamps as text in two formats, Unix
 * time and logical types; numbers as text, extreme integers and floats, Decimals of scale 0 and
 * -2; nested structs (no maps, so that Flatten has something to flatten) with optional parents
 * and defaults; keys of every primitive and logical schema, schemaless keys and values.
 */
import type { OracleRecord } from './kafka-oracle.js';

const opt = (type: string, extra: Record<string, unknown> = {}) => ({
  type,
  optional: true,
  ...extra,
});
const logical = (name: string, type: string, extra: Record<string, unknown> = {}) =>
  opt(type, { name: `org.apache.kafka.connect.data.${name}`, version: 1, ...extra });

/** The value schema of most records: an event. */
export const EVENT_SCHEMA = {
  type: 'struct',
  name: 'events',
  version: 3,
  doc: 'an event',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'text_ts', ...opt('string') },
    { field: 'iso_ts', ...opt('string') },
    { field: 'unix_ts', ...opt('int64') },
    { field: 'ts', ...logical('Timestamp', 'int64') },
    { field: 'day', ...logical('Date', 'int32') },
    { field: 'at', ...logical('Time', 'int32') },
    { field: 'num_text', ...opt('string') },
    { field: 'flag', ...opt('string') },
    { field: 'big', ...opt('int64') },
    { field: 'ratio', ...opt('double') },
    { field: 'weight', ...opt('float') },
    { field: 'count', type: 'int32', optional: false, default: 7 },
    { field: 'tiny', ...opt('int8') },
    { field: 'dec0', ...logical('Decimal', 'bytes', { parameters: { scale: '0' } }) },
    { field: 'decn', ...logical('Decimal', 'bytes', { parameters: { scale: '-2' } }) },
    { field: 'blob', ...opt('bytes') },
    { field: 'on', type: 'boolean', optional: true, default: false },
    { field: 'list', ...opt('array', { items: { type: 'int32', optional: false } }) },
    {
      field: 'meta',
      type: 'struct',
      name: 'meta',
      optional: true,
      fields: [
        { field: 'source', type: 'string', optional: false },
        { field: 'level', type: 'int32', optional: false, default: 1 },
        {
          field: 'inner',
          type: 'struct',
          optional: true,
          fields: [
            { field: 'a', ...opt('int64') },
            { field: 'b', type: 'string', optional: false, default: 'x' },
          ],
        },
      ],
    },
  ],
};

const DAY = 86_400_000;
const NUM_TEXTS = [
  '42',
  '-7',
  '300',
  '3.5',
  'abc',
  'true',
  ' 12 ',
  '+5',
  '1e3',
  'NaN',
  '-Infinity',
  '2147483648',
  '9223372036854775808',
  '',
  '0',
  '127',
  '-129',
  '65536',
  '1.5f',
  '.25',
];
const FLAGS = ['true', 'TRUE', 'false', 'yes', '1'];
const BIGS = [
  0, 1, -1, 255, -129, 32768, 2147483648, -2147483649, 4294967297, 9007199254740991,
  -9007199254740991, 1099511627776, 4611686018427388000, -4611686018427388000,
];
const RATIOS = [0.5, -0.5, 255.9, -128.5, 3e9, -3e9, 1e20, 1e-7, 33.333333333333336, 2.5e-3, 0];

const base64 = (...bytes: number[]) => Buffer.from(bytes.map((b) => b & 0xff)).toString('base64');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Java's "yyyy-MM-dd HH:mm:ss" of a time (UTC). */
function text(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function eventPayload(i: number, t: number): Record<string, unknown> {
  return {
    id: 1_000 + i,
    text_ts:
      i % 9 === 0
        ? null
        : i % 13 === 0
          ? 'not a date'
          : i % 17 === 0
            ? '2023-1-5 7:8:9 tail'
            : text(t),
    iso_ts: i % 7 === 0 ? null : new Date(t + (i % 1000)).toISOString(),
    unix_ts: i % 6 === 0 ? null : i % 11 === 0 ? -(t % 1e9) : t + (i % 1000),
    ts: i % 5 === 0 ? null : t - DAY * (i % 40),
    day: i % 8 === 0 ? null : 19_000 + (i % 500) - (i % 3 === 0 ? 20_000 : 0),
    at: i % 10 === 0 ? null : (i * 7_654_321) % DAY,
    num_text: i % 21 === 0 ? null : NUM_TEXTS[i % NUM_TEXTS.length],
    flag: i % 4 === 0 ? null : FLAGS[i % FLAGS.length],
    big: i % 14 === 0 ? null : BIGS[i % BIGS.length],
    ratio: i % 12 === 0 ? null : RATIOS[i % RATIOS.length]! * (i % 2 === 0 ? 1 : 3),
    weight: i % 15 === 0 ? null : (i % 50) / 4 - 3,
    count: i % 16 === 0 ? null : i * 1_000_003,
    tiny: i % 3 === 0 ? null : (i % 256) - 128,
    dec0: i % 9 === 4 ? null : base64(i, i * 3, 255 - (i % 200)),
    decn: i % 9 === 5 ? null : base64(-(i % 100)),
    blob: i % 4 === 1 ? null : base64(i, 0, i >> 2),
    on: i % 6 === 1 ? null : i % 2 === 0,
    list: i % 5 === 2 ? null : [i, -i],
    meta:
      i % 6 === 3
        ? null
        : {
            source: `src${i % 4}`,
            level: i % 5 === 0 ? null : i % 9,
            inner:
              i % 4 === 2
                ? null
                : { a: i % 3 === 0 ? null : i * 11, b: i % 7 === 0 ? null : `b${i}` },
          },
  };
}

function schemalessPayload(i: number, t: number): Record<string, unknown> {
  return {
    id: i,
    text_ts: i % 5 === 0 ? null : text(t),
    unix_ts: t,
    ratio: i / 8,
    num_text: NUM_TEXTS[i % NUM_TEXTS.length],
    on: i % 2 === 0,
    list: [i, `x${i}`],
    nested: { a: i, b: { c: `deep ${i}`, d: null, e: [1, 2] }, f: {} },
    ...(i % 3 === 0 && { extra: { deeper: { deepest: i } } }),
  };
}

const KEY_STRUCT = {
  type: 'struct',
  name: 'event_key',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'ts', ...logical('Timestamp', 'int64') },
    { field: 'text_ts', ...opt('string') },
  ],
};

function key(i: number, t: number): unknown {
  const envelope = (schema: unknown, payload: unknown) => ({ schema, payload });
  switch (i % 8) {
    case 0:
      return null;
    case 1:
      return envelope({ type: 'int64', optional: false }, BIGS[i % BIGS.length]);
    case 2:
      return envelope(
        { type: 'string', optional: false },
        i % 3 === 0 ? text(t) : NUM_TEXTS[i % NUM_TEXTS.length],
      );
    case 3:
      return envelope(
        {
          type: 'int64',
          optional: false,
          name: 'org.apache.kafka.connect.data.Timestamp',
          version: 1,
        },
        t,
      );
    case 4:
      return envelope({ type: 'double', optional: false }, RATIOS[i % RATIOS.length]);
    case 5:
      return envelope(KEY_STRUCT, { id: i, ts: i % 3 === 0 ? null : t, text_ts: text(t) });
    case 6:
      return i % 3 === 0
        ? envelope(null, i % 2 === 0 ? text(t) : t)
        : envelope(null, { id: i, text_ts: text(t), unix_ts: t, nested: { x: i } });
    default:
      switch (i % 32) {
        case 7:
          return envelope(
            {
              type: 'int32',
              optional: false,
              name: 'org.apache.kafka.connect.data.Date',
              version: 1,
            },
            19_000 + (i % 300),
          );
        case 15:
          return envelope({ type: 'bytes', optional: false }, base64(i, 1, 2));
        case 23:
          return envelope({ type: 'boolean', optional: false }, i % 2 === 1);
        default:
          return envelope(
            {
              type: 'bytes',
              optional: false,
              name: 'org.apache.kafka.connect.data.Decimal',
              version: 1,
              parameters: { scale: '2' },
            },
            base64(i, i * 5),
          );
      }
  }
}

function primitiveValue(i: number, t: number): unknown {
  switch (i % 40) {
    case 19:
      return {
        schema: { type: 'string', optional: false },
        payload: i % 3 === 0 ? text(t) : NUM_TEXTS[i % NUM_TEXTS.length],
      };
    case 39:
      return { schema: { type: 'int32', optional: false }, payload: i * 1_000_003 };
    default:
      return null;
  }
}

/** `count` records: 70% events, 20% schemaless, 5% primitive values, 5% tombstones. */
export function valueTransformRecords(count: number): OracleRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const topic = i % 2 === 0 ? 'events-in' : 'other';
    const timestamp = 1_700_000_000_000 + i * 997_331;
    const kind = i % 10;
    const value =
      kind === 9
        ? primitiveValue(i, timestamp)
        : kind >= 7
          ? { schema: null, payload: schemalessPayload(i, timestamp) }
          : { schema: EVENT_SCHEMA, payload: eventPayload(i, timestamp) };
    return { topic, timestamp, key: key(i, timestamp), value, headers: [] };
  });
}
