import { closeMatches, editDistance } from './close-matches.js';
import { shortName } from './plugin-names.js';
import type { ConnectorPlugin } from './connector.js';
import type { ConverterPlugin } from './converter.js';
import { NonRetriableError, PluginNotFoundError, type PluginNamespace } from './errors.js';
import type { PredicatePlugin, TransformPlugin } from './transform.js';

/** Every kind of plugin the registry holds. */
export type AnyPlugin = ConnectorPlugin | ConverterPlugin | TransformPlugin | PredicatePlugin;

/** Kafka Connect's plugin type names, as GET /connector-plugins shows them. */
export type PluginType = AnyPlugin['type'];

/** Kinds of plugins other than connectors. */
export type ComponentKind = 'converter' | 'transformation' | 'predicate';

export type ComponentOf<K extends ComponentKind> = Extract<AnyPlugin, { type: K }>;

/** One row of GET /connector-plugins (Kafka Connect's `PluginInfo`). */
export interface PluginInfo {
  readonly class: string;
  readonly type: PluginType;
  readonly version: string;
}

/** A registry of the given plugins; lib/platform/builtins.ts makes the platform's own. */
export function createRegistry(plugins: readonly AnyPlugin[]): PluginRegistry {
  return new PluginRegistry(plugins);
}

/**
 * Finds plugins by name. A plugin answers to its class name, each alias, and short names derived
 * from those: the last segment after '.', and for connectors and converters that segment without
 * its `Connector` / `Converter` suffix; all case-insensitively. So
 * `org.apache.kafka.connect.file.FileStreamSourceConnector`, `FileStreamSourceConnector` and
 * `FileStreamSource` find one plugin. Connectors, converters, transforms and predicates are
 * separate namespaces.
 *
 * Two plugins claiming one class name or alias is a mistake, refused at construction. A short
 * name two plugins derive is ambiguous and finds neither (their full names still do); a
 * class name or alias wins over another plugin's short name.
 */
export class PluginRegistry {
  readonly #indexes: { readonly [N in PluginNamespace]: NameIndex<PluginOf<N>> };
  readonly #plugins: readonly AnyPlugin[];

  constructor(plugins: readonly AnyPlugin[]) {
    this.#plugins = plugins;
    this.#indexes = {
      connector: new NameIndex('connector', plugins.filter(isConnector), 'Connector'),
      converter: new NameIndex('converter', plugins.filter(isKind('converter')), 'Converter'),
      transformation: new NameIndex('transformation', plugins.filter(isKind('transformation'))),
      predicate: new NameIndex('predicate', plugins.filter(isKind('predicate'))),
    };
  }

  /** The connector plugin with this class name or alias. */
  find(nameOrAlias: string): ConnectorPlugin | undefined {
    return this.#indexes.connector.find(nameOrAlias);
  }

  /** Like `find`, but fails with PluginNotFoundError listing close matches. */
  get(nameOrAlias: string): ConnectorPlugin {
    return this.#indexes.connector.get(nameOrAlias);
  }

  findComponent<K extends ComponentKind>(kind: K, nameOrAlias: string): ComponentOf<K> | undefined {
    return (this.#indexes[kind] as NameIndex<ComponentOf<K>>).find(nameOrAlias);
  }

  getComponent<K extends ComponentKind>(kind: K, nameOrAlias: string): ComponentOf<K> {
    return (this.#indexes[kind] as NameIndex<ComponentOf<K>>).get(nameOrAlias);
  }

  /** Plugins by class name; only connectors unless `connectorsOnly` is false (Kafka's default). */
  list(options: { connectorsOnly?: boolean } = {}): PluginInfo[] {
    const connectorsOnly = options.connectorsOnly ?? true;
    return this.#plugins
      .filter((p) => !connectorsOnly || isConnector(p))
      .map((p) => ({ class: p.className, type: p.type, version: p.version }))
      .sort((a, b) => a.class.localeCompare(b.class) || a.type.localeCompare(b.type));
  }
}

type PluginOf<N extends PluginNamespace> = N extends 'connector'
  ? ConnectorPlugin
  : Extract<AnyPlugin, { type: N }>;

function isConnector(plugin: AnyPlugin): plugin is ConnectorPlugin {
  return plugin.type === 'source' || plugin.type === 'sink';
}

function isKind<K extends ComponentKind>(kind: K) {
  return (plugin: AnyPlugin): plugin is ComponentOf<K> => plugin.type === kind;
}

const AMBIGUOUS = Symbol('ambiguous');

class NameIndex<P extends AnyPlugin> {
  readonly #explicit = new Map<string, P>();
  readonly #derived = new Map<string, P | typeof AMBIGUOUS>();
  readonly #plugins: readonly P[];

  constructor(
    readonly namespace: PluginNamespace,
    plugins: readonly P[],
    readonly suffix?: string,
  ) {
    this.#plugins = plugins;
    for (const plugin of plugins) {
      for (const name of explicitNames(plugin)) {
        const key = name.toLowerCase();
        const other = this.#explicit.get(key);
        if (other && other !== plugin) {
          throw new NonRetriableError(
            `duplicate ${namespace} plugin name "${name}": claimed by ${other.className} and ${plugin.className}`,
          );
        }
        this.#explicit.set(key, plugin);
      }
    }
    for (const plugin of plugins) {
      for (const name of this.#shortNames(plugin)) {
        const key = name.toLowerCase();
        if (this.#explicit.has(key)) continue;
        const other = this.#derived.get(key);
        this.#derived.set(key, other === undefined || other === plugin ? plugin : AMBIGUOUS);
      }
    }
  }

  find(name: string): P | undefined {
    const key = name.trim().toLowerCase();
    const found = this.#explicit.get(key) ?? this.#derived.get(key);
    return found === AMBIGUOUS ? undefined : found;
  }

  get(name: string): P {
    const found = this.find(name);
    if (found) return found;
    const candidates = this.#plugins.map((p) => ({
      label: p.className,
      names: [...explicitNames(p), ...this.#shortNames(p)],
    }));
    if (this.namespace === 'connector' || this.namespace === 'converter') {
      throw new PluginNotFoundError(name, this.namespace, closeMatches(name, candidates));
    }
    // A transform or predicate a config names is usually one that is not built in (Debezium's,
    // Confluent's), not a typo: the list of what is here helps more than a loose suggestion.
    const q = name.trim().toLowerCase();
    const typos = candidates
      .filter((c) => c.names.some((n) => editDistance(q, n.toLowerCase()) <= 2))
      .map((c) => c.label);
    const available = [...new Set(this.#plugins.map((p) => shortName(p.className)))].sort();
    throw new PluginNotFoundError(name, this.namespace, typos, available);
  }

  #shortNames(plugin: P): string[] {
    const names = new Set<string>();
    for (const name of explicitNames(plugin)) {
      names.add(shortName(name));
      names.add(shortName(name, this.suffix));
    }
    return [...names];
  }
}

function explicitNames(plugin: AnyPlugin): string[] {
  return [plugin.className, ...plugin.aliases];
}
