import type { SourceOffset, SourcePartition } from '../api/source-offsets.js';
import type { Schema } from './schema.js';

/** One header; a record may hold several with the same key, in order. */
export interface ConnectHeader {
  readonly key: string;
  readonly value: string;
}

/** A record's headers, in order (RocketMQ message properties, Kafka record headers). */
export type ConnectHeaders = readonly ConnectHeader[];

/**
 * One record on its way between an external system and RocketMQ: what source tasks return from
 * `poll()`, what transforms change and what sink tasks receive in `put()`. Values are held as
 * `validateValue` (schema-validation.ts) describes; the schemas are optional.
 */
export interface ConnectRecord {
  /**
   * The RocketMQ topic. A source record may leave it to the connector's `topic` key: the runtime
   * fills that in before the transforms run, so they see the topic as Kafka's would.
   */
  readonly topic?: string;
  /** Where the record comes from in the source system; undefined for sink records. */
  readonly partition: SourcePartition | undefined;
  /** How far the source had read with this record; undefined for sink records. */
  readonly offset: SourceOffset | undefined;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly key: unknown;
  readonly keySchema?: Schema;
  readonly value: unknown;
  readonly valueSchema?: Schema;
  readonly headers: ConnectHeaders;
}

/** A record from a source task: it carries the partition and offset to commit once it is sent. */
export interface SourceRecord extends ConnectRecord {
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

/** A record delivered to a sink task: it always names the topic it was consumed from. */
export interface SinkRecord extends ConnectRecord {
  readonly topic: string;
  /**
   * The queue of the topic it was read from and its offset there: Kafka's `kafkaPartition` and
   * `kafkaOffset` (the JDBC sink's pk.mode=kafka). Undefined where the consumer does not say
   * (the proxy's gRPC consumer gives no queue id). Queue ids repeat across broker groups.
   */
  readonly queueId?: number;
  readonly queueOffset?: number;
}

/** The value of the last header with this key, as Kafka Connect's `Headers.lastWithName`. */
export function lastHeader(headers: ConnectHeaders, key: string): string | undefined {
  return headers.findLast((h) => h.key === key)?.value;
}
