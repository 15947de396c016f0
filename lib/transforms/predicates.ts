import { z } from 'zod';
import type { ConnectRecord } from '../api/record.js';
import type { Predicate, PredicatePlugin } from '../api/transform.js';
import { regexValue, textValue } from '../config/values.js';
import { BUILTIN_VERSION, parsePluginConfig } from '../config/plugin-config.js';

const topicNameMatchesConfig = z.object({ pattern: regexValue() });
const hasHeaderKeyConfig = z.object({ name: textValue() });

/** Kafka's TopicNameMatches: the whole topic matches `pattern`; a record without one does not. */
export class TopicNameMatches implements Predicate {
  #pattern = /(?!)/;

  configure(config: Readonly<Record<string, string>>): void {
    const { pattern } = parsePluginConfig('TopicNameMatches', topicNameMatchesConfig, config);
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
    this.#name = parsePluginConfig('HasHeaderKey', hasHeaderKeyConfig, config).name;
  }

  test(record: ConnectRecord): boolean {
    return record.headers.some((h) => h.key === this.#name);
  }
}

export const topicNameMatchesPlugin: PredicatePlugin = {
  type: 'predicate',
  className: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
  aliases: [],
  version: BUILTIN_VERSION,
  configDef: [
    {
      name: 'pattern',
      type: 'STRING',
      required: true,
      importance: 'MEDIUM',
      documentation: 'Regular expression the whole topic name must match.',
    },
  ],
  configSchema: topicNameMatchesConfig,
  create: () => new TopicNameMatches(),
};

export const hasHeaderKeyPlugin: PredicatePlugin = {
  type: 'predicate',
  className: 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
  aliases: [],
  version: BUILTIN_VERSION,
  configDef: [
    {
      name: 'name',
      type: 'STRING',
      required: true,
      importance: 'MEDIUM',
      documentation: 'The header name.',
    },
  ],
  configSchema: hasHeaderKeyConfig,
  create: () => new HasHeaderKey(),
};
