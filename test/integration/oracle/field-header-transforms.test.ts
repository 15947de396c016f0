import { expect, test } from 'vitest';
import { compareWithKafka, differencesOf, ours } from './differential.js';
import type { OracleCase } from './kafka-oracle.js';
import { oracleRecords } from './records.js';

/**
 * MaskField, ReplaceField, HeaderFrom, InsertHeader, DropHeaders, Filter, TimestampRouter and
 * the RecordIsTombstone predicate against Kafka's own, each $Key and $Value, with configs Kafka
 * refuses and under predicates (with negate).
 */

const RECORDS = oracleRecords(2000);
// A header literal or date pattern is the same on every record: a tenth of them show it.
const FEW = RECORDS.slice(0, 200);
const K = 'org.apache.kafka.connect.transforms.';
const P = `${K}predicates.`;
type Config = Readonly<Record<string, string>>;
type Predicate = NonNullable<OracleCase['predicate']>;

const tombstone: Predicate = { type: `${P}RecordIsTombstone`, config: {} };
const ordersTopic: Predicate = { type: `${P}TopicNameMatches`, config: { pattern: 'orders-.*' } };
const hasTrace: Predicate = { type: `${P}HasHeaderKey`, config: { name: 'trace' } };

const both = (name: string, config: Config): [string, Config][] => [
  [`${K}${name}$Key`, config],
  [`${K}${name}$Value`, config],
];
const value = (name: string, config: Config): [string, Config] => [`${K}${name}$Value`, config];
const one = (name: string, config: Config): [string, Config] => [`${K}${name}`, config];

const PLAIN: [string, Config][] = [
  // MaskField: every type's empty value, replacements parsed per type, refusals.
  ...both('MaskField', { fields: 'id,region' }),
  value('MaskField', { fields: 'name,qty,small,short,ratio,weight,active' }),
  value('MaskField', { fields: 'placed,day,at' }),
  value('MaskField', { fields: 'tags,attrs' }),
  value('MaskField', { fields: 'price' }),
  value('MaskField', { fields: 'blob' }),
  value('MaskField', { fields: 'address' }),
  value('MaskField', { fields: 'id,qty,small,short', replacement: '42' }),
  value('MaskField', { fields: 'ratio,weight', replacement: '2.5' }),
  value('MaskField', { fields: 'small,short,qty', replacement: '300.9' }),
  value('MaskField', { fields: 'qty', replacement: '1e10' }),
  value('MaskField', { fields: 'id', replacement: 'abc' }),
  value('MaskField', { fields: 'name,region', replacement: '***' }),
  value('MaskField', { fields: 'price', replacement: '12.34' }),
  value('MaskField', { fields: 'price', replacement: '7' }),
  value('MaskField', { fields: 'price', replacement: 'x1' }),
  value('MaskField', { fields: 'active', replacement: '1' }),
  value('MaskField', { fields: 'placed', replacement: '1' }),
  value('MaskField', { fields: 'tags', replacement: 'x' }),
  value('MaskField', { fields: 'region', 'replace.null.with.default': 'false' }),
  value('MaskField', { fields: 'missing,name' }),
  value('MaskField', { fields: '' }),
  value('MaskField', { fields: 'id,id' }),
  value('MaskField', { fields: 'id', replacement: '' }),
  value('MaskField', { fields: 'id', 'replace.null.with.default': 'maybe' }),
  // ReplaceField: include, exclude, renames, both parts, refusals.
  ...both('ReplaceField', { include: 'id,region' }),
  ...both('ReplaceField', { exclude: 'region' }),
  value('ReplaceField', { include: 'id,name,price,address', exclude: 'name' }),
  value('ReplaceField', { renames: 'id:order_id,address:addr' }),
  value('ReplaceField', { include: 'id,nested,tags', renames: 'tags:labels,nested:inner' }),
  value('ReplaceField', { exclude: 'blob,attrs', 'replace.null.with.default': 'false' }),
  value('ReplaceField', { renames: 'id:name' }),
  value('ReplaceField', {}),
  value('ReplaceField', { renames: 'id' }),
  value('ReplaceField', { renames: 'a:b:c' }),
  value('ReplaceField', { include: 'id,id' }),
  value('ReplaceField', { exclude: 'id,,name' }),
  // HeaderFrom: copy and move, every type's header text, refusals.
  ...both('HeaderFrom', { fields: 'id,region', headers: 'h_id,h_region', operation: 'copy' }),
  ...both('HeaderFrom', { fields: 'id', headers: 'h_id', operation: 'move' }),
  value('HeaderFrom', {
    fields: 'name,qty,small,short,ratio,weight,active,price',
    headers: 'name,qty,small,short,ratio,weight,active,price',
    operation: 'copy',
  }),
  value('HeaderFrom', {
    fields: 'placed,day,at,blob,tags,attrs,address',
    headers: 'placed,day,at,blob,tags,attrs,address',
    operation: 'move',
  }),
  value('HeaderFrom', { fields: 'nested,placed', headers: 'n,trace', operation: 'move' }),
  value('HeaderFrom', {
    fields: 'region,name',
    headers: 'r,r',
    operation: 'copy',
    'replace.null.with.default': 'false',
  }),
  value('HeaderFrom', { fields: 'missing', headers: 'm', operation: 'copy' }),
  value('HeaderFrom', { fields: 'id,name', headers: 'h', operation: 'copy' }),
  value('HeaderFrom', { fields: 'id', headers: 'h', operation: 'rename' }),
  value('HeaderFrom', { fields: 'id', headers: 'h', operation: 'MOVE' }),
  value('HeaderFrom', { fields: '', headers: 'h', operation: 'copy' }),
  value('HeaderFrom', { fields: 'id', headers: 'h' }),
  // InsertHeader: literals as Kafka's Values.parseString reads them.
  ...[
    'shop',
    '42',
    '1.50',
    '-7',
    '1e3',
    '12345678901234567890',
    '0.1',
    'true',
    'null',
    '',
    '  padded  ',
    '[1, 2, 3]',
    '[1, 2.5]',
    '["a", "b"]',
    '{"a": 1, "b": 2}',
    '{a: 1}',
    '[1, null]',
    '2024-01-15',
    '2024-01-15T10:30:00.000Z',
    // Read leniently, as Java's SimpleDateFormat reads them: days and hours roll over, a field
    // may have a sign or a space before it.
    '2023-02-30',
    '2024-13-01',
    '2024- 1-15',
    '2024-01-15T25:61:00.000Z',
    '10:30:-5.000Z',
    '10:30',
    '1,2',
    'a,b',
    '+5',
    '5 apples',
  ].map((literal) => one('InsertHeader', { header: 'added', 'value.literal': literal })),
  one('InsertHeader', { header: 'trace', 'value.literal': 'x' }),
  one('InsertHeader', { header: 'added' }),
  one('InsertHeader', { 'value.literal': 'x' }),
  // DropHeaders.
  one('DropHeaders', { headers: 'trace' }),
  one('DropHeaders', { headers: 'trace,count,absent' }),
  one('DropHeaders', { headers: '' }),
  one('DropHeaders', { headers: 'trace,trace' }),
  one('DropHeaders', {}),
  // Filter, with no predicate: everything goes.
  one('Filter', {}),
  // TimestampRouter.
  one('TimestampRouter', {}),
  one('TimestampRouter', { 'topic.format': 'log_${timestamp}_${topic}_${topic}' }),
  one('TimestampRouter', {
    'topic.format': '${topic}.${timestamp}',
    'timestamp.format': "yyyy-MM-dd'T'HH:mm:ss.SSS",
  }),
  one('TimestampRouter', { 'timestamp.format': 'yy-M-d H:m:s EEE MMM a hh D w W u F' }),
  one('TimestampRouter', { 'timestamp.format': "G YYYY ww z Z X '$1' ''" }),
  one('TimestampRouter', { 'topic.format': 'fixed' }),
];

const CONDITIONAL: [string, Config, Predicate, boolean][] = [
  [`${K}Filter`, {}, tombstone, false],
  [`${K}Filter`, {}, tombstone, true],
  [`${K}Filter`, {}, ordersTopic, false],
  [`${K}Filter`, {}, hasTrace, true],
  [`${K}MaskField$Value`, { fields: 'name' }, tombstone, true],
  [`${K}ReplaceField$Value`, { exclude: 'id' }, ordersTopic, false],
  [`${K}HeaderFrom$Value`, { fields: 'id', headers: 'id', operation: 'copy' }, tombstone, true],
  [`${K}InsertHeader`, { header: 'deleted', 'value.literal': 'true' }, tombstone, false],
  [`${K}DropHeaders`, { headers: 'trace' }, hasTrace, false],
  [`${K}TimestampRouter`, {}, ordersTopic, true],
];

const CASES: OracleCase[] = [
  ...PLAIN.map(([type, config]) => ({
    type,
    config,
    records: /InsertHeader|TimestampRouter/.test(type) ? FEW : RECORDS,
  })),
  ...CONDITIONAL.map(([type, config, predicate, negate]) => ({
    type,
    config,
    predicate,
    negate,
    records: RECORDS,
  })),
];

test("MaskField, ReplaceField, HeaderFrom, InsertHeader, DropHeaders, Filter, TimestampRouter and RecordIsTombstone equal Kafka's", async () => {
  const outcomes = await compareWithKafka('field and header transforms', CASES);
  expect(differencesOf(outcomes)).toEqual([]);
}, 600_000);

test('ReplaceField reads the whitelist and blacklist of Kafka 2.7 - 3.9 as include and exclude', () => {
  const pairs: [Config, Config][] = [
    [{ whitelist: 'id,name,region' }, { include: 'id,name,region' }],
    [{ blacklist: 'region,tags' }, { exclude: 'region,tags' }],
    [
      { whitelist: 'id', include: 'id,name', blacklist: 'name', exclude: 'region' },
      { include: 'id,name', exclude: 'region' },
    ],
  ];
  for (const [deprecated, current] of pairs) {
    const run = (config: Config) =>
      ours({ type: `${K}ReplaceField$Value`, config, records: RECORDS });
    expect(run(deprecated)).toEqual(run(current));
  }
});
