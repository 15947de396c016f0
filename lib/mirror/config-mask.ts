import { isSecretDef } from '../api/config-def.js';
import type { PluginRegistry } from '../api/registry.js';
import { maskConfig } from '../config/mask.js';
import type { ConfigMask } from './state-change.js';

/**
 * How the mirror masks a connector or task config: as the REST API does (secret key names, and
 * the keys the config's plugin marks secret). A task config need not name its plugin, and the
 * mirror sees one item at a time, so a config without a known `connector.class` is masked by
 * the secret keys of every registered plugin: a state topic never holds a secret.
 */
export function mirrorConfigMask(registry: PluginRegistry): ConfigMask {
  const everySecretKey = registry
    .list()
    .flatMap((info) => registry.find(info.class)?.configDef?.filter(isSecretDef) ?? []);
  return (config) =>
    maskConfig(
      config,
      registry.find(config['connector.class'] ?? '') ?? { configDef: everySecretKey },
    );
}
