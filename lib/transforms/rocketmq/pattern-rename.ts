import { z } from 'zod';
import { listValue } from '../../api/config-values.js';
import { ConfigError } from '../../api/errors.js';
import { BUILTIN_VERSION } from '../../api/plugin.js';
import { defaultedKey, parsePluginConfig, pluginKeys, requiredKey } from '../../api/plugin-keys.js';
import type { ConnectRecord } from '../../api/record.js';
import type { Transform, TransformPlugin } from '../../api/transform.js';
import { parseReplacement } from '../regex-router.js';
import type { Part } from '../schema-util.js';
import { className, ownerName } from './part.js';
import { FieldRenamer } from './rename-fields.js';

/**
 * Java's `Pattern` flags that a JavaScript regular expression can honour: the flag letter, or
 * 'literal' (the pattern is quoted). UNICODE_CASE adds nothing: JavaScript's `i` already folds
 * non-ASCII letters. The others change what a pattern means in ways JavaScript has no flag for.
 */
const FLAGS: Readonly<Record<string, string>> = {
  CASE_INSENSITIVE: 'i',
  MULTILINE: 'm',
  DOTALL: 's',
  UNICODE_CASE: '',
  LITERAL: 'literal',
};
const UNSUPPORTED_FLAGS = ['UNICODE_CHARACTER_CLASS', 'CANON_EQ', 'COMMENTS', 'UNIX_LINES'];

const patternRenameKeys = pluginKeys({
  'field.pattern': requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'Regular expression searched for in each top-level field name; every match is replaced.',
    },
    // Not trimmed: a space in a pattern means a space.
    z.string().min(1, { error: 'String must be non-empty' }),
  ),
  'field.pattern.flags': defaultedKey(
    {
      type: 'LIST',
      importance: 'LOW',
      documentation:
        "Java Pattern flags: CASE_INSENSITIVE, MULTILINE, DOTALL, UNICODE_CASE, LITERAL. (UNICODE_CHARACTER_CLASS, CANON_EQ, COMMENTS and UNIX_LINES are refused: JavaScript's regular expressions cannot honour them.)",
    },
    '',
    listValue().superRefine((flags, ctx) => {
      for (const flag of flags) {
        if (FLAGS[flag] !== undefined) continue;
        ctx.addIssue({
          code: 'custom',
          message: UNSUPPORTED_FLAGS.includes(flag)
            ? `Flag ${flag} is not supported`
            : `Unknown flag ${flag}; expected one of ${Object.keys(FLAGS).join(', ')}`,
        });
        return;
      }
    }),
  ),
  'field.replacement': requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'What each match becomes (may be empty); $1 or ${name} insert capture groups, as in Java.',
    },
    z.string(),
  ),
});

/** One piece of a replacement: literal text, or a capture group by number or name. */
type Piece = ReturnType<typeof parseReplacement>[number];

/**
 * RocketMQ Connect's PatternRename$Key / $Value: in each top-level field name of a struct or map,
 * every match of `field.pattern` is replaced with `field.replacement` (Java's `replaceAll`), so
 * `first.name` becomes `first_name` with pattern `\.` and replacement `_`.
 */
export class PatternRename implements Transform {
  #renamer?: FieldRenamer;

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const owner = ownerName('PatternRename', this.part);
    const parsed = parsePluginConfig(owner, patternRenameKeys.configSchema, config);
    const flags = parsed['field.pattern.flags'].map((f) => FLAGS[f]);
    const source = flags.includes('literal')
      ? parsed['field.pattern'].replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
      : parsed['field.pattern'];
    const bad = (key: string, why: string, cause: unknown) =>
      new ConfigError(key, `${owner}: Invalid value for configuration: ${why} "${key}"`, { cause });
    // Compiled once, here; `g` because Java's replaceAll replaces every match.
    let regex: RegExp;
    try {
      regex = new RegExp(source, `g${flags.filter((f) => f !== 'literal').join('')}`);
    } catch (err) {
      throw bad('field.pattern', 'Not a valid regular expression', err);
    }
    let pieces: Piece[];
    try {
      pieces = parseReplacement(parsed['field.replacement'], regex);
    } catch (err) {
      // RegexRouter's parser names its own key; the reason after it is what holds here too.
      const why = err instanceof ConfigError ? err.message.replace(/^.*?replacement /, '') : '';
      throw bad('field.replacement', `replacement ${why}`, err);
    }
    this.#renamer = new FieldRenamer(owner, this.part, (name) =>
      name.replace(regex, (...args: unknown[]) => fill(pieces, args)),
    );
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (!this.#renamer) throw new Error('PatternRename: apply() before configure()');
    return this.#renamer.apply(record);
  }
}

/** The replacement for one match, from `String.replace`'s callback arguments. */
function fill(pieces: readonly Piece[], args: readonly unknown[]): string {
  const last = args.at(-1);
  const groups = typeof last === 'object' && last !== null ? (last as Record<string, string>) : {};
  return pieces
    .map((p) => {
      if (typeof p === 'string') return p;
      const found = typeof p.group === 'number' ? args[p.group] : groups[p.group];
      return typeof found === 'string' ? found : '';
    })
    .join('');
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: className('PatternRename', part),
    aliases: [],
    version: BUILTIN_VERSION,
    ...patternRenameKeys,
    create: () => new PatternRename(part),
  };
}

export const patternRenameKeyPlugin = plugin('key');
export const patternRenameValuePlugin = plugin('value');
