import { regexValue, textValue } from '../api/config-values.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Predicate, PredicatePlugin } from '../api/transform.js';

const topicNameMatchesKeys = pluginKeys({
  pattern: requiredKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      documentation: 'Regular expression the whole topic name must match.',
    },
    regexValue(),
  ),
});

const hasHeaderKeyKeys = pluginKeys({
  name: requiredKey(
    { type: 'STRING', importance: 'MEDIUM', documentation: 'The header name.' },
    textValue(),
  ),
});

/** Kafka's TopicNameMatches: the whole topic matches `pattern`; a record without one does not. */
export class TopicNameMatches implements Predicate {
  #pattern = /(?!)/;

  configure(config: Readonly<Record<string, string>>): void {
    const { pattern } = parsePluginConfig(
      'TopicNameMatches',
      topicNameMatchesKeys.configSchema,
      config,
    );
    this.#pattern = new RegExp(`^(?:${pattern})$`);
  }

  test(record: ConnectRecord): boolean {
    return record.topic !== undefined && this.#pattern.test(record.topic);
  }
}

/** Kafka's HasHeaderKey: the record has at least one header named `name`. */
export class HasHeaderKey implements Predicate {
  #name = '';

  configure(config: Readonly<Record<string, string>>): void {
    this.#name = parsePluginConfig('HasHeaderKey', hasHeaderKeyKeys.configSchema, config).name;
  }

  test(record: ConnectRecord): boolean {
    return record.headers.some((h) => h.key === this.#name);
  }
}

/** Kafka's RecordIsTombstone: the record's value is null (whatever its key). */
export class RecordIsTombstone implements Predicate {
  configure(): void {}

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }
}

export const topicNameMatchesPlugin: PredicatePlugin = {
  type: 'predicate',
  className: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
  aliases: [],
  version: BUILTIN_VERSION,
  ...topicNameMatchesKeys,
  create: () => new TopicNameMatches(),
};

export const hasHeaderKeyPlugin: PredicatePlugin = {
  type: 'predicate',
  className: 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
  aliases: [],
  version: BUILTIN_VERSION,
  ...hasHeaderKeyKeys,
  create: () => new HasHeaderKey(),
};

export const recordIsTombstonePlugin: PredicatePlugin = {
  type: 'predicate',
  className: 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
  aliases: [],
  version: BUILTIN_VERSION,
  ...pluginKeys({}),
  create: () => new RecordIsTombstone(),
};
