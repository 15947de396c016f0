import { describe, expect, it } from 'vitest';
import type { ConnectRecord, SourceRecord } from '../../../lib/api/record.js';
import { lastHeader } from '../../../lib/api/record.js';
import {
  applyChain,
  applyChainToRecord,
  type ChainEntry,
  type Predicate,
  type Transform,
} from '../../../lib/api/transform.js';

function record(value: string, topic = 'orders'): SourceRecord {
  return {
    topic,
    partition: { file: 'in.txt' },
    offset: { line: value.length },
    timestamp: 0,
    key: null,
    value,
    headers: [],
  };
}

const upper: Transform = {
  configure() {},
  apply: (r) => ({ ...r, value: String(r.value).toUpperCase() }),
};
const exclaim: Transform = {
  configure() {},
  apply: (r) => ({ ...r, value: `${String(r.value)}!` }),
};
const dropEmpty: Transform = {
  configure() {},
  apply: (r) => (r.value === '' ? null : r),
};
const topicIs = (topic: string): Predicate => ({
  configure() {},
  test: (r: ConnectRecord) => r.topic === topic,
});

const values = (records: readonly ConnectRecord[]) => records.map((r) => r.value);

describe('applyChain', () => {
  it('runs every transform in order', () => {
    const chain: ChainEntry[] = [{ transform: upper }, { transform: exclaim }];
    expect(values(applyChain([record('a'), record('b')], chain))).toEqual(['A!', 'B!']);
  });

  it('drops records a transform turns into null, keeping their neighbours', () => {
    const chain: ChainEntry[] = [{ transform: dropEmpty }, { transform: upper }];
    expect(values(applyChain([record('a'), record(''), record('c')], chain))).toEqual(['A', 'C']);
  });

  it('applies a transform only to records its predicate matches', () => {
    const chain: ChainEntry[] = [{ transform: upper, predicate: topicIs('orders') }];
    const out = applyChain([record('a', 'orders'), record('b', 'audit')], chain);
    expect(values(out)).toEqual(['A', 'b']);
  });

  it('with negate, applies it only to records its predicate does not match', () => {
    const chain: ChainEntry[] = [{ transform: upper, predicate: topicIs('orders'), negate: true }];
    const out = applyChain([record('a', 'orders'), record('b', 'audit')], chain);
    expect(values(out)).toEqual(['a', 'B']);
  });

  it("keeps each record's source partition and offset", () => {
    const [out] = applyChain([record('abc')], [{ transform: upper }]);
    expect(out?.partition).toEqual({ file: 'in.txt' });
    expect(out?.offset).toEqual({ line: 3 });
  });

  it('leaves records as they are with an empty chain', () => {
    const r = record('a');
    expect(applyChainToRecord(r, [])).toBe(r);
    expect(applyChain([], [{ transform: upper }])).toEqual([]);
  });

  it('lets a throwing transform fail the call, for the runtime to handle per record', () => {
    const boom: Transform = {
      configure() {},
      apply: () => {
        throw new Error('boom');
      },
    };
    expect(() => applyChainToRecord(record('a'), [{ transform: boom }])).toThrow('boom');
  });
});

describe('lastHeader', () => {
  it('returns the value of the last header with the key', () => {
    const headers = [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ];
    expect(lastHeader(headers, 'a')).toBe('3');
    expect(lastHeader(headers, 'c')).toBeUndefined();
  });
});
