/**
 * Our transforms against Kafka's own, record by record: the same JsonConverter envelopes and
 * config on both sides, our JsonConverter's bytes compared with Kafka's. Each case is counted:
 * records equal byte for byte, equal but for a listed deliberate difference, different; a config
 * Kafka refuses must be refused here too, naming the key Kafka's message names.
 */
import type { ConnectRecord, SinkRecord } from '../../../lib/api/record.js';
import { applyChainToRecord, type ChainEntry } from '../../../lib/api/transform.js';
import { JsonConverter } from '../../../lib/converters/json-converter.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';
import {
  runKafkaOracle,
  type OracleAnswer,
  type OracleCase,
  type OracleResult,
} from './kafka-oracle.js';

const registry = createBuiltinRegistry();
const converter = (isKey: boolean) => {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': 'true' }, isKey);
  return c;
};
const keys = converter(true);
const values = converter(false);

/** What our transform (and predicate) make of the case's records, in the oracle's shape. */
export function ours(testCase: OracleCase): OracleResult {
  let entry: ChainEntry;
  try {
    const transform = registry.getComponent('transformation', testCase.type).create();
    transform.configure(testCase.config);
    let predicate;
    if (testCase.predicate) {
      predicate = registry.getComponent('predicate', testCase.predicate.type).create();
      predicate.configure(testCase.predicate.config);
    }
    entry = { transform, ...(predicate && { predicate }), negate: testCase.negate ?? false };
  } catch (error) {
    return { configError: (error as Error).message };
  }
  const bytes = (envelope: unknown) => Buffer.from(JSON.stringify(envelope));
  return testCase.records.map((r, index): OracleAnswer => {
    try {
      const key = r.key === null ? undefined : keys.toConnectData(r.topic, bytes(r.key));
      const value = r.value === null ? undefined : values.toConnectData(r.topic, bytes(r.value));
      // As the oracle's SinkRecords: partition 0, the record's index as its offset.
      const record: SinkRecord = {
        topic: r.topic,
        partition: undefined,
        offset: undefined,
        queueId: 0,
        queueOffset: index,
        timestamp: r.timestamp,
        key: key?.value ?? null,
        ...(key?.schema && { keySchema: key.schema }),
        value: value?.value ?? null,
        ...(value?.schema && { valueSchema: value.schema }),
        headers: r.headers.map(([k, v]) => ({ key: k, value: v })),
      };
      const out = applyChainToRecord(record, [entry]);
      if (out === null) return { dropped: true };
      const text = (c: JsonConverter, schema: ConnectRecord['keySchema'], v: unknown) =>
        v === null && schema === undefined
          ? null
          : Buffer.from(c.fromConnectData(out.topic, schema, v)).toString('utf8');
      return {
        topic: out.topic,
        key: text(keys, out.keySchema, out.key),
        value: text(values, out.valueSchema, out.value),
        headers: out.headers.map((h) => [h.key, h.value] as const),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
}

/**
 * The deliberate differences (lib/converters/json-converter.ts says why), undone before a second
 * comparison:
 * - Kafka's JsonConverter reads a schemaless object into a Java HashMap and writes it back in the
 *   map's hash order; ours keeps the order it came in. Compared with keys sorted.
 * - A null value with a schema: Kafka writes `{"schema":…,"payload":null}`, ours a tombstone
 *   (empty bytes), as our Converter interface maps every null value. Compared as equal.
 * - Schemaless numbers: a JavaScript number does not say whether it is a Long or a Double, so
 *   a whole Double (MaskField's 0.0) is written as 2 here, 2.0 by Kafka; the key-sorted
 *   comparison above reads both as the same number.
 * - A null header (below).
 * - Float text: the oracle's JVM (17) prints some floats and doubles with a digit more than the
 *   shortest text that reads back (JDK-4511638, fixed in JDK 19: 8.9999995E9 for 9.0E9 as a
 *   float, 4.6116860184273879E18); ours prints the shortest. Compared as the values they read
 *   back as, a FLOAT32 as a 32-bit float, through the schema.
 * - A record that the transform leaves unwritable (Cast of a whole Timestamp keeps its logical
 *   name on an INT8; TimestampConverter puts a Date into a schemaless map): both JsonConverters
 *   refuse it, each in its own words. Compared as one refusal.
 * - A time more than 8.64e15 ms (273,790 years) from 1970: a JavaScript Date cannot hold it,
 *   so TimestampConverter fails the record here where Kafka's Date can (below).
 */
function comparable(text: string | null): string | null {
  if (text === null || text === '') return text;
  const envelope = JSON.parse(text) as { schema: unknown; payload: unknown };
  if (envelope.payload === null && envelope.schema !== null) return '';
  if (envelope.schema !== null) return floatsRead(text);
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

/** A schema'd envelope with its FLOAT32 and FLOAT64 payload values as the numbers they read as. */
function floatsRead(text: string): string {
  // Integers past 2^53 are kept as text, so that reading them cannot make two of them equal.
  const quoted = text.replace(/"(?:[^"\\]|\\.)*"|(?<![.\d])-?\d{16,}(?![.eE\d])/g, (t) =>
    t.startsWith('"') ? t : `"#${t}"`,
  );
  const envelope = JSON.parse(quoted) as { schema: JsonSchema; payload: unknown };
  return JSON.stringify({ ...envelope, payload: read(envelope.schema, envelope.payload) });
}

interface JsonSchema {
  readonly type: string;
  readonly fields?: readonly (JsonSchema & { readonly field: string })[];
  readonly items?: JsonSchema;
  readonly values?: JsonSchema;
}

function read(schema: JsonSchema | undefined, value: unknown): unknown {
  if (value === null || schema === undefined) return value;
  switch (schema.type) {
    case 'float':
      return typeof value === 'number' ? Math.fround(value) : value;
    case 'struct':
      return Object.fromEntries(
        (schema.fields ?? []).map((f) => [
          f.field,
          read(f, (value as Record<string, unknown>)[f.field]),
        ]),
      );
    case 'array':
      return (value as unknown[]).map((v) => read(schema.items, v));
    case 'map':
      return Array.isArray(value)
        ? value.map(([k, v]: [unknown, unknown]) => [k, read(schema.values, v)])
        : Object.fromEntries(
            Object.entries(value as object).map(([k, v]) => [k, read(schema.values, v)]),
          );
    default:
      return value;
  }
}

/** Both JsonConverters refusing what a transform made, in their own words. */
const KAFKA_CONVERTER_REFUSAL =
  /^(Invalid type for (Decimal|Date|Time|Timestamp), expected \w+ but was class [\w.]+|Java class class [\w.]+ does not have corresponding schema type\.)$/;
const OUR_CONVERTER_REFUSAL =
  /^((key|value) of topic \S+ does not match its schema: |cannot write (key|value) of topic \S+: )/;

/** Ours fails a time a JavaScript Date cannot hold (TimestampConverter). */
const BEYOND_JS_DATE = /is beyond the dates this platform holds$/;

/** An answer as compared: errors by message (ours say what Kafka's say), not exception class. */
function exact(a: OracleAnswer): unknown {
  return 'error' in a ? { error: a.error.replace(/^\w+: /, '') } : a;
}

/**
 * A NullPointerException from Kafka's side (HeaderFrom of a field its schema lacks): its text is
 * the JVM's helpful message until the JIT compiles the throwing code, then null (a preallocated
 * exception, -XX:+OmitStackTraceInFastThrow), so the same record may answer either. Ours gives
 * the helpful message; both compare as the exception.
 */
const NULL_POINTER = /^(NullPointerException: |Cannot invoke ")/;

function normalised(a: OracleAnswer): unknown {
  if ('error' in a && NULL_POINTER.test(a.error)) return { error: 'NullPointerException' };
  if ('error' in a) {
    const message = a.error.replace(/^\w+: /, '');
    const converter = KAFKA_CONVERTER_REFUSAL.test(message) || OUR_CONVERTER_REFUSAL.test(message);
    return converter ? { error: 'JsonConverter refuses the transformed record' } : exact(a);
  }
  if ('dropped' in a) return exact(a);
  return {
    ...a,
    key: comparable(a.key),
    value: comparable(a.value),
    // A header with a null value (HeaderFrom of a null field, InsertHeader of "null"): Kafka
    // keeps it, ours leaves it out, since a RocketMQ message property cannot be null.
    headers: a.headers.filter(([, v]) => v !== null),
  };
}

export interface CaseOutcome {
  readonly label: string;
  readonly transform: string;
  readonly records: number;
  /** Equal byte for byte. */
  readonly equal: number;
  /** Equal once a listed deliberate difference is undone. */
  readonly deliberate: number;
  /** Kafka refused the config, and so did we. */
  readonly bothRefused: boolean;
  /** What does not match: the first few records, or the refusal that differs. */
  readonly differences: readonly unknown[];
  readonly differenceCount: number;
}

/** The key a Kafka ConfigException names ("... for configuration spec: ..."). */
function keyNamedBy(message: string): string | undefined {
  return /configuration "?([\w.$-]+)"?/.exec(message)?.[1];
}

function outcome(testCase: OracleCase, theirs: OracleResult): CaseOutcome {
  const label = `${testCase.type.replace(/^.*\./, '')} ${JSON.stringify(testCase.config)}${
    testCase.predicate
      ? ` if ${testCase.negate ? 'not ' : ''}${testCase.predicate.type.replace(/^.*\./, '')} ${JSON.stringify(testCase.predicate.config)}`
      : ''
  }`;
  const base = { label, transform: testCase.type.replace(/^.*\./, ''), records: 0, equal: 0 };
  const mine = ours(testCase);
  if ('configError' in theirs || 'configError' in mine) {
    const named = 'configError' in theirs ? keyNamedBy(theirs.configError) : undefined;
    const agree =
      'configError' in theirs &&
      'configError' in mine &&
      (named === undefined || mine.configError.includes(named));
    return {
      ...base,
      deliberate: 0,
      bothRefused: agree,
      differences: agree ? [] : [{ ours: mine, kafka: theirs }],
      differenceCount: agree ? 0 : 1,
    };
  }
  let equal = 0;
  let deliberate = 0;
  const differences: unknown[] = [];
  mine.forEach((answer, r) => {
    const expected = theirs[r]!;
    if (JSON.stringify(exact(answer)) === JSON.stringify(exact(expected))) equal++;
    else if (JSON.stringify(normalised(answer)) === JSON.stringify(normalised(expected)))
      deliberate++;
    else if ('error' in answer && BEYOND_JS_DATE.test(answer.error)) deliberate++;
    else differences.push({ record: r, ours: normalised(answer), kafka: normalised(expected) });
  });
  return {
    ...base,
    records: mine.length,
    equal,
    deliberate,
    bothRefused: false,
    differences: differences.slice(0, 3),
    differenceCount: differences.length,
  };
}

/** Runs the cases on Kafka's side (one JVM) and ours, and prints the counts per transform. */
export async function compareWithKafka(
  title: string,
  cases: readonly OracleCase[],
): Promise<CaseOutcome[]> {
  const started = performance.now();
  const kafka = await runKafkaOracle(cases);
  const kafkaDone = performance.now();
  const outcomes = cases.map((testCase, i) => outcome(testCase, kafka[i]!));
  const timing = `Kafka's side ${((kafkaDone - started) / 1000).toFixed(1)} s, ours and the comparison ${((performance.now() - kafkaDone) / 1000).toFixed(1)} s`;
  const byTransform = new Map<
    string,
    {
      cases: number;
      records: number;
      equal: number;
      deliberate: number;
      refused: number;
      different: number;
    }
  >();
  for (const o of outcomes) {
    const row = byTransform.get(o.transform) ?? {
      cases: 0,
      records: 0,
      equal: 0,
      deliberate: 0,
      refused: 0,
      different: 0,
    };
    row.cases++;
    row.records += o.records;
    row.equal += o.equal;
    row.deliberate += o.deliberate;
    row.refused += o.bothRefused ? 1 : 0;
    row.different += o.differenceCount;
    byTransform.set(o.transform, row);
  }
  const lines = [...byTransform].map(
    ([name, r]) =>
      `${name.padEnd(28)} cases ${String(r.cases).padStart(3)}  records ${String(r.records).padStart(6)}  equal ${String(r.equal).padStart(6)}  deliberate ${String(r.deliberate).padStart(5)}  both refused ${String(r.refused).padStart(2)}  different ${r.different}`,
  );
  console.log(`Kafka oracle, ${title} (${timing}):\n${lines.join('\n')}`);
  return outcomes;
}

/** Every case agrees with Kafka: no record differs, and a refusal is a refusal on both sides. */
export function differencesOf(outcomes: readonly CaseOutcome[]): unknown[] {
  return outcomes
    .filter((o) => o.differenceCount > 0)
    .map((o) => ({ label: o.label, count: o.differenceCount, first: o.differences }));
}
