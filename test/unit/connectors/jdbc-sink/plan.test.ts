import { describe, expect, it } from 'vitest';
import { planGroups } from '../../../../lib/connectors/jdbc-sink/plan.js';
import type { SinkRow } from '../../../../lib/connectors/jdbc-sink/rows.js';

const write = (id: number, v = ''): SinkRow => ({
  table: 't',
  kind: 'write',
  key: [{ name: 'id', schema: undefined, value: id }],
  values: [{ name: 'v', schema: undefined, value: `${id}${v}` }],
});
const del = (id: number): SinkRow => ({
  table: 't',
  kind: 'delete',
  key: [{ name: 'id', schema: undefined, value: id }],
  values: [],
});

/** Groups as `kind: values or keys`. */
function shape(rows: SinkRow[], lastWins = true): string[] {
  return planGroups(rows, lastWins).map(
    (g) =>
      `${g.kind}: ${g.rows.map((r) => String((g.kind === 'write' ? r.values : r.key)[0]?.value)).join(',')}`,
  );
}

describe('the order rows are written in', () => {
  it('is one group for writes of distinct keys', () => {
    expect(shape([write(1), write(2), write(3)])).toEqual(['write: 1,2,3']);
  });

  it('keeps the last write of a key when the last one wins (upsert, update)', () => {
    expect(shape([write(1, 'a'), write(2), write(1, 'b')])).toEqual(['write: 2,1b']);
  });

  it('keeps every write of plain inserts, so that a key twice fails as it would alone', () => {
    expect(shape([write(1, 'a'), write(1, 'b')], false)).toEqual(['write: 1a,1b']);
  });

  it('puts a delete after the write of its key, and a write again after that delete', () => {
    expect(shape([write(1), del(1), write(1, 'again')])).toEqual([
      'write: 1',
      'delete: 1',
      'write: 1again',
    ]);
  });

  it('lets writes and deletes of other keys join the groups before', () => {
    expect(shape([write(1), del(2), write(3), del(4), write(2, 'back')])).toEqual([
      'write: 1,3',
      'delete: 2,4',
      'write: 2back',
    ]);
  });

  it('writes rows without a key in one group, in order', () => {
    const keyless = (v: string): SinkRow => ({
      table: 't',
      kind: 'write',
      key: [],
      values: [{ name: 'v', schema: undefined, value: v }],
    });
    expect(shape([keyless('a'), keyless('a'), keyless('b')])).toEqual(['write: a,a,b']);
  });
});
