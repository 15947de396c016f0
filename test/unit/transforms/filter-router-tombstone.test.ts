import { describe, expect, test } from 'vitest';
import type { ConnectRecord } from '../../../lib/api/record.js';
import { applyChain, type ChainEntry } from '../../../lib/api/transform.js';
import { Filter } from '../../../lib/transforms/filter.js';
import { RecordIsTombstone, TopicNameMatches } from '../../../lib/transforms/predicates.js';
import { TimestampRouter } from '../../../lib/transforms/timestamp-router.js';

const record = (topic: string, value: unknown, timestamp = 0): ConnectRecord => ({
  topic,
  partition: undefined,
  offset: undefined,
  timestamp,
  key: null,
  value,
  headers: [],
});

describe("Filter with predicates: Kafka's documented examples", () => {
  const foo = new TopicNameMatches();
  foo.configure({ pattern: 'foo.*' });
  const records = [record('foo-1', 1), record('bar', 2), record('foo-2', null)];

  test('drops the records of topics matching foo.*', () => {
    const chain: ChainEntry[] = [{ transform: new Filter(), predicate: foo }];
    expect(applyChain(records, chain).map((r) => r.topic)).toEqual(['bar']);
  });

  test('with negate=true keeps only them', () => {
    const chain: ChainEntry[] = [{ transform: new Filter(), predicate: foo, negate: true }];
    expect(applyChain(records, chain).map((r) => r.topic)).toEqual(['foo-1', 'foo-2']);
  });

  test('with RecordIsTombstone drops tombstones', () => {
    const chain: ChainEntry[] = [{ transform: new Filter(), predicate: new RecordIsTombstone() }];
    expect(applyChain(records, chain).map((r) => r.value)).toEqual([1, 2]);
  });
});

describe("TimestampRouter: Kafka's and Confluent's documented examples", () => {
  const router = (config: Record<string, string>) => {
    const t = new TimestampRouter();
    t.configure(config);
    return t;
  };
  const at = Date.UTC(2018, 11, 20, 10, 30); // 2018-12-20T10:30Z

  test('the defaults: ${topic}-${timestamp} with yyyyMMdd, in UTC', () => {
    expect(router({}).apply(record('orders', 1, at))?.topic).toBe('orders-20181220');
  });

  test('foo-${topic}-${timestamp} with YYYYMM', () => {
    const t = router({ 'topic.format': 'foo-${topic}-${timestamp}', 'timestamp.format': 'YYYYMM' });
    expect(t.apply(record('test', 1, at))?.topic).toBe('foo-test-201812');
    // 30 December 2018 lies in week 1 of 2019 (US weeks), so Java's YYYY says 2019.
    expect(t.apply(record('test', 1, Date.UTC(2018, 11, 30)))?.topic).toBe('foo-test-201912');
  });

  test('a topic holding $ or ${timestamp} is put in as it is, then formatted like the rest', () => {
    expect(router({ 'topic.format': '${topic}' }).apply(record('a$1', 1, at))?.topic).toBe('a$1');
  });

  test('a pattern letter Java does not know is refused, naming the key', () => {
    expect(() => router({ 'timestamp.format': 'yyyyq' })).toThrow(
      /Illegal pattern character 'q'.*"timestamp.format"/,
    );
  });
});
