import { BUILTIN_VERSION } from '../api/plugin.js';
import { pluginKeys } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Transform, TransformPlugin } from '../api/transform.js';

const filterKeys = pluginKeys({});

/**
 * Kafka's Filter: drops every record it is applied to. It is meant to run under a predicate
 * (`transforms.<name>.predicate`, with `negate` to keep the matching records instead).
 */
export class Filter implements Transform {
  configure(): void {}

  apply<R extends ConnectRecord>(): R | null {
    return null;
  }
}

export const filterPlugin: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.Filter',
  aliases: [],
  version: BUILTIN_VERSION,
  ...filterKeys,
  create: () => new Filter(),
};
