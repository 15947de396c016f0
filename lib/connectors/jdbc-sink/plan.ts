/**
 * The order a table's rows are written in. Rows run in groups of one kind (writes or deletes)
 * that execute one after the other, each as few multi-row statements; a row joins the last group
 * of its kind unless a later group holds its key, so a delete after a write of the same key (or a
 * write after its delete) always comes after it, as the records do. Pure.
 */
import type { ColumnValue, SinkRow } from './rows.js';
import { jsonText } from './values.js';

export interface RowGroup {
  readonly kind: 'write' | 'delete';
  readonly rows: SinkRow[];
}

/** A key as text, to find rows of the same key: two values the database takes as equal. */
export function keyText(key: readonly ColumnValue[]): string {
  return key.map((c) => jsonText(c.value, c.schema)).join('\u0000');
}

/**
 * A table's rows (in record order) as groups to run in order. `lastWins` (upsert, update, and
 * every delete): of the rows of one key in a group, only the last is kept, as writing them all
 * would leave it; PostgreSQL's ON CONFLICT even refuses one key twice in a statement. Plain
 * inserts keep every row, so that a key twice fails as it would one by one.
 */
export function planGroups(rows: readonly SinkRow[], lastWins: boolean): RowGroup[] {
  // Rows by key (or by a serial number where every row is kept), and every key a group holds.
  const groups: { kind: RowGroup['kind']; rows: Map<string, SinkRow>; keys: Set<string> }[] = [];
  let serial = 0;
  for (const row of rows) {
    const key = row.key.length === 0 ? undefined : keyText(row.key);
    const last = groups.at(-1);
    let target = last?.kind === row.kind ? last : undefined;
    // Groups alternate in kind: the one before the last is of this row's kind, and the row may
    // join it when the last one (of the other kind) does not hold its key.
    const before = groups.at(-2);
    if (!target && before && key !== undefined && !last?.keys.has(key)) target = before;
    if (!target) {
      target = { kind: row.kind, rows: new Map(), keys: new Set() };
      groups.push(target);
    }
    if (key !== undefined && (lastWins || row.kind === 'delete')) {
      target.rows.delete(key);
      target.rows.set(key, row);
    } else {
      target.rows.set(`\u0001${serial++}`, row);
    }
    if (key !== undefined) target.keys.add(key);
  }
  return groups.map((g) => ({ kind: g.kind, rows: [...g.rows.values()] }));
}
