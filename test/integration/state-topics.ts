import { randomBytes } from 'node:crypto';
import type { StateChangePayload } from '../../lib/mirror/payload.js';
import type { StateTopics } from '../../lib/mirror/state-change.js';
import { rocketMqStateTopicReader } from '../../lib/restore/state-topic-reader.js';

/** Every payload in the three state topics, duplicates included, read by a new consumer group. */
export async function readStateTopics(
  endpoint: string,
  topics: StateTopics,
): Promise<StateChangePayload[]> {
  const payloads: StateChangePayload[] = [];
  const reader = rocketMqStateTopicReader(
    { endpoints: endpoint },
    { topics, consumerGroup: `state-reader-${randomBytes(4).toString('hex')}` },
  );
  await reader.read(
    (change) => payloads.push(change),
    () => undefined,
  );
  return payloads;
}
