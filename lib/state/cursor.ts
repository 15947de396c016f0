import { z } from 'zod';
import type { Item } from './attributes.js';
import { StateInputError } from './errors.js';
import { CONNECTORS_PK } from './keys.js';

// A page cursor of listConnectors: DynamoDB's LastEvaluatedKey as base64url JSON. Cursors come
// back from clients, so decoding checks that one is exactly such a key before it reaches
// DynamoDB (which would otherwise answer a forged key with a confusing ValidationException).

const stringAttribute = z.strictObject({ S: z.string().min(1).max(1024) });
const connectorsPageKey = z.strictObject({
  pk: z.strictObject({ S: z.literal(CONNECTORS_PK) }),
  sk: stringAttribute,
});

/** The cursor for the page after the one that ended at `lastEvaluatedKey`. */
export function encodeCursor(lastEvaluatedKey: Item): string {
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/** The ExclusiveStartKey a cursor stands for; fails naming what is wrong with it. */
export function decodeCursor(cursor: string): Item {
  const bad = (why: string, cause?: unknown) =>
    new StateInputError(`page cursor ${JSON.stringify(cursor)} is invalid: ${why}`, { cause });
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw bad('it is not a base64url string');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw bad('it does not decode to JSON', error);
  }
  const parsed = connectorsPageKey.safeParse(json);
  if (!parsed.success) throw bad('it is not a cursor returned by listConnectors', parsed.error);
  return parsed.data;
}
