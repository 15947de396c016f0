import type { ComponentPluginBase } from './plugin.js';
import type { ConnectRecord } from './record.js';

/**
 * Changes one record at a time (Kafka Connect's single message transform). It returns a new
 * record (spread the old one so that source partition and offset stay) or null to drop it.
 * Transforms are synchronous, so one bad record fails alone.
 *
 * @example
 * const upper: Transform = {
 *   configure() {},
 *   apply: (record) => ({ ...record, value: String(record.value).toUpperCase() }),
 * };
 */
export interface Transform {
  /** `config` holds the `transforms.<name>.` prefixed keys, prefix removed. */
  configure(config: Readonly<Record<string, string>>): void;
  apply<R extends ConnectRecord>(record: R): R | null;
  close?(): void;
}

/** Decides whether a transform applies to a record. */
export interface Predicate {
  /** `config` holds the `predicates.<name>.` prefixed keys, prefix removed. */
  configure(config: Readonly<Record<string, string>>): void;
  test(record: ConnectRecord): boolean;
  close?(): void;
}

/**
 * One step of a transform chain: the transform runs on records its predicate matches (or, with
 * `negate`, does not match); without a predicate it runs on every record.
 */
export interface ChainEntry {
  /** The alias from `transforms`, for error messages. */
  readonly name?: string;
  readonly transform: Transform;
  readonly predicate?: Predicate;
  readonly negate?: boolean;
}

/**
 * Runs one record through the chain; null when a transform dropped it. `running.entry` is the
 * entry at work, so that when one throws, the caller knows which (for the dead-letter context).
 */
export function applyChainToRecord<R extends ConnectRecord>(
  record: R,
  chain: readonly ChainEntry[],
  running: { entry?: ChainEntry } = {},
): R | null {
  let current = record;
  for (const entry of chain) {
    running.entry = entry;
    if (entry.predicate && entry.predicate.test(current) === (entry.negate ?? false)) continue;
    const next = entry.transform.apply(current);
    if (next === null) return null;
    current = next;
  }
  return current;
}

/**
 * Runs records through the chain in order, leaving out the ones a transform dropped. A throwing
 * transform fails the whole call: the runtime uses `applyChainToRecord` when each record's
 * failure must be handled on its own (dead-letter topic, `errors.tolerance`).
 */
export function applyChain<R extends ConnectRecord>(
  records: readonly R[],
  chain: readonly ChainEntry[],
): R[] {
  const out: R[] = [];
  for (const record of records) {
    const result = applyChainToRecord(record, chain);
    if (result !== null) out.push(result);
  }
  return out;
}

export interface TransformPlugin extends ComponentPluginBase {
  readonly type: 'transformation';
  create(): Transform;
}

export interface PredicatePlugin extends ComponentPluginBase {
  readonly type: 'predicate';
  create(): Predicate;
}
