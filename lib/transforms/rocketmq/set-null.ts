import { BUILTIN_VERSION } from '../../api/plugin.js';
import { parsePluginConfig, pluginKeys } from '../../api/plugin-keys.js';
import type { ConnectRecord } from '../../api/record.js';
import type { Transform, TransformPlugin } from '../../api/transform.js';
import { type Part, withPart } from '../schema-util.js';
import { className, ownerName } from './part.js';

// SetNull has no keys of its own; other keys (RocketMQ Connect's copy read PatternRename's) pass.
const setNullKeys = pluginKeys({});

/**
 * RocketMQ Connect's SetNull$Key / $Value: the key (or value) and its schema become null; the
 * rest of the record, headers included, stays. SetNull$Value makes a tombstone.
 */
export class SetNull implements Transform {
  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    parsePluginConfig(ownerName('SetNull', this.part), setNullKeys.configSchema, config);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return withPart(record, this.part, undefined, null);
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: className('SetNull', part),
    aliases: [],
    version: BUILTIN_VERSION,
    ...setNullKeys,
    create: () => new SetNull(part),
  };
}

export const setNullKeyPlugin = plugin('key');
export const setNullValuePlugin = plugin('value');
