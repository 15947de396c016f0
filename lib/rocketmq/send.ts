import type { Producer } from 'rocketmq-client-nodejs';
import type { OutgoingMessage } from '../runtime/message-mapping.js';
import type { SendOutcome } from '../runtime/messaging.js';
import { mapBounded } from '../util/concurrency.js';

/**
 * Sends a batch with at most `maxInFlight` sends outstanding and resolves once every message
 * has its receipt or its failure: offsets may only be committed for what is durable, and one
 * bad message must not sink its neighbours (the error policy decides about it alone).
 */
export function sendAll(
  producer: Pick<Producer, 'send'>,
  messages: readonly OutgoingMessage[],
  maxInFlight: number,
): Promise<SendOutcome[]> {
  return mapBounded(messages, maxInFlight, async (message): Promise<SendOutcome> => {
    try {
      const receipt = await producer.send(message);
      return { ok: true, messageId: receipt.messageId };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
}
