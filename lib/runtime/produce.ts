import type { OutgoingMessage } from './message-mapping.js';
import type { MessageProducer } from './messaging.js';
import { attempt, producePolicy, type ErrorPolicy, type Staged } from './error-policy.js';
import type { SliceEnv } from './slice-context.js';

/** Who sends, as the dead-letter context names it. */
export const PRODUCER_CLASS = 'org.apache.rocketmq.client.apis.producer.Producer';

/**
 * Sends a batch and waits for every receipt. A message that fails is retried alone (retriable
 * failures, for at least MIN_PRODUCE_RETRY_MS), then judged by the policy: under
 * tolerance=none the task fails; under all it is returned as failed, for the dead-letter topic.
 */
export async function produceAll(
  env: SliceEnv,
  producer: MessageProducer,
  messages: readonly OutgoingMessage[],
  policy: ErrorPolicy = env.policy,
): Promise<Staged<string>[]> {
  if (messages.length === 0) return [];
  const outcomes = await producer.send(messages);
  const results: Staged<string>[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.ok) {
      results.push({ ok: true, value: outcome.messageId });
      continue;
    }
    const message = messages[i] as OutgoingMessage;
    // The first try already happened in the batch: replay its failure, then send it alone.
    let first: Error | undefined = outcome.error;
    results.push(
      await attempt(
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
      ),
    );
  }
  return results;
}
