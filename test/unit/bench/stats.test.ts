import { describe, expect, test } from 'vitest';
import { formatTable, percentile } from '../../../bench/stats.js';

describe('percentile', () => {
  test('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted input
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  test('refuses no samples and a percentile out of range', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
  });
});

describe('formatTable', () => {
  test('aligns columns and shows a dash for figures a row does not have', () => {
    const table = formatTable([
      { benchmark: 'produce', setting: 'in-flight 1', count: 1000, perSecond: 812.4 },
      { benchmark: 'dynamodb', setting: 'conditional put', count: 2000, p50Ms: 1.234, p99Ms: 4.5 },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^produce\s+in-flight 1\s+1000\s+812\s+-\s+-\s+-$/);
    expect(lines[3]).toMatch(/conditional put\s+2000\s+-\s+-\s+1\.23\s+4\.50$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
