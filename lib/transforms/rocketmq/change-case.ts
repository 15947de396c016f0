import { enumValue } from '../../api/config-values.js';
import { BUILTIN_VERSION } from '../../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../../api/plugin-keys.js';
import type { ConnectRecord } from '../../api/record.js';
import type { Transform, TransformPlugin } from '../../api/transform.js';
import type { Part } from '../schema-util.js';
import { className, ownerName } from './part.js';
import { FieldRenamer } from './rename-fields.js';

/** Guava's `CaseFormat` names, which RocketMQ Connect's ChangeCase takes (in any case here). */
const FORMATS = [
  'lower_hyphen',
  'lower_underscore',
  'lower_camel',
  'upper_camel',
  'upper_underscore',
] as const;
export type CaseFormat = (typeof FORMATS)[number];

const format = (documentation: string) =>
  requiredKey({ type: 'STRING', importance: 'HIGH', documentation }, enumValue(FORMATS));

const changeCaseKeys = pluginKeys({
  from: format(
    'The case format field names are in: LOWER_HYPHEN (first-name), LOWER_UNDERSCORE (first_name), ' +
      'LOWER_CAMEL (firstName), UPPER_CAMEL (FirstName) or UPPER_UNDERSCORE (FIRST_NAME).',
  ),
  to: format('The case format to convert field names to; the same names as `from`.'),
});

// Only ASCII letters change case, as in Guava: a full Unicode mapping is not reversible
// ('ß' -> 'SS', 'İ' -> 'i̇') and would merge or lengthen names.
const lower = (s: string) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
const upper = (s: string) => s.replace(/[a-z]+/g, (c) => c.toUpperCase());
const capitalized = (s: string) => upper(s.slice(0, 1)) + lower(s.slice(1));

/** The words of a name in a format: split at its separator, or before each capital (camel). */
function wordsOf(name: string, from: CaseFormat): string[] {
  switch (from) {
    case 'lower_hyphen':
      return name.split('-');
    case 'lower_underscore':
    case 'upper_underscore':
      return name.split('_');
    case 'lower_camel':
    case 'upper_camel':
      // A capital at the start opens the first word rather than making an empty one before it.
      return name.split(/(?=[A-Z])/);
  }
}

/** Joins words in a format, each word's case set by it. */
function joinAs(words: readonly string[], to: CaseFormat): string {
  switch (to) {
    case 'lower_hyphen':
      return words.map(lower).join('-');
    case 'lower_underscore':
      return words.map(lower).join('_');
    case 'upper_underscore':
      return words.map(upper).join('_');
    case 'upper_camel':
      return words.map(capitalized).join('');
    case 'lower_camel':
      return words.map((w, i) => (i === 0 ? lower(w) : capitalized(w))).join('');
  }
}

/**
 * Converts a name between case formats as Guava's `CaseFormat.to` does for names that are in
 * `from`'s format; a name already in it (from = to) is left as it is.
 *
 * @example
 * convertCase('first_name', 'lower_underscore', 'upper_camel') // 'FirstName'
 */
export function convertCase(name: string, from: CaseFormat, to: CaseFormat): string {
  return from === to ? name : joinAs(wordsOf(name, from), to);
}

/**
 * RocketMQ Connect's ChangeCase$Key / $Value: renames the top-level fields of a struct or map
 * from one case format to another (`first_name` -> `FirstName`).
 */
export class ChangeCase implements Transform {
  #renamer?: FieldRenamer;

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const owner = ownerName('ChangeCase', this.part);
    const parsed = parsePluginConfig(owner, changeCaseKeys.configSchema, config);
    // enumValue(FORMATS) only lets these words through.
    const from = parsed.from as CaseFormat;
    const to = parsed.to as CaseFormat;
    this.#renamer = new FieldRenamer(owner, this.part, (name) => convertCase(name, from, to));
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (!this.#renamer) throw new Error('ChangeCase: apply() before configure()');
    return this.#renamer.apply(record);
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: className('ChangeCase', part),
    aliases: [],
    version: BUILTIN_VERSION,
    ...changeCaseKeys,
    create: () => new ChangeCase(part),
  };
}

export const changeCaseKeyPlugin = plugin('key');
export const changeCaseValuePlugin = plugin('value');
