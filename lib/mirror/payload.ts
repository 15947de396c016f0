import { z } from 'zod';

/** The version of the state-change payload; consumers check it before reading the rest. */
export const STATE_CHANGE_FORMAT = 1;

export const MIRRORED_KINDS = [
  'connector',
  'taskConfigs',
  'connectorStatus',
  'task',
  'offset',
] as const;

/** The kinds of items mirrored; the coordinator's own lease is internal and is not. */
export type MirroredKind = (typeof MIRRORED_KINDS)[number];

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

/** A plain JSON value, as a state item's attribute reads in a state topic. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What a state topic message holds (its body, as JSON): the wire format other tools read, and
 * restore checks. lib/mirror/README.md describes it for people.
 */
export const stateChangePayloadSchema = z.strictObject({
  format: z.literal(STATE_CHANGE_FORMAT),
  kind: z.enum(MIRRORED_KINDS),
  /** The item's key in the state table: last version per key wins. */
  key: z.strictObject({ pk: z.string().min(1), sk: z.string().min(1) }),
  /** The item's attributes as plain JSON (configs masked); null when deleted (a tombstone). */
  value: z.record(z.string(), jsonValue).nullable(),
  /** Orders the changes of a key, also across tables: compare as strings, greater is later. */
  version: z.string().regex(/^\S+:\d{40}$/, 'must be <stream label>:<40-digit sequence number>'),
  /** When the change was made, epoch ms (to the second, as the stream gives it). */
  time: z.number().int().nonnegative(),
});

export type StateChangePayload = z.infer<typeof stateChangePayloadSchema>;
