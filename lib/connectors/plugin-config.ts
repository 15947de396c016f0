import { z } from 'zod';
import type { ConfigKeyDef } from '../api/config-def.js';
import { NonRetriableError } from '../api/errors.js';

/** One key of a plugin: what people read and how it is parsed, side by side so they agree. */
export interface KeySpec<S extends z.ZodType = z.ZodType> {
  readonly def: Omit<ConfigKeyDef, 'name'>;
  readonly schema: S;
}

type Doc = Omit<ConfigKeyDef, 'name' | 'required' | 'default'>;

export function requiredKey<S extends z.ZodType>(doc: Doc, schema: S): KeySpec<S> {
  return { def: { ...doc, required: true }, schema };
}

/** A key with a default, given as the string a user would write so the manual shows it as is. */
export function defaultedKey<S extends z.ZodType<unknown, string>>(
  doc: Doc,
  value: string,
  schema: S,
) {
  return {
    def: { ...doc, required: false, default: value },
    schema: z.string().default(value).pipe(schema),
  };
}

/**
 * A plugin's `configDef` and `configSchema` from one table, so the documented keys and the
 * parsed keys cannot drift apart. The schema is a non-strict object: other keys pass.
 */
export function pluginKeys<T extends Record<string, KeySpec>>(keys: T) {
  const shape = Object.fromEntries(Object.entries(keys).map(([name, k]) => [name, k.schema]));
  return {
    configDef: Object.entries(keys).map(([name, k]): ConfigKeyDef => ({ name, ...k.def })),
    configSchema: z.object(shape as { [K in keyof T]: T[K]['schema'] }),
  };
}

/**
 * A field of a committed offset that must be a non-negative safe integer. Anything else was
 * written by someone else (an offsets PATCH, another plugin): resuming from a guess is worse
 * than stopping, as Kafka's FileStreamSourceTask does.
 */
export function offsetNumber(value: unknown, field: string, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new NonRetriableError(`the committed offset of ${what} has a bad "${field}"`);
}
