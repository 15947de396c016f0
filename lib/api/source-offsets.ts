import { NonRetriableError } from './errors.js';

/**
 * A source partition and its offset: opaque JSON objects, as in Kafka Connect. Connectors keep
 * the original connector's shapes (Confluent's, Debezium's, RocketMQ Connect's), so offsets carry
 * over unchanged; integers past 2^53 travel as strings.
 */
export type SourcePartition = Readonly<Record<string, unknown>>;
export type SourceOffset = Readonly<Record<string, unknown>>;

/** One partition's committed offset. */
export interface OffsetEntry {
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

/**
 * A field of a committed offset that must be a non-negative safe integer. Anything else was
 * written by someone else (an offsets PATCH, another plugin): resuming from a guess is worse
 * than stopping, as Kafka's FileStreamSourceTask does.
 */
export function offsetNumber(value: unknown, field: string, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new NonRetriableError(`the committed offset of ${what} has a bad "${field}"`);
}
