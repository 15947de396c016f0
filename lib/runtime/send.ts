import type { Producer } from 'rocketmq-client-nodejs';
import { mapBounded } from '../util/concurrency.js';
import type { OutgoingMessage } from './message-mapping.js';

/** How one message of a batch fared: sent (its receipt is in) or failed, alone. */
export type SendOutcome =
  { readonly ok: true; readonly messageId: string } | { readonly ok: false; readonly error: Error };

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
