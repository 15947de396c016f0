import { z } from 'zod';
import type { ConfigKeyDef } from './config-def.js';
import { ConfigError } from './errors.js';

/**
 * How every plugin (connector, converter, transform, predicate) declares its keys: once, in one
 * table whose entries hold what people read (`configDef`, shown by
 * `GET /connector-plugins/{p}/config` and the validate endpoint) next to how the value is
 * parsed (`configSchema`), so the two cannot drift apart.
 *
 * @example
 * const keys = pluginKeys({
 *   file: requiredKey({ type: 'STRING', importance: 'HIGH', documentation: 'The file.' }, textValue()),
 *   'batch.size': defaultedKey(
 *     { type: 'INT', importance: 'LOW', documentation: 'Lines per poll.' }, '2000', intValue({ min: 1 })),
 * });
 * // in the plugin: `...keys`; where it starts: parsePluginConfig('MyTask', keys.configSchema, config)
 */

/** One key of a plugin: what people read and how it is parsed, side by side so they agree. */
export interface KeySpec<S extends z.ZodType = z.ZodType> {
  readonly def: Omit<ConfigKeyDef, 'name'>;
  readonly schema: S;
}

/** What a key's entry says about it besides its name, whether it is required, and its default. */
export type KeyDoc = Omit<ConfigKeyDef, 'name' | 'required' | 'default'>;

/** A key that must be given. */
export function requiredKey<S extends z.ZodType>(doc: KeyDoc, schema: S): KeySpec<S> {
  return { def: { ...doc, required: true }, schema };
}

/** A key that may be left out, with no default: the plugin reads undefined then. */
export function optionalKey<S extends z.ZodType>(doc: KeyDoc, schema: S) {
  return { def: { ...doc, required: false }, schema: schema.optional() };
}

/** A key with a default, given as the string a user would write so the manual shows it as is. */
export function defaultedKey<S extends z.ZodType<unknown, string>>(
  doc: KeyDoc,
  value: string,
  schema: S,
) {
  return {
    def: { ...doc, required: false, default: value },
    schema: z.string().default(value).pipe(schema),
  };
}

/**
 * A plugin's `configDef` (in the table's order) and `configSchema` from one table. The schema is
 * a non-strict object: other keys pass, since a plugin receives the whole config.
 */
export function pluginKeys<T extends Readonly<Record<string, KeySpec>>>(keys: T) {
  const shape = Object.fromEntries(Object.entries(keys).map(([name, k]) => [name, k.schema]));
  return {
    configDef: Object.entries(keys).map(([name, k]): ConfigKeyDef => ({ name, ...k.def })),
    configSchema: z.object(shape as { [K in keyof T]: T[K]['schema'] }),
  };
}

/**
 * Parses a plugin's own keys with its `configSchema` where the plugin starts (a task, a
 * converter, a transform), failing on the first bad key with a ConfigError naming it. Configs are
 * validated before they are stored, but `${...}` references are only resolved now, and a
 * component built by hand must fail just as clearly.
 */
export function parsePluginConfig<S extends z.ZodType>(
  owner: string,
  schema: S,
  config: Readonly<Record<string, string>>,
): z.output<S> {
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = typeof issue?.path[0] === 'string' ? issue.path[0] : '';
  const reason =
    config[key] === undefined
      ? 'Missing required configuration'
      : `Invalid value for configuration: ${issue?.message ?? 'invalid'}`;
  throw new ConfigError(key, `${owner}: ${reason} "${key}"`);
}
