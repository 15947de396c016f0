import { itemToJson } from '../../../lib/mirror/item-json.js';
import type { MirroredKind, StateChangePayload } from '../../../lib/mirror/payload.js';
import { keyOf, type Item } from '../../../lib/state/attributes.js';
import { connectorItem, connectorStatusItem, taskConfigsItem } from '../../../lib/state/items.js';
import type { TargetState } from '../../../lib/state/types.js';

// State changes as the mirror publishes them, for the restore's tests.

export const NOW = 1_800_000_000_000;

/** The stream label of the first table; a table created again later has a greater one. */
export const FIRST_TABLE = '2026-01-01T00:00:00.000';
export const SECOND_TABLE = '2026-06-01T00:00:00.000';

/** A change's version: `<label>:<40-digit sequence number>`. */
export const version = (seq: number, label = FIRST_TABLE): string =>
  `${label}:${String(seq).padStart(40, '0')}`;

/** The change that put `item` (as the mirror writes it: plain JSON), at version `seq`. */
export function put(
  kind: MirroredKind,
  item: Item,
  seq: number,
  label?: string,
): StateChangePayload {
  const key = keyOf(item)!;
  return { format: 1, kind, key, value: itemToJson(item), version: version(seq, label), time: NOW };
}

/** The change that deleted `item`. */
export function remove(kind: MirroredKind, item: Item, seq: number): StateChangePayload {
  return { ...put(kind, item, seq), value: null };
}

export const connector = (
  name: string,
  config: Record<string, string>,
  v = 1,
  targetState: TargetState = 'RUNNING',
): Item =>
  connectorItem({
    name,
    config,
    targetState,
    version: v,
    createdAt: NOW,
    updatedAt: NOW + v,
  });

export const taskConfigs = (name: string, tasks: Record<string, string>[]): Item =>
  taskConfigsItem({ connector: name, generation: 1, configVersion: 1, tasks }, NOW);

export const status = (name: string, trace?: string): Item =>
  connectorStatusItem({
    connector: name,
    state: trace === undefined ? 'RUNNING' : 'FAILED',
    ...(trace === undefined ? {} : { trace }),
    updatedAt: NOW,
  });

/** A source offset item: partition and offset are stored as JSON text. */
export const offset = (name: string, file: string, position: number): Item => ({
  pk: { S: `offsets#${name}` },
  sk: { S: JSON.stringify({ file }) },
  connector: { S: name },
  partition: { S: JSON.stringify({ file }) },
  offset: { S: JSON.stringify({ position }) },
  epoch: { N: '1' },
  seq: { N: String(position) },
  updatedAt: { N: String(NOW) },
});
