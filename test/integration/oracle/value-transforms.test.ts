import { expect, test } from 'vitest';
import { compareWithKafka, differencesOf } from './differential.js';
import type { OracleCase } from './kafka-oracle.js';
import { oracleRecords } from './records.js';
import { valueTransformRecords } from './value-records.js';

/**
 * Cast, TimestampConverter, Flatten, HoistField and SetSchemaMetadata against Kafka's own, each
 * $Key and $Value, on the shared records and on value-records.ts (timestamps as text and Unix
 * time, numbers as text, nested structs without maps), with configs Kafka refuses.
 */

const ORDERS = oracleRecords(2000);
// 1,000 events: their kinds repeat every 40 records, and 100 cases of 2,000 took 12 minutes.
const EVENTS = valueTransformRecords(1000);
const K = 'org.apache.kafka.connect.transforms.';
type Config = Readonly<Record<string, string>>;

const both = (name: string, config: Config): [string, Config][] => [
  [`${K}${name}$Key`, config],
  [`${K}${name}$Value`, config],
];
const value = (name: string, config: Config): [string, Config] => [`${K}${name}$Value`, config];

const CAST: [string, Config][] = [
  ...['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'].flatMap(
    (type) => both('Cast', { spec: type }),
  ),
  value('Cast', { spec: 'num_text:int8,flag:boolean,big:int16,ratio:int32' }),
  value('Cast', { spec: 'num_text:int64,big:float32,ratio:int64,weight:int8' }),
  value('Cast', { spec: 'num_text:float64,big:float64,tiny:float32' }),
  value('Cast', { spec: 'num_text:float32,ratio:float32,weight:float64' }),
  value('Cast', { spec: 'num_text:int32,ratio:boolean,big:boolean,weight:boolean' }),
  value('Cast', { spec: 'ts:string,day:string,at:string,dec0:string,decn:string,blob:string' }),
  value('Cast', { spec: 'ts:int64,day:int32,at:int32,dec0:int64,decn:int32' }),
  value('Cast', { spec: 'ts:float64,day:boolean,at:int8,dec0:float64,decn:float32' }),
  value('Cast', { spec: 'id:string,big:string,ratio:string,weight:string,on:string,tiny:string' }),
  value('Cast', { spec: 'count:int8,on:int16' }),
  value('Cast', { spec: 'count:string,on:boolean', 'replace.null.with.default': 'false' }),
  value('Cast', { spec: 'blob:int32' }),
  value('Cast', { spec: 'list:string' }),
  value('Cast', { spec: 'meta:string' }),
  value('Cast', { spec: 'missing:int32' }),
  ...both('Cast', { spec: 'id:string,unix_ts:int32,text_ts:int64' }),
  value('Cast', { spec: 'id:boolean,on:int8,ratio:int16,num_text:float64' }),
  value('Cast', { spec: 'nested:string' }),
  // Configs Kafka refuses.
  value('Cast', { spec: '' }),
  value('Cast', {}),
  value('Cast', { spec: 'bytes' }),
  value('Cast', { spec: 'id:array' }),
  value('Cast', { spec: 'id:nope' }),
  value('Cast', { spec: 'a:b:c' }),
  value('Cast', { spec: 'int8,id:int16' }),
  value('Cast', { spec: 'id:int8,,' }),
  value('Cast', { spec: 'id:int8', 'replace.null.with.default': 'maybe' }),
];
const CAST_ORDERS: [string, Config][] = [
  value('Cast', { spec: 'qty:string,price:string,placed:string,day:string,at:string' }),
  value('Cast', { spec: 'region:int32' }),
  value('Cast', { spec: 'active:int8,region:string,price:float64' }),
  value('Cast', { spec: 'attrs:string' }),
];

const TS: [string, Config][] = [
  ...(['unix', 'Date', 'Time', 'Timestamp'] as const).flatMap((t) =>
    both('TimestampConverter', { 'target.type': t }),
  ),
  ...both('TimestampConverter', { 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSSX" }),
  ...both('TimestampConverter', {
    'target.type': 'Timestamp',
    format: 'yyyy-MM-dd HH:mm:ss',
  }),
  ...both('TimestampConverter', {
    'target.type': 'unix',
    field: 'text_ts',
    format: 'yyyy-MM-dd HH:mm:ss',
  }),
  ...both('TimestampConverter', {
    'target.type': 'string',
    field: 'ts',
    format: 'dd/MM/yy hh:mm a',
  }),
  value('TimestampConverter', {
    'target.type': 'Timestamp',
    field: 'iso_ts',
    format: "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
  }),
  value('TimestampConverter', {
    'target.type': 'Date',
    field: 'iso_ts',
    format: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  }),
  value('TimestampConverter', {
    'target.type': 'Time',
    field: 'text_ts',
    format: 'yyyy-MM-dd HH:mm:ss',
  }),
  value('TimestampConverter', { 'target.type': 'Timestamp', field: 'text_ts' }),
  value('TimestampConverter', {
    'target.type': 'string',
    field: 'unix_ts',
    format: 'EEE, d MMM yyyy HH:mm:ss Z',
  }),
  value('TimestampConverter', {
    'target.type': 'string',
    field: 'day',
    format: 'EEEE MMMM dd G yyyy D',
  }),
  value('TimestampConverter', {
    'target.type': 'string',
    field: 'at',
    format: "HH 'h' mm 'min' ss.SSS z",
  }),
  ...(['seconds', 'microseconds', 'nanoseconds'] as const).flatMap((p): [string, Config][] => [
    value('TimestampConverter', { 'target.type': 'unix', field: 'ts', 'unix.precision': p }),
    value('TimestampConverter', {
      'target.type': 'Timestamp',
      field: 'unix_ts',
      'unix.precision': p,
    }),
    value('TimestampConverter', { 'target.type': 'unix', field: 'unix_ts', 'unix.precision': p }),
  ]),
  value('TimestampConverter', { 'target.type': 'Date', field: 'unix_ts' }),
  value('TimestampConverter', { 'target.type': 'Time', field: 'ts' }),
  value('TimestampConverter', { 'target.type': 'Timestamp', field: 'day' }),
  value('TimestampConverter', { 'target.type': 'unix', field: 'count' }),
  value('TimestampConverter', { 'target.type': 'unix', field: 'ratio' }),
  value('TimestampConverter', { 'target.type': 'unix', field: 'missing' }),
  value('TimestampConverter', {
    'target.type': 'Timestamp',
    field: 'text_ts',
    'replace.null.with.default': 'false',
    format: 'yyyy-MM-dd HH:mm:ss',
  }),
  // Configs Kafka refuses.
  value('TimestampConverter', { 'target.type': 'date' }),
  value('TimestampConverter', { 'target.type': 'nope' }),
  value('TimestampConverter', {}),
  value('TimestampConverter', { 'target.type': 'string' }),
  value('TimestampConverter', { 'target.type': 'string', format: 'yyyy-qq' }),
  value('TimestampConverter', { 'target.type': 'string', format: "yyyy-MM-dd'T" }),
  value('TimestampConverter', { 'target.type': 'unix', 'unix.precision': 'millis' }),
];

const FLATTEN: [string, Config][] = [
  ...both('Flatten', {}),
  ...both('Flatten', { delimiter: '_' }),
  value('Flatten', { delimiter: '' }),
  value('Flatten', { delimiter: '::' }),
];

const HOIST: [string, Config][] = [
  ...both('HoistField', { field: 'wrapped' }),
  value('HoistField', { field: '' }),
  value('HoistField', {}),
];

const SSM: [string, Config][] = [
  ...both('SetSchemaMetadata', { 'schema.name': 'com.example.Renamed' }),
  ...both('SetSchemaMetadata', { 'schema.version': '42' }),
  ...both('SetSchemaMetadata', {
    'schema.name': 'x',
    'schema.version': '2',
    'replace.null.with.default': 'false',
  }),
  value('SetSchemaMetadata', {}),
  value('SetSchemaMetadata', { 'schema.version': 'two' }),
];

const cases = (list: [string, Config][], records: OracleCase['records']): OracleCase[] =>
  list.map(([type, config]) => ({ type, config, records }));

const CASES: OracleCase[] = [
  ...cases(CAST, EVENTS),
  ...cases(CAST_ORDERS, ORDERS),
  ...cases(TS, EVENTS),
  ...cases(FLATTEN, EVENTS),
  ...cases(FLATTEN, ORDERS),
  ...cases(HOIST, EVENTS),
  ...cases(HOIST, ORDERS),
  ...cases(SSM, EVENTS),
  ...cases(SSM, ORDERS),
];

test("Cast, TimestampConverter, Flatten, HoistField and SetSchemaMetadata equal Kafka's", async () => {
  const outcomes = await compareWithKafka('value transforms', CASES);
  expect(differencesOf(outcomes)).toEqual([]);
}, 900_000);
