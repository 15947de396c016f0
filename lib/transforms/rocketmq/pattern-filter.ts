import { listValue, regexValue } from '../../api/config-values.js';
import { BUILTIN_VERSION } from '../../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../../api/plugin-keys.js';
import type { ConnectRecord } from '../../api/record.js';
import { fieldOf } from '../../api/schema.js';
import type { Transform, TransformPlugin } from '../../api/transform.js';
import { isPlainObject } from '../requirements.js';
import { type Part, partOf } from '../schema-util.js';
import { className, ownerName } from './part.js';

const patternFilterKeys = pluginKeys({
  pattern: requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'Regular expression a whole field value must match for the record to be dropped.',
    },
    regexValue(),
  ),
  fields: requiredKey(
    {
      type: 'LIST',
      importance: 'HIGH',
      documentation: 'The top-level fields whose string values are tested.',
    },
    listValue().refine((fields) => fields.length > 0, { error: 'List must not be empty' }),
  ),
});

/**
 * RocketMQ Connect's PatternFilter$Key / $Value: drops the record when one of `fields` of the key
 * or value (a struct's STRING field, or a map's string entry) matches `pattern` as a whole (Java's
 * `Matcher.matches`). Records it cannot look into (null, not a struct or map) are kept.
 */
export class PatternFilter implements Transform {
  #pattern = /(?!)/;
  #fields: ReadonlySet<string> = new Set();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const owner = ownerName('PatternFilter', this.part);
    const parsed = parsePluginConfig(owner, patternFilterKeys.configSchema, config);
    // Anchored once here: the whole value must match, not a part of it.
    this.#pattern = new RegExp(`^(?:${parsed.pattern})$`);
    this.#fields = new Set(parsed.fields);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return this.#matches(record) ? null : record;
  }

  #matches(record: ConnectRecord): boolean {
    const { value, schema } = partOf(record, this.part);
    const test = (v: unknown) => typeof v === 'string' && this.#pattern.test(v);
    if (schema?.type === 'STRUCT') {
      if (!isPlainObject(value)) return false;
      for (const name of this.#fields) {
        if (fieldOf(schema, name)?.schema.type === 'STRING' && test(value[name])) return true;
      }
      return false;
    }
    if (schema !== undefined && schema.type !== 'MAP') return false;
    if (value instanceof Map) return [...this.#fields].some((name) => test(value.get(name)));
    if (isPlainObject(value)) {
      return [...this.#fields].some((name) => Object.hasOwn(value, name) && test(value[name]));
    }
    return false;
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: className('PatternFilter', part),
    aliases: [],
    version: BUILTIN_VERSION,
    ...patternFilterKeys,
    create: () => new PatternFilter(part),
  };
}

export const patternFilterKeyPlugin = plugin('key');
export const patternFilterValuePlugin = plugin('value');
