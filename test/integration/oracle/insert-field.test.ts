import { expect, test } from 'vitest';
import { compareWithKafka, differencesOf } from './differential.js';
import type { OracleCase } from './kafka-oracle.js';
import { oracleRecords } from './records.js';

/**
 * InsertField$Key and $Value against Kafka's own: every field it inserts (the oracle's records
 * are sink records on partition 0, offset = index), Kafka's `!` (required) and `?` (optional)
 * suffixes, replace.null.with.default, names already taken, and the configs Kafka refuses.
 */

const RECORDS = oracleRecords(2000);
const K = 'org.apache.kafka.connect.transforms.';

const BOTH: Record<string, string>[] = [
  { 'topic.field': 'topic' },
  { 'topic.field': 'topic!' },
  { 'topic.field': 'topic?' },
  { 'partition.field': 'part' },
  { 'partition.field': 'part!' },
  { 'offset.field': 'off' },
  { 'offset.field': 'off!' },
  { 'partition.field': 'part?', 'offset.field': 'off?' },
  { 'timestamp.field': 'ts' },
  { 'timestamp.field': 'ts!' },
  { 'static.field': 'origin', 'static.value': 'shop' },
  { 'static.field': 'origin!', 'static.value': 'shop' },
  { 'static.field': 'origin?', 'static.value': '' },
  {
    'topic.field': 'topic!',
    'partition.field': 'part',
    'offset.field': 'off!',
    'timestamp.field': 'ts?',
    'static.field': 'origin!',
    'static.value': 'shop',
  },
  { 'topic.field': ' spaced ', 'timestamp.field': ' ts! ' },
  // The suffix is the last character only: "topic?!" is a required field named "topic?".
  { 'topic.field': 'topic?!', 'static.field': 'x!?', 'static.value': 'v' },
  // static.value alone inserts nothing, but with another field it is accepted.
  { 'topic.field': 'topic', 'static.value': 'unused' },
  { 'topic.field': 'topic', 'replace.null.with.default': 'false' },
  { 'topic.field': 'topic', 'replace.null.with.default': 'true' },
  { 'offset.field': 'off', 'replace.null.with.default': 'FALSE' },
  // A name the struct (or map) already has: Kafka's schema builder refuses it, a map overwrites.
  { 'topic.field': 'id' },
  { 'timestamp.field': 'region' },
  { 'topic.field': 'same', 'static.field': 'same', 'static.value': 'v' },
  // Refused configs.
  {},
  { 'static.value': 'only a value' },
  { 'static.field': 'origin' },
  { 'topic.field': 'topic', 'replace.null.with.default': 'maybe' },
];

const CASES: OracleCase[] = (['Key', 'Value'] as const).flatMap((part) =>
  BOTH.map((config) => ({ type: `${K}InsertField$${part}`, config, records: RECORDS })),
);

test("InsertField$Key and $Value equal Kafka's on every field, suffix and refused config", async () => {
  const outcomes = await compareWithKafka('InsertField', CASES);
  expect(differencesOf(outcomes)).toEqual([]);
}, 600_000);
