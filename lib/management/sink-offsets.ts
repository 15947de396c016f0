import { z } from 'zod';
import { NonRetriableError } from '../api/errors.js';
import type { OffsetEntry } from '../api/source-offsets.js';

/**
 * A sink connector's offsets (KIP-875 for sinks): its RocketMQ consumer group's position in
 * each queue of the topics it reads. Kafka Connect shows a sink's offsets as
 * `{"partition": {"kafka_topic", "kafka_partition"}, "offset": {"kafka_offset"}}`; here a
 * queue is named by topic, broker group and queue id, so the shape is the parallel
 * `{"partition": {"rocketmq_topic", "rocketmq_broker", "rocketmq_queue"},
 *   "offset": {"rocketmq_offset"}}`, the offset being the next message the group reads.
 */

/** One queue: a topic's queue id on one broker group. */
export interface QueueRef {
  readonly topic: string;
  readonly broker: string;
  readonly queue: number;
}

export interface QueuePosition extends QueueRef {
  /** The group's committed offset; undefined when it never committed on this queue. */
  readonly offset: number | undefined;
  /** The queue's next offset (where a group that read everything stands). */
  readonly end: number;
}

/** Moves a queue to an offset, or to its earliest message still stored. */
export interface QueueMove {
  readonly queue: QueueRef;
  readonly offset: number | 'earliest';
}

/**
 * The port to consumer groups' positions on the brokers (the adapter speaks RocketMQ's admin
 * protocol: lib/rocketmq/remoting/group-offsets.ts).
 */
export interface ConsumerGroupOffsets {
  /** Every queue of the topics, with the group's committed offset. */
  positions(group: string, topics: readonly string[]): Promise<QueuePosition[]>;
  /** Applied by the brokers to the group's next receive. */
  moveTo(group: string, moves: readonly QueueMove[]): Promise<void>;
  /** Every topic (to resolve a sink's `topics.regex`). */
  listTopics(): Promise<string[]>;
}

/** A sink offsets request that cannot be carried out as given. */
export class SinkOffsetsError extends NonRetriableError {
  override readonly name = 'SinkOffsetsError';
  readonly httpStatus = 400;
}

/** The queues where the group has committed, in the API's shape, sorted for stable output. */
export function sinkOffsetEntries(positions: readonly QueuePosition[]): OffsetEntry[] {
  return positions
    .filter((p) => p.offset !== undefined)
    .sort(
      (a, b) =>
        a.topic.localeCompare(b.topic) || a.broker.localeCompare(b.broker) || a.queue - b.queue,
    )
    .map((p) => ({
      partition: { rocketmq_topic: p.topic, rocketmq_broker: p.broker, rocketmq_queue: p.queue },
      offset: { rocketmq_offset: p.offset },
    }));
}

const partitionSchema = z.strictObject({
  rocketmq_topic: z.string().min(1),
  rocketmq_broker: z.string().min(1),
  rocketmq_queue: z.number().int().min(0),
});

const offsetSchema = z.strictObject({ rocketmq_offset: z.number().int().min(0) }).nullable();

/**
 * A PATCH body's entries as moves; a null offset moves the queue to its earliest message
 * (Kafka Connect: the committed offset is removed, and the consumer starts from its reset
 * policy, which is earliest for sinks). Throws SinkOffsetsError naming the entry at fault.
 */
export function sinkOffsetMoves(
  entries: readonly { partition: unknown; offset: unknown }[],
): QueueMove[] {
  return entries.map((entry, i) => {
    const partition = partitionSchema.safeParse(entry.partition);
    if (!partition.success) {
      throw new SinkOffsetsError(
        `offsets[${i}].partition: a sink's partition is {"rocketmq_topic": string, "rocketmq_broker": string, "rocketmq_queue": integer >= 0} (${describe(partition.error)})`,
      );
    }
    const offset = offsetSchema.safeParse(entry.offset);
    if (!offset.success) {
      throw new SinkOffsetsError(
        `offsets[${i}].offset: a sink's offset is {"rocketmq_offset": integer >= 0} or null (${describe(offset.error)})`,
      );
    }
    const p = partition.data;
    return {
      queue: { topic: p.rocketmq_topic, broker: p.rocketmq_broker, queue: p.rocketmq_queue },
      offset: offset.data === null ? 'earliest' : offset.data.rocketmq_offset,
    };
  });
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return `${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`;
}
