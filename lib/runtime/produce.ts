import type { OutgoingMessage } from './message-mapping.js';
import type { MessageProducer } from './messaging.js';
import { attempt, producePolicy, type ErrorPolicy, type Staged } from './error-policy.js';
import type { SliceEnv } from './slice-context.js';
import { mapBounded } from '../util/concurrency.js';
import { groupBy } from '../util/group-by.js';

/** Who sends, as the dead-letter context names it. */
export const PRODUCER_CLASS = 'org.apache.rocketmq.client.apis.producer.Producer';

/**
 * Sends a batch and waits for every receipt. A message that fails is retried alone (retriable
 * failures, for at least MIN_PRODUCE_RETRY_MS), then judged by the policy: under
 * tolerance=none the task fails; under all it is returned as failed, for the dead-letter topic.
 * Failed messages are retried side by side, but those of one FIFO message group one after the
 * other, in their order, so the group keeps it.
 */
export async function produceAll(
  env: SliceEnv,
  producer: MessageProducer,
  messages: readonly OutgoingMessage[],
  policy: ErrorPolicy = env.policy,
): Promise<Staged<string>[]> {
  if (messages.length === 0) return [];
  const outcomes = await producer.send(messages);
  const results = new Array<Staged<string>>(messages.length);
  const failed: { index: number; error: Error }[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.ok) results[index] = { ok: true, value: outcome.messageId };
    else failed.push({ index, error: outcome.error });
  }
  if (failed.length === 0) return results;
  // Messages without a group each form their own.
  const groups = groupBy(failed, ({ index }) => {
    const m = messages[index] as OutgoingMessage;
    return m.messageGroup === undefined ? index : `${m.topic}\u0000${m.messageGroup}`;
  });
  await mapBounded([...groups.values()], groups.size, async (group) => {
    for (const { index, error } of group) {
      results[index] = await retryAlone(
        env,
        producer,
        messages[index] as OutgoingMessage,
        error,
        policy,
      );
    }
  });
  return results;
}

/** The first try already happened in the batch: its failure is replayed, then it is sent alone. */
function retryAlone(
  env: SliceEnv,
  producer: MessageProducer,
  message: OutgoingMessage,
  firstFailure: Error,
  policy: ErrorPolicy,
): Staged<string> | Promise<Staged<string>> {
  let first: Error | undefined = firstFailure;
  return attempt(
    env,
    'KAFKA_PRODUCE',
    PRODUCER_CLASS,
    async () => {
      if (first) {
        const error = first;
        first = undefined;
        throw error;
      }
      const [again] = await producer.send([message]);
      if (!again) throw new Error(`no outcome for message to ${message.topic}`);
      if (!again.ok) throw again.error;
      return again.messageId;
    },
    producePolicy(policy),
  );
}
