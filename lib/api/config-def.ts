/**
 * How a plugin describes its config keys to people: what `GET /connector-plugins/{p}/config`
 * and the validate endpoint show. Parsing is the zod `configSchema`'s job; this is the manual.
 */

/** Kafka Connect's `ConfigDef.Type` names, so that existing tools read them. */
export type ConfigKeyType =
  'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';

export type ConfigImportance = 'HIGH' | 'MEDIUM' | 'LOW';

export type ConfigWidth = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';

/** One config key of a plugin. */
export interface ConfigKeyDef {
  readonly name: string;
  readonly type: ConfigKeyType;
  /** The default as the string a user would write; absent when there is none. */
  readonly default?: string;
  /** True when the key has no default and must be given. */
  readonly required: boolean;
  readonly importance: ConfigImportance;
  readonly documentation: string;
  readonly group?: string;
  /**
   * The value is a secret (a password, a token): masked in every response and log. Keys of
   * type PASSWORD are secret whatever this says.
   */
  readonly secret?: boolean;
  readonly displayName?: string;
  readonly width?: ConfigWidth;
  /** Keys whose meaning depends on this one. */
  readonly dependents?: readonly string[];
}

/** Whether a key definition holds a secret. */
export function isSecretDef(def: ConfigKeyDef): boolean {
  return def.secret === true || def.type === 'PASSWORD';
}
