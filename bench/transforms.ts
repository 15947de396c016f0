/**
 * Records per second through each registered transform, in process (pure CPU, no services),
 * next to a baseline: the record copied with a spread, the cheapest transform there can be.
 * "cost" is how many baseline copies one record through the transform is worth, so rows can be
 * compared across machines and runs (the raw rate cannot: the machine is shared and noisy).
 * Every transform in the registry is run with its representative config from CONFIGS, on records
 * with schemas (struct key and value) and schemaless ones (maps) where both apply; one without a
 * config is skipped with a note, so the bench works whatever is registered. A chain of five
 * (ReplaceField -> Cast -> InsertField -> MaskField -> TimestampRouter, with aliases) runs
 * through `applyChain` too. Benches run in turns, several rounds; the median is shown.
 *
 * With Java 17 and Maven at hand, Kafka 4.4's own transforms run the same configs on the same
 * records (bench/kafka-transforms/TransformBench.java, the oracle's classpath), their cost
 * measured against Kafka's cheapest copy (`newRecord` with the same fields).
 *
 *   npm run bench:transforms
 *   BENCH_TRANSFORMS_ROUNDS=7 BENCH_TRANSFORMS_MS=200 BENCH_TRANSFORMS_KAFKA=false npm run bench:transforms
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SinkRecord } from '../lib/api/record.js';
import type { Schema } from '../lib/api/schema.js';
import { applyChain, type ChainEntry, type Transform } from '../lib/api/transform.js';
import { JsonConverter } from '../lib/converters/json-converter.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import {
  kafkaOracleClasspath,
  type OracleRecord,
} from '../test/integration/oracle/kafka-oracle.js';
import { oracleRecords } from '../test/integration/oracle/records.js';
import { formatGrid } from './stats.js';

function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name}: a positive integer`);
  return value;
}

const ROUNDS = envCount('BENCH_TRANSFORMS_ROUNDS', 5);
/** How long each bench runs in each round. */
const SLICE_MS = envCount('BENCH_TRANSFORMS_MS', 100);
const WITH_KAFKA = process.env['BENCH_TRANSFORMS_KAFKA'] !== 'false';

type Config = Readonly<Record<string, string>>;
type Variant = 'schema' | 'schemaless';
/** A transform by short class name and its config. */
type Step = readonly [string, Config];
const CHAIN_LABEL = 'chain of five';
/**
 * The record sets: `shared` holds the schema records again with each distinct schema one object,
 * as Kafka's JsonConverter gives them (its schema cache). Ours builds a schema per message, so a
 * transform's per-schema cache misses on every record; SHARED rows show what that costs.
 */
type RecordSet = Variant | 'shared';

/**
 * A representative config per transform (short class name), one for records with schemas and
 * one for schemaless records; a transform Kafka runs only with a schema has only `schema`.
 * Headers and topic transforms do not look at the key or value: they run on the schema records.
 */
const CONFIGS: Readonly<Record<string, Partial<Record<Variant, Config>>>> = {
  Cast$Key: { schema: { spec: 'id:string' }, schemaless: { spec: 'id:string' } },
  Cast$Value: {
    schema: { spec: 'qty:int64,ratio:float32,active:string' },
    schemaless: { spec: 'id:string,ratio:int32' },
  },
  DropHeaders: { schema: { headers: 'trace' } },
  ExtractField$Key: { schema: { field: 'id' }, schemaless: { field: 'id' } },
  ExtractField$Value: { schema: { field: 'name' }, schemaless: { field: 'name' } },
  // Without a predicate, Filter drops every record.
  Filter: { schema: {} },
  Flatten$Key: { schema: {}, schemaless: {} },
  // With a schema, on records whose MAP field is dropped first (PREPARE): Kafka refuses maps.
  Flatten$Value: { schema: {}, schemaless: {} },
  HeaderFrom$Key: {
    schema: { fields: 'id', headers: 'key_id', operation: 'copy' },
    schemaless: { fields: 'id', headers: 'key_id', operation: 'copy' },
  },
  HeaderFrom$Value: {
    schema: { fields: 'id,name', headers: 'id,name', operation: 'move' },
    schemaless: { fields: 'id,name', headers: 'id,name', operation: 'move' },
  },
  HoistField$Key: { schema: { field: 'key' }, schemaless: { field: 'key' } },
  HoistField$Value: { schema: { field: 'order' }, schemaless: { field: 'order' } },
  InsertField$Key: {
    schema: { 'topic.field': 'topic', 'static.field': 'origin', 'static.value': 'bench' },
    schemaless: { 'topic.field': 'topic', 'static.field': 'origin', 'static.value': 'bench' },
  },
  InsertField$Value: {
    schema: { 'topic.field': 'topic', 'offset.field': 'off', 'timestamp.field': 'ts' },
    schemaless: { 'topic.field': 'topic', 'offset.field': 'off', 'timestamp.field': 'ts' },
  },
  InsertHeader: { schema: { header: 'app', 'value.literal': 'bench' } },
  MaskField$Key: { schema: { fields: 'region' }, schemaless: { fields: 'region' } },
  // Not `price`: Kafka masks a Decimal as 0 at scale 0, which a schema of scale 2 refuses.
  MaskField$Value: { schema: { fields: 'name,qty' }, schemaless: { fields: 'name,ratio' } },
  RegexRouter: { schema: { regex: '(.*)-in', replacement: '$1-out' } },
  ReplaceField$Key: { schema: { renames: 'id:key_id' }, schemaless: { renames: 'id:key_id' } },
  ReplaceField$Value: {
    schema: { exclude: 'blob,tags', renames: 'id:order_id' },
    schemaless: { exclude: 'tags', renames: 'id:order_id' },
  },
  SetSchemaMetadata$Key: { schema: { 'schema.name': 'bench.OrderKey', 'schema.version': '2' } },
  SetSchemaMetadata$Value: { schema: { 'schema.name': 'bench.Order', 'schema.version': '2' } },
  // The struct key's id (past 2^53) is no time: only the schemaless key's id is converted.
  TimestampConverter$Key: { schemaless: { field: 'id', 'target.type': 'Timestamp' } },
  TimestampConverter$Value: {
    schema: { field: 'placed', 'target.type': 'string', format: 'yyyy-MM-dd HH:mm:ss' },
    schemaless: { field: 'placed', 'target.type': 'string', format: 'yyyy-MM-dd HH:mm:ss' },
  },
  TimestampRouter: { schema: {} },
  ValueToKey: { schema: { fields: 'id,region' }, schemaless: { fields: 'id,region' } },
  // RocketMQ Connect's own (no Kafka counterpart).
  ChangeCase$Key: {
    schema: { from: 'lower_underscore', to: 'upper_camel' },
    schemaless: { from: 'lower_underscore', to: 'upper_camel' },
  },
  ChangeCase$Value: {
    schema: { from: 'lower_underscore', to: 'upper_camel' },
    schemaless: { from: 'lower_underscore', to: 'upper_camel' },
  },
  ExtractNestedField$Value: {
    schema: {
      'input.outer.field.name': 'address',
      'input.inner.field.name': 'city',
      'output.field.name': 'city',
    },
    schemaless: {
      'input.outer.field.name': 'nested',
      'input.inner.field.name': 'a',
      'output.field.name': 'a',
    },
  },
  PatternFilter$Key: {
    schema: { pattern: 'r[01]', fields: 'region' },
    schemaless: { pattern: 'r[01]', fields: 'region' },
  },
  PatternFilter$Value: {
    schema: { pattern: 'name 1.*', fields: 'name' },
    schemaless: { pattern: 'n1.*', fields: 'name' },
  },
  PatternRename$Key: {
    schema: { 'field.pattern': 'region', 'field.replacement': 'area' },
    schemaless: { 'field.pattern': 'region', 'field.replacement': 'area' },
  },
  PatternRename$Value: {
    schema: { 'field.pattern': '^(.)', 'field.replacement': 'f_$1' },
    schemaless: { 'field.pattern': '^(.)', 'field.replacement': 'f_$1' },
  },
  // The key holds no Decimal, so SetMaximumPrecision$Key only looks; ExtractNestedField$Key
  // has no config: the key has no nested struct to read.
  SetMaximumPrecision$Key: { schema: { 'precision.max': '10' } },
  SetMaximumPrecision$Value: { schema: { 'precision.max': '10' } },
  SetNull$Key: { schema: {}, schemaless: {} },
  SetNull$Value: { schema: {}, schemaless: {} },
};

/** What runs on a variant's records, untimed, before a transform: what makes them fit it. */
const PREPARE: Readonly<Record<string, Partial<Record<Variant, Step>>>> = {
  Flatten$Value: { schema: ['ReplaceField$Value', { exclude: 'attrs' }] },
};

/** Also run on `shared` records (see Variant). */
const SHARED = new Set(['InsertField$Value', 'Cast$Value', 'ReplaceField$Value', CHAIN_LABEL]);

/** The chain of five, by alias, per variant. */
const CHAIN: Readonly<Record<Variant, readonly [string, string, Config][]>> = {
  schema: [
    ['drop', 'ReplaceField$Value', { exclude: 'blob,tags', renames: 'id:order_id' }],
    ['widen', 'Cast$Value', { spec: 'qty:int64' }],
    ['stamp', 'InsertField$Value', { 'topic.field': 'topic', 'timestamp.field': 'ts' }],
    ['hide', 'MaskField$Value', { fields: 'name' }],
    ['route', 'TimestampRouter', {}],
  ],
  schemaless: [
    ['drop', 'ReplaceField$Value', { exclude: 'tags', renames: 'id:order_id' }],
    ['widen', 'Cast$Value', { spec: 'ratio:int32' }],
    ['stamp', 'InsertField$Value', { 'topic.field': 'topic', 'timestamp.field': 'ts' }],
    ['hide', 'MaskField$Value', { fields: 'name' }],
    ['route', 'TimestampRouter', {}],
  ],
};

// The oracle's records, sorted by kind: a struct key and value, or a map key and value.
const PER_SET = 1000;
const ALL = oracleRecords(24_000);
const hasSchema = (envelope: unknown) =>
  envelope !== null && (envelope as { schema: unknown }).schema !== null;
const SOURCES: Record<Variant, OracleRecord[]> = {
  schema: ALL.filter((r, i) => i % 4 === 2 && hasSchema(r.value)).slice(0, PER_SET),
  schemaless: ALL.filter((r, i) => i % 4 === 3 && r.value !== null && !hasSchema(r.value)).slice(
    0,
    PER_SET,
  ),
};

function converter(isKey: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': 'true' }, isKey);
  return c;
}

/**
 * As the runtime gives them to a sink's transforms: from the same JsonConverter envelopes, on
 * queue 0 at offset = index; with `shared`, one schema object per distinct schema.
 */
function toSinkRecords(records: readonly OracleRecord[], shared: boolean): SinkRecord[] {
  const keys = converter(true);
  const values = converter(false);
  const interned = new Map<string, Schema>();
  const read = (c: JsonConverter, topic: string, envelope: unknown) => {
    const { schema, value } = c.toConnectData(topic, Buffer.from(JSON.stringify(envelope)));
    if (!schema || !shared) return { schema, value };
    const text = JSON.stringify((envelope as { schema: unknown }).schema);
    if (!interned.has(text)) interned.set(text, schema);
    return { schema: interned.get(text), value };
  };
  return records.map((r, index) => {
    const key = read(keys, r.topic, r.key);
    const value = read(values, r.topic, r.value);
    return {
      topic: r.topic,
      partition: undefined,
      offset: undefined,
      queueId: 0,
      queueOffset: index,
      timestamp: r.timestamp,
      key: key.value,
      ...(key.schema && { keySchema: key.schema }),
      value: value.value,
      ...(value.schema && { valueSchema: value.schema }),
      headers: r.headers.map(([k, v]) => ({ key: k, value: v })),
    };
  });
}

const RECORDS: Record<RecordSet, SinkRecord[]> = {
  schema: toSinkRecords(SOURCES.schema, false),
  shared: toSinkRecords(SOURCES.schema, true),
  schemaless: toSinkRecords(SOURCES.schemaless, false),
};

const registry = createBuiltinRegistry();
const shortName = (className: string) => className.slice(className.lastIndexOf('.') + 1);
const kafkaClass = (name: string) => registry.getComponent('transformation', name).className;

function entry(alias: string, name: string, config: Config): ChainEntry {
  const transform = registry.getComponent('transformation', name).create();
  transform.configure(config);
  return { name: alias, transform };
}

interface Bench {
  readonly label: string;
  readonly set: RecordSet;
  readonly config: string;
  readonly records: readonly SinkRecord[];
  readonly chain: readonly ChainEntry[];
  /** What Kafka's harness runs (class names and configs); undefined: not one of Kafka's. */
  readonly kafka?: {
    readonly prepare: readonly { type: string; config: Config }[];
    readonly steps: readonly { type: string; config: Config }[];
  };
  readonly samples: number[];
}

const copy: Transform = { configure() {}, apply: (record) => ({ ...record }) };
const benches: Bench[] = [];
const notes: string[] = [];
const setsOf = (label: string, variant: Variant): RecordSet[] =>
  variant === 'schema' && SHARED.has(label) ? ['schema', 'shared'] : [variant];

/** Adds the bench, unless its chain fails on its records (a note says why). */
function add(
  label: string,
  variant: Variant,
  config: string,
  steps: readonly (readonly [alias: string, name: string, config: Config])[],
  prepare?: Step,
) {
  for (const set of setsOf(label, variant)) {
    try {
      const records = prepare
        ? applyChain(RECORDS[set], [entry('prepare', prepare[0], prepare[1])])
        : RECORDS[set];
      const chain = steps.map(([alias, name, c]) => entry(alias, name, c));
      applyChain(records, chain); // fails here, not in a timed round
      const kafka = steps.every(([, name]) => kafkaClass(name).startsWith('org.apache.kafka.'));
      benches.push({
        label,
        set,
        config,
        records,
        chain,
        ...(kafka && {
          kafka: {
            prepare: prepare ? [{ type: kafkaClass(prepare[0]), config: prepare[1] }] : [],
            steps: steps.map(([, name, c]) => ({ type: kafkaClass(name), config: c })),
          },
        }),
        samples: [],
      });
    } catch (error) {
      notes.push(`${label} (${set}): ${(error as Error).message}, skipped`);
    }
  }
}

for (const set of ['schema', 'shared', 'schemaless'] as const) {
  benches.push({
    label: 'baseline: spread copy',
    set,
    config: '',
    records: RECORDS[set],
    chain: [{ name: 'copy', transform: copy }],
    kafka: { prepare: [], steps: [] },
    samples: [],
  });
}
for (const className of registry
  .list({ connectorsOnly: false })
  .filter((p) => p.type === 'transformation')
  .map((p) => p.class)) {
  const name = shortName(className);
  const configs = CONFIGS[name];
  if (!configs) {
    notes.push(`${name}: no bench config in CONFIGS, skipped`);
    continue;
  }
  for (const variant of ['schema', 'schemaless'] as const) {
    const config = configs[variant];
    if (config)
      add(name, variant, JSON.stringify(config), [[name, name, config]], PREPARE[name]?.[variant]);
  }
}
for (const variant of ['schema', 'schemaless'] as const) {
  const steps = CHAIN[variant];
  add(
    CHAIN_LABEL,
    variant,
    steps.map(([alias, name]) => `${alias}=${name.replace(/\$Value$/, '')}`).join(' -> '),
    steps,
  );
}

/** Records per second through the bench for about SLICE_MS (whole passes over its records). */
function measure(bench: Bench): number {
  let done = 0;
  const start = performance.now();
  let elapsed: number;
  do {
    applyChain(bench.records, bench.chain);
    done += bench.records.length;
    elapsed = performance.now() - start;
  } while (elapsed < SLICE_MS);
  return (done * 1000) / elapsed;
}

for (const bench of benches) measure(bench); // warm-up: JIT, schema caches
for (let round = 0; round < ROUNDS; round++) {
  for (const bench of benches) bench.samples.push(measure(bench));
}
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Kafka's rates by bench index (a string: its error); none when Java or Maven is missing. */
function kafkaRates(): Map<number, number | string> {
  const rates = new Map<number, number | string>();
  if (!WITH_KAFKA) return rates;
  let classpath: string;
  try {
    classpath = kafkaOracleClasspath();
  } catch (error) {
    notes.push(`Kafka's columns: no classpath (${(error as Error).message.split('\n')[0]})`);
    return rates;
  }
  const withKafka = benches.flatMap((b, i) => (b.kafka ? [{ b, i }] : []));
  // Kafka's JsonConverter shares schemas anyway: `shared` rows read the schema records.
  const input = {
    rounds: ROUNDS,
    sliceMs: SLICE_MS,
    records: SOURCES,
    cases: withKafka.map(({ b }) => ({
      records: b.set === 'shared' ? 'schema' : b.set,
      ...b.kafka,
    })),
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const java = spawnSync(
    'java',
    ['-cp', classpath, path.join(here, 'kafka-transforms', 'TransformBench.java')],
    { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (java.status !== 0) {
    notes.push(`Kafka's columns: the harness exited ${java.status}: ${java.stderr.slice(0, 500)}`);
    return rates;
  }
  const answers = JSON.parse(java.stdout) as ({ perSecond: number } | { error: string })[];
  answers.forEach((a, j) =>
    rates.set(withKafka[j]!.i, 'perSecond' in a ? a.perSecond : `error: ${a.error}`),
  );
  return rates;
}

const kafka = kafkaRates();
const baselineIndex = (set: RecordSet) =>
  benches.findIndex((b) => b.set === set && b.chain[0]?.transform === copy);
const rate = (i: number) => median(benches[i]!.samples);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

const rows = benches.map((b, i) => {
  const ours = rate(i);
  const base = rate(baselineIndex(b.set));
  const theirs = kafka.get(i);
  const theirBase = kafka.get(baselineIndex(b.set));
  const known = typeof theirs === 'number';
  return [
    b.label,
    b.set,
    b.config,
    thousands(ours),
    (base / ours).toFixed(1),
    known ? thousands(theirs) : theirs === undefined ? '-' : 'error',
    known && typeof theirBase === 'number' ? (theirBase / theirs).toFixed(1) : '-',
    known ? (ours / theirs).toFixed(2) : '-',
  ];
});

console.log(
  `Transforms in process, ${PER_SET} records per set (schema: struct key and value; schemaless: ` +
    `maps), median of ${ROUNDS} rounds of ${SLICE_MS} ms.\n` +
    'cost = the baseline rate / the rate: how many spread copies one record through it is worth.\n',
);
console.log(
  formatGrid(
    [
      'transform',
      'records',
      'config',
      'ours rec/s',
      'cost',
      'Kafka rec/s',
      'Kafka cost',
      'ours/Kafka',
    ],
    rows,
    3,
  ),
);
for (const [i, r] of kafka) {
  if (typeof r === 'string') notes.push(`Kafka ${benches[i]!.label} (${benches[i]!.set}): ${r}`);
}
if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
