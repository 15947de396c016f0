import type { Converter } from '../api/converter.js';
import type { PluginRegistry } from '../api/registry.js';
import type { ChainEntry } from '../api/transform.js';
import type { ComponentConfig } from '../config/components.js';
import type { CommonConfig } from '../config/parse.js';
import { jsonConverterPlugin } from '../converters/index.js';
import type { Converters } from './message-mapping.js';

/** The converters and transform chain of one task, created and configured for one slice. */
export interface Pipeline {
  readonly converters: Converters & {
    /** Class names, for the `__connect.errors.class.name` of a failure. */
    readonly keyClass: string;
    readonly valueClass: string;
  };
  readonly chain: readonly ChainEntry[];
  /** The class of a chain entry's transform (of the chain as a whole when unknown). */
  transformClass(entry: ChainEntry | undefined): string;
  close(): void;
}

/**
 * Kafka Connect's worker default for both key and value: JsonConverter with its own default
 * (`schemas.enable=true`), so a connector without converter keys reads what Kafka would write.
 */
const DEFAULT_CONVERTER: ComponentConfig = { className: jsonConverterPlugin.className, config: {} };

/** Creates the task's converters, predicates and transforms from its parsed config. */
export function createPipeline(common: CommonConfig, registry: PluginRegistry): Pipeline {
  const converter = (wanted: ComponentConfig | undefined, isKey: boolean) => {
    const { className, config } = wanted ?? DEFAULT_CONVERTER;
    const instance: Converter = registry.getComponent('converter', className).create();
    instance.configure(config, isKey);
    return { className, instance };
  };
  const key = converter(common.keyConverter, true);
  const value = converter(common.valueConverter, false);

  const predicates = new Map(
    common.predicates.map((p) => {
      const predicate = registry.getComponent('predicate', p.className).create();
      predicate.configure(p.config);
      return [p.name, predicate] as const;
    }),
  );
  const chain: ChainEntry[] = common.transforms.map((t) => {
    const transform = registry.getComponent('transformation', t.className).create();
    transform.configure(t.config);
    const predicate = t.predicate === undefined ? undefined : predicates.get(t.predicate);
    return {
      name: t.name,
      transform,
      ...(predicate && { predicate }),
      negate: t.negate,
    };
  });
  const transformClasses = new Map(common.transforms.map((t) => [t.name, t.className]));
  return {
    converters: {
      key: key.instance,
      value: value.instance,
      keyClass: key.className,
      valueClass: value.className,
    },
    chain,
    transformClass: (entry) =>
      (entry?.name !== undefined && transformClasses.get(entry.name)) || 'transforms',
    close() {
      for (const entry of chain) entry.transform.close?.();
      for (const predicate of predicates.values()) predicate.close?.();
    },
  };
}
