/** Which tables a task reads: name matching as Confluent's lists do, and a stable share. */
import { tableText, type TableId } from '../jdbc/dialect.js';

/** A listed name (`orders` or `public.orders`) names this table. */
export function tableMatches(name: string, table: TableId): boolean {
  return name === table.name || name === tableText(table);
}

/**
 * Whether task `index` of `count` reads this table, when tables are found at run time: by a hash
 * of its name, so every task agrees without talking to the others and a new table changes no
 * other table's owner.
 */
export function ownsTable(table: TableId, index: number, count: number): boolean {
  return fnv1a(tableText(table)) % count === index;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
