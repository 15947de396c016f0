import { type ConfigKeyDef, isSecretDef } from '../api/config-def.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import { isOnlyReferences } from './references.js';

/** What a masked value reads as (Kafka Connect's word for it). */
export const HIDDEN = '[hidden]';

// Keys that hold secrets by their name, whatever the plugin says. `user.info` is the Schema
// Registry's `basic.auth.user.info` (user:password).
const SECRET_KEY =
  /(password|passwd|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config|user[._-]?info)/i;

/** Whether a key holds a secret: by its name, or because one of `defs` says so. */
export function isSecretKey(key: string, defs: readonly ConfigKeyDef[] = []): boolean {
  return SECRET_KEY.test(key) || defs.some((d) => d.name === key && isSecretDef(d));
}

/**
 * The value to show for a key: `[hidden]` for a secret key, unless the value is only `${...}`
 * references (those say where the secret lives, not what it is).
 */
export function maskValue(key: string, value: string, defs: readonly ConfigKeyDef[] = []): string {
  return isSecretKey(key, defs) && !isOnlyReferences(value) ? HIDDEN : value;
}

/**
 * A copy of a config safe to return or log: values of secret keys (by name, or marked secret in
 * the plugin's `configDef`) read `[hidden]`; `${...}` references are shown as they are.
 */
export function maskConfig(
  config: ConnectorConfig,
  plugin?: { readonly configDef?: readonly ConfigKeyDef[] },
): Record<string, string> {
  const defs = plugin?.configDef ?? [];
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, maskValue(key, value, defs)]),
  );
}
