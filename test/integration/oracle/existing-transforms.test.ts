import { expect, test } from 'vitest';
import { compareWithKafka, differencesOf } from './differential.js';
import type { OracleCase } from './kafka-oracle.js';
import { oracleRecords } from './records.js';

/** ValueToKey, InsertField$Value, ExtractField and RegexRouter against Kafka's own. */

const RECORDS = oracleRecords(2000);
const K = 'org.apache.kafka.connect.transforms.';
const CASES: OracleCase[] = (
  [
    { type: `${K}ValueToKey`, config: { fields: 'id,name' } },
    { type: `${K}ValueToKey`, config: { fields: 'region' } },
    { type: `${K}ValueToKey`, config: { fields: 'region', 'replace.null.with.default': 'false' } },
    { type: `${K}ValueToKey`, config: { fields: 'id,missing' } },
    { type: `${K}ValueToKey`, config: { fields: '' } },
    {
      type: `${K}InsertField$Value`,
      config: { 'topic.field': 'src', 'static.field': 'origin', 'static.value': 'shop' },
    },
    { type: `${K}InsertField$Value`, config: { 'timestamp.field': 'at_ts' } },
    { type: `${K}ExtractField$Value`, config: { field: 'id' } },
    { type: `${K}ExtractField$Value`, config: { field: 'region' } },
    {
      type: `${K}ExtractField$Value`,
      config: { field: 'address', 'replace.null.with.default': 'false' },
    },
    { type: `${K}ExtractField$Value`, config: { field: 'nope' } },
    { type: `${K}ExtractField$Key`, config: { field: 'id' } },
    { type: `${K}RegexRouter`, config: { regex: '(.*)-in', replacement: '$1-out' } },
  ] as const
).map((c) => ({ ...c, records: RECORDS }));

test("ValueToKey, InsertField, ExtractField and RegexRouter equal Kafka's", async () => {
  const outcomes = await compareWithKafka('field transforms', CASES);
  expect(differencesOf(outcomes)).toEqual([]);
}, 600_000);
