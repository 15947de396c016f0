import { z } from 'zod';
import { regexValue } from '../api/config-values.js';
import { ConfigError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Transform, TransformPlugin } from '../api/transform.js';

const regexRouterKeys = pluginKeys({
  regex: requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'Regular expression the whole topic must match.',
    },
    regexValue(),
  ),
  replacement: requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'The new topic; $1 or ${name} insert capture groups.',
    },
    z.string(),
  ),
});

/** One piece of a replacement: literal text, or a capture group by number or name. */
type Piece = string | { readonly group: number | string };

/**
 * Parses a replacement as Java's `Matcher.replaceFirst` reads it: `$n` and `${name}` refer to
 * groups (`$12` is group 12 only when the regex has that many), `\x` is a literal x. Checking it
 * here turns Java's runtime "No group 3" into a config error.
 */
export function parseReplacement(replacement: string, regex: RegExp): Piece[] {
  const probe = new RegExp(`${regex.source}|`).exec('');
  const groupCount = (probe?.length ?? 1) - 1;
  const names = new Set(Object.keys(probe?.groups ?? {}));
  const pieces: Piece[] = [];
  let literal = '';
  const bad = (why: string) => new ConfigError('replacement', `RegexRouter: replacement ${why}`);
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw bad('ends with a lone \\');
      literal += replacement[i];
    } else if (c === '$') {
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(replacement.slice(i + 1));
      let group: number | string;
      if (named?.[1] !== undefined) {
        if (!names.has(named[1])) throw bad(`refers to group "${named[1]}", which regex lacks`);
        group = named[1];
        i += named[0].length;
      } else {
        const digits = /^\d+/.exec(replacement.slice(i + 1))?.[0];
        if (digits === undefined) throw bad('has a $ without a group number or {name}');
        // Java takes the longest prefix that is a group number, at least one digit.
        let used = 1;
        while (used < digits.length && Number(digits.slice(0, used + 1)) <= groupCount) used++;
        group = Number(digits.slice(0, used));
        if (group > groupCount) throw bad(`refers to group ${group}, but regex has ${groupCount}`);
        i += used;
      }
      if (literal !== '') pieces.push(literal);
      literal = '';
      pieces.push({ group });
    } else {
      literal += c;
    }
  }
  if (literal !== '') pieces.push(literal);
  return pieces;
}

/**
 * Kafka's RegexRouter: when the whole topic matches `regex`, it becomes `replacement` with
 * `$1`-style references filled in; other topics, and records without one, pass unchanged.
 */
export class RegexRouter implements Transform {
  #regex = /(?!)/;
  #pieces: Piece[] = [];

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig('RegexRouter', regexRouterKeys.configSchema, config);
    // Anchored because Kafka uses Matcher.matches(): the whole topic, not a part of it.
    this.#regex = new RegExp(`^(?:${parsed.regex})$`);
    this.#pieces = parseReplacement(parsed.replacement, new RegExp(parsed.regex));
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.topic === undefined) return record;
    const match = this.#regex.exec(record.topic);
    if (!match) return record;
    const topic = this.#pieces
      .map((p) =>
        typeof p === 'string'
          ? p
          : ((typeof p.group === 'number' ? match[p.group] : match.groups?.[p.group]) ?? ''),
      )
      .join('');
    return { ...record, topic };
  }
}

export const regexRouterPlugin: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.RegexRouter',
  // RocketMQ Connect's own copy of it, under its class name (same keys).
  aliases: ['org.apache.rocketmq.connect.transforms.RegexRouter'],
  version: BUILTIN_VERSION,
  ...regexRouterKeys,
  create: () => new RegexRouter(),
};
