import type { ConfigKeyDef } from '../api/config-def.js';
import { ConfigError, PluginNotFoundError } from '../api/errors.js';
import type { ComponentKind, ComponentOf, PluginRegistry } from '../api/registry.js';
import type { ConfigAnalysis } from './analysis.js';
import { COMMON_KEYS, type CommonKeyValues } from './common-keys.js';
import { boolValue } from '../api/config-values.js';

/** A converter, transform or predicate to create: its plugin and its own settings. */
export interface ComponentConfig {
  /** The plugin's class name, as the registry knows it (whatever alias the config used). */
  readonly className: string;
  /** Its prefixed keys with the prefix removed, e.g. `schemas.enable` of `value.converter.*`. */
  readonly config: Readonly<Record<string, string>>;
}

export interface TransformConfig extends ComponentConfig {
  /** Its name in `transforms`. */
  readonly name: string;
  /** The name (in `predicates`) of the predicate that decides which records it changes. */
  readonly predicate?: string;
  /** Change the records the predicate does not match instead. */
  readonly negate: boolean;
}

export interface PredicateConfig extends ComponentConfig {
  readonly name: string;
}

export interface Components {
  readonly keyConverter?: ComponentConfig;
  readonly valueConverter?: ComponentConfig;
  readonly headerConverter?: ComponentConfig;
  readonly transforms: readonly TransformConfig[];
  readonly predicates: readonly PredicateConfig[];
}

/** Key prefixes whose keys belong to components, not to the connector plugin. */
export const COMPONENT_PREFIXES = [
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'transforms.',
  'predicates.',
] as const;

/**
 * The keys of a chain entry that are not the plugin's own. `class` is RocketMQ Connect's
 * spelling of Kafka's `type`.
 */
const CHAIN_KEYS = ['type', 'class', 'predicate', 'negate'];

/** The common keys that name components. */
type ComponentListKey =
  'key.converter' | 'value.converter' | 'header.converter' | 'transforms' | 'predicates';

/**
 * Resolves the converters, predicates and transforms a config names, and checks each one's
 * settings against its plugin. Every problem lands on the key to fix; returns undefined then.
 */
export function parseComponents(
  a: ConfigAnalysis,
  registry: PluginRegistry,
): Components | undefined {
  const before = a.problemCount();
  // Read on their own (a bad value was reported with the common keys), so that component
  // problems are found even when some other common key is wrong.
  const own = <K extends ComponentListKey>(key: K): CommonKeyValues[K] | undefined => {
    if (a.referenceKeys.has(key)) return undefined;
    const parsed = COMMON_KEYS[key].schema.safeParse(a.config[key]);
    return parsed.success ? (parsed.data as CommonKeyValues[K]) : undefined;
  };
  const lists = { predicates: own('predicates') ?? [], transforms: own('transforms') ?? [] };
  const converter = (role: 'key' | 'value' | 'header') => {
    const key = `${role}.converter` as const;
    const className = own(key);
    if (className === undefined) return undefined;
    return component(a, registry, 'converter', key, className, `${key}.`, []);
  };
  const keyConverter = converter('key');
  const valueConverter = converter('value');
  const headerConverter = converter('header');
  const predicates = lists.predicates.flatMap((name): PredicateConfig[] => {
    const prefix = `predicates.${name}.`;
    const type = chainType(a, prefix, 'Predicates', 'predicates');
    if (type === undefined) return [];
    const found = component(a, registry, 'predicate', type.key, type.className, prefix, CHAIN_KEYS);
    return found ? [{ name, ...found }] : [];
  });
  const transforms = lists.transforms.flatMap((name): TransformConfig[] => {
    const prefix = `transforms.${name}.`;
    const type = chainType(a, prefix, 'Transforms', 'transforms');
    const predicate = chainPredicate(a, prefix, lists.predicates);
    const negate = chainNegate(a, prefix);
    if (type === undefined) return [];
    const found = component(
      a,
      registry,
      'transformation',
      type.key,
      type.className,
      prefix,
      CHAIN_KEYS,
    );
    if (!found || negate === undefined) return [];
    return [{ name, ...found, negate, ...(predicate !== undefined && { predicate }) }];
  });
  if (a.problemCount() > before) return undefined;
  return {
    ...(keyConverter && { keyConverter }),
    ...(valueConverter && { valueConverter }),
    ...(headerConverter && { headerConverter }),
    transforms,
    predicates,
  };
}

/**
 * `<prefix>type` (or RocketMQ Connect's `<prefix>class`), required for every listed transform or
 * predicate; with the key it was found under, for messages.
 */
function chainType(
  a: ConfigAnalysis,
  prefix: string,
  group: string,
  listKey: string,
): { key: string; className: string } | undefined {
  const typeKey = `${prefix}type`;
  const classKey = `${prefix}class`;
  const name = prefix.slice(listKey.length + 1, -1);
  const [type, klass] = [a.config[typeKey]?.trim(), a.config[classKey]?.trim()];
  if (type && klass && type !== klass) {
    a.problem(classKey, `${classKey} names another class than ${typeKey}: give only one of them`);
    return undefined;
  }
  const key = type || !klass ? typeKey : classKey;
  a.list(key, {
    name: key,
    type: 'CLASS',
    required: true,
    importance: 'HIGH',
    documentation: `Class of the ${listKey === 'transforms' ? 'transform' : 'predicate'} "${name}".`,
    group: `${group}: ${name}`,
  });
  const value = a.config[key]?.trim();
  if (value === undefined || value === '') {
    a.missing(
      key,
      ` "${name}" is listed in ${listKey}, so it needs a type (or class, as RocketMQ Connect spells it).`,
    );
    return undefined;
  }
  if (a.referenceKeys.has(key)) {
    a.problem(
      key,
      `${key} cannot hold a \${...} reference: the class is chosen before references resolve`,
    );
    return undefined;
  }
  return { key, className: value };
}

function chainPredicate(
  a: ConfigAnalysis,
  prefix: string,
  predicates: readonly string[],
): string | undefined {
  const key = `${prefix}predicate`;
  const group = `Transforms: ${prefix.slice('transforms.'.length, -1)}`;
  a.list(key, {
    name: key,
    type: 'STRING',
    required: false,
    importance: 'MEDIUM',
    documentation:
      'Name of a predicate (from predicates): the transform changes only matching records.',
    group,
  });
  const value = a.config[key]?.trim();
  if (value === undefined || value === '') return undefined;
  if (!predicates.includes(value)) {
    a.invalid(key, `predicate "${value}" is not listed in predicates`);
    return undefined;
  }
  return value;
}

function chainNegate(a: ConfigAnalysis, prefix: string): boolean | undefined {
  const key = `${prefix}negate`;
  a.list(key, {
    name: key,
    type: 'BOOLEAN',
    default: 'false',
    required: false,
    importance: 'LOW',
    documentation: 'Change the records the predicate does not match instead.',
    group: `Transforms: ${prefix.slice('transforms.'.length, -1)}`,
  });
  const value = a.config[key];
  if (value === undefined) return false;
  const parsed = boolValue().safeParse(value);
  if (parsed.success) return parsed.data;
  a.invalid(key, parsed.error.issues[0]?.message ?? 'invalid');
  return undefined;
}

/**
 * Finds a component's plugin, collects its prefixed settings (less `exclude`), lists its
 * documented keys and checks the settings with its schema.
 */
function component(
  a: ConfigAnalysis,
  registry: PluginRegistry,
  kind: ComponentKind,
  classKey: string,
  className: string,
  prefix: string,
  exclude: readonly string[],
): ComponentConfig | undefined {
  let plugin;
  try {
    plugin = registry.getComponent(kind, className);
  } catch (err) {
    if (!(err instanceof PluginNotFoundError)) throw err;
    a.invalid(classKey, err.message);
    return undefined;
  }
  for (const def of plugin.configDef ?? []) {
    a.list(`${prefix}${def.name}`, prefixed(def, prefix));
  }
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(a.config)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (!exclude.includes(name)) config[name] = value;
  }
  const parsed = plugin.configSchema?.safeParse(config);
  if (
    parsed &&
    !parsed.success &&
    a.issues(parsed.error.issues, (f) => (f === undefined ? classKey : `${prefix}${f}`))
  ) {
    return undefined;
  }
  if (kind !== 'converter' && !a.referenceKeys.has(classKey) && !hasReference(config)) {
    // What only `configure` checks (Kafka's transforms check some keys together there) is
    // found now, on its key, rather than when the task starts.
    const instance = (plugin as ComponentOf<'transformation' | 'predicate'>).create();
    try {
      instance.configure(config);
    } catch (error) {
      const key =
        error instanceof ConfigError && error.key !== '' ? `${prefix}${error.key}` : classKey;
      a.problem(key, error instanceof Error ? error.message : String(error));
      return undefined;
    } finally {
      instance.close?.();
    }
  }
  return { className: plugin.className, config };
}

function hasReference(config: Readonly<Record<string, string>>): boolean {
  return Object.values(config).some((v) => v.includes('${'));
}

function prefixed(def: ConfigKeyDef, prefix: string): ConfigKeyDef {
  return {
    ...def,
    name: `${prefix}${def.name}`,
    ...(def.dependents && { dependents: def.dependents.map((d) => `${prefix}${d}`) }),
  };
}
