import { createHash } from 'node:crypto';

/** The message group of keyless records sent to a FIFO topic. */
export const NO_KEY_MESSAGE_GROUP = '__connect.no-key';

// The proxy refuses message keys and groups with control characters, and groups of 64
// characters or more (maxMessageGroupSize 64; measured: 64 is refused, 63 is sent).
const MAX_MESSAGE_GROUP = 63;
// eslint-disable-next-line no-control-regex -- control characters are what the proxy refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Whether the proxy takes this text as a message key. */
export function isValidMessageKey(text: string): boolean {
  return !CONTROL.test(text);
}

/**
 * A FIFO message group for a key: the key itself when the proxy accepts it as a group, else a
 * digest of its bytes, so that messages of one key still share one group and keep their order.
 */
export function messageGroupOf(
  keyText: string,
  keyBytes: Uint8Array = Buffer.from(keyText),
): string {
  if (keyText.length > 0 && keyText.length <= MAX_MESSAGE_GROUP && !CONTROL.test(keyText)) {
    return keyText;
  }
  const digest = createHash('sha256').update(keyBytes).digest('hex');
  return `sha256:${digest.slice(0, MAX_MESSAGE_GROUP - 'sha256:'.length)}`;
}
