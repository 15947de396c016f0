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
