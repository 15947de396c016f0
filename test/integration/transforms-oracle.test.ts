import { describe, expect, test } from 'vitest';
import type { ConnectRecord } from '../../lib/api/record.js';
import { JsonConverter } from '../../lib/converters/json-converter.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import {
  runKafkaOracle,
  type OracleAnswer,
  type OracleCase,
  type OracleRecord,
} from './kafka-oracle.js';

/**
 * Our transforms against Kafka's own (connect-transforms 4.4.0): the same records (JsonConverter
 * envelopes) and configs on both sides, and our JsonConverter's output equal to Kafka's byte for
 * byte; where Kafka refuses a record, ours refuses it too.
 */

const registry = createBuiltinRegistry();
const converter = (isKey: boolean) => {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': 'true' }, isKey);
  return c;
};
const keys = converter(true);
const values = converter(false);

const ORDER_SCHEMA = {
  type: 'struct',
  name: 'orders',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'name', type: 'string', optional: true },
    { field: 'region', type: 'string', optional: true, default: 'eu' },
    {
      field: 'price',
      type: 'bytes',
      optional: true,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2' },
    },
    {
      field: 'placed',
      type: 'int64',
      optional: true,
      name: 'org.apache.kafka.connect.data.Timestamp',
      version: 1,
    },
    { field: 'tags', type: 'array', items: { type: 'string', optional: false }, optional: true },
    {
      field: 'address',
      type: 'struct',
      optional: true,
      fields: [{ field: 'city', type: 'string', optional: false }],
    },
  ],
};

/** Deterministic records: with a schema, schemaless, and tombstones, on two topics. */
function records(count: number): OracleRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const topic = i % 2 === 0 ? 'orders-in' : 'other';
    const timestamp = 1_700_000_000_000 + i * 1000;
    const kind = i % 10;
    if (kind === 9) return { topic, timestamp, key: null, value: null };
    const payload = {
      id: 9_007_199_254_740_000 + i,
      name: i % 3 === 0 ? null : `name ${i} "é"`,
      region: i % 4 === 0 ? null : `r${i % 5}`,
      price: i % 5 === 0 ? null : Buffer.from([i % 256, (i * 7) % 256]).toString('base64'),
      placed: i % 6 === 0 ? null : timestamp - 86_400_000,
      tags: i % 7 === 0 ? null : [`t${i % 3}`, `t${i % 4}`],
      address: i % 8 === 0 ? null : { city: `city ${i % 9}` },
    };
    const value =
      kind >= 7
        ? { schema: null, payload: { id: i, name: `n${i}`, nested: { a: i } } }
        : { schema: ORDER_SCHEMA, payload };
    const key =
      i % 3 === 0 ? null : { schema: { type: 'string', optional: false }, payload: `k${i}` };
    return { topic, timestamp, key, value };
  });
}

/** What our transform makes of the case's records, in Kafka's answer shape. */
function ours(testCase: OracleCase): OracleAnswer[] | { configError: string } {
  const transform = registry.getComponent('transformation', testCase.type).create();
  try {
    transform.configure(testCase.config);
  } catch (error) {
    return { configError: (error as Error).message };
  }
  return testCase.records.map((r): OracleAnswer => {
    const bytes = (envelope: unknown) => Buffer.from(JSON.stringify(envelope));
    try {
      const key = r.key === null ? undefined : keys.toConnectData(r.topic, bytes(r.key));
      const value = r.value === null ? undefined : values.toConnectData(r.topic, bytes(r.value));
      const record: ConnectRecord = {
        topic: r.topic,
        partition: undefined,
        offset: undefined,
        timestamp: r.timestamp,
        key: key?.value ?? null,
        ...(key?.schema && { keySchema: key.schema }),
        value: value?.value ?? null,
        ...(value?.schema && { valueSchema: value.schema }),
        headers: [],
      };
      const out = transform.apply(record);
      if (out === null) return { dropped: true };
      const text = (c: JsonConverter, schema: ConnectRecord['keySchema'], v: unknown) =>
        v === null && schema === undefined
          ? null
          : Buffer.from(c.fromConnectData(out.topic!, schema, v)).toString('utf8');
      return {
        topic: out.topic!,
        key: text(keys, out.keySchema, out.key),
        value: text(values, out.valueSchema, out.value),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
}

/**
 * The two differences listed on purpose (lib/converters/json-converter.ts says why):
 * - Kafka's JsonConverter reads a schemaless object into a Java HashMap and writes it back in the
 *   map's hash order (`{"name":…,"id":…}`); ours keeps the order it came in. Schemaless envelopes
 *   are compared with their keys sorted.
 * - A null value with a schema: Kafka writes `{"schema":…,"payload":null}`, ours a tombstone
 *   (empty bytes), as our Converter interface maps every null value. Compared as equal.
 */
function comparable(text: string | null): string | null {
  if (text === null || text === '') return text;
  const envelope = JSON.parse(text) as { schema: unknown; payload: unknown };
  if (envelope.payload === null && envelope.schema !== null) return '';
  if (envelope.schema !== null) return text;
  const sorted = (v: unknown): unknown =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
  return JSON.stringify({ schema: null, payload: sorted(envelope.payload) });
}

const RECORDS = records(400);
const CASES: OracleCase[] = (
  [
    { type: 'org.apache.kafka.connect.transforms.ValueToKey', config: { fields: 'id,name' } },
    { type: 'org.apache.kafka.connect.transforms.ValueToKey', config: { fields: 'region' } },
    {
      type: 'org.apache.kafka.connect.transforms.ValueToKey',
      config: { fields: 'region', 'replace.null.with.default': 'false' },
    },
    { type: 'org.apache.kafka.connect.transforms.ValueToKey', config: { fields: 'id,missing' } },
    {
      type: 'org.apache.kafka.connect.transforms.InsertField$Value',
      config: { 'topic.field': 'src', 'static.field': 'origin', 'static.value': 'shop' },
    },
    {
      type: 'org.apache.kafka.connect.transforms.InsertField$Value',
      config: { 'timestamp.field': 'at' },
    },
    { type: 'org.apache.kafka.connect.transforms.ExtractField$Value', config: { field: 'id' } },
    { type: 'org.apache.kafka.connect.transforms.ExtractField$Value', config: { field: 'region' } },
    {
      type: 'org.apache.kafka.connect.transforms.ExtractField$Value',
      config: { field: 'address', 'replace.null.with.default': 'false' },
    },
    { type: 'org.apache.kafka.connect.transforms.ExtractField$Value', config: { field: 'nope' } },
    { type: 'org.apache.kafka.connect.transforms.ExtractField$Key', config: { field: 'id' } },
    {
      type: 'org.apache.kafka.connect.transforms.RegexRouter',
      config: { regex: '(.*)-in', replacement: '$1-out' },
    },
  ] as { type: string; config: Record<string, string> }[]
).map((c) => ({ ...c, records: RECORDS }));

describe("our transforms against Kafka's (connect-transforms 4.4.0)", () => {
  test(
    'the same records and configs give the same bytes, or both refuse',
    { timeout: 300_000 },
    async () => {
      const kafka = await runKafkaOracle(CASES);
      CASES.forEach((testCase, i) => {
        const theirs = kafka[i]!;
        const mine = ours(testCase);
        const label = `${testCase.type} ${JSON.stringify(testCase.config)}`;
        if ('configError' in theirs || !Array.isArray(mine)) {
          expect({ label, refused: !Array.isArray(mine) }).toEqual({
            label,
            refused: 'configError' in theirs,
          });
          return;
        }
        const differences = mine.flatMap((answer, r) => {
          const expected = theirs[r]!;
          // An error is compared by its message (ours say what Kafka's say), not its class.
          const normal = (a: OracleAnswer) =>
            'error' in a
              ? { error: a.error.replace(/^\w+: /, '') }
              : 'dropped' in a
                ? a
                : {
                    topic: a.topic,
                    key: comparable(a.key),
                    value: comparable(a.value),
                  };
          const same = JSON.stringify(normal(answer)) === JSON.stringify(normal(expected));
          return same ? [] : [{ record: r, ours: normal(answer), kafka: normal(expected) }];
        });
        expect({ label, differences: differences.slice(0, 3), count: differences.length }).toEqual({
          label,
          differences: [],
          count: 0,
        });
      });
    },
  );
});
