import type { z } from 'zod';
import { ConfigError } from '../api/errors.js';

/** The version every built-in plugin reports. */
export const BUILTIN_VERSION = '1.0.0';

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
