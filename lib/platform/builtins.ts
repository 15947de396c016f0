import { createRegistry, type AnyPlugin, type PluginRegistry } from '../api/registry.js';
import { connectorPlugins } from '../connectors/index.js';
import { converterPlugins } from '../converters/index.js';
import { predicatePlugins, transformPlugins } from '../transforms/index.js';

/** Every plugin built into the platform: connectors, converters, transforms and predicates. */
export const builtinPlugins: readonly AnyPlugin[] = [
  ...connectorPlugins,
  ...converterPlugins,
  ...transformPlugins,
  ...predicatePlugins,
];

/** The registry the functions use: the built-in plugins, found by class name, alias or short name. */
export function createBuiltinRegistry(): PluginRegistry {
  return createRegistry(builtinPlugins);
}
