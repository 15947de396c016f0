import { z } from 'zod';

/**
 * Strict parsers of config values, which arrive as strings: "10x" is not 10. The messages say
 * why a value is wrong without repeating it (the caller names the key and shows the value when
 * it is not a secret), in Kafka Connect's words where it has some. The common keys (lib/config)
 * and every plugin's `configSchema` use them, so that every key reads the same way.
 */

const INT = /^[+-]?\d+$/;

/** An integer, optionally bounded: "Not a number of type INT", "Value must be at least 1". */
export function intValue(bounds: { min?: number; max?: number } = {}) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    const n = Number(text);
    if (!INT.test(text) || !Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: 'Not a number of type INT' });
      return z.NEVER;
    }
    if (bounds.min !== undefined && n < bounds.min) {
      ctx.addIssue({ code: 'custom', message: `Value must be at least ${bounds.min}` });
      return z.NEVER;
    }
    if (bounds.max !== undefined && n > bounds.max) {
      ctx.addIssue({ code: 'custom', message: `Value must be no more than ${bounds.max}` });
      return z.NEVER;
    }
    return n;
  });
}

/** "true" or "false", in any case. */
export function boolValue() {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    ctx.addIssue({ code: 'custom', message: 'Expected value to be either true or false' });
    return z.NEVER;
  });
}

/** One of the given lower-case words, in any case; parsed to lower case. */
export function enumValue<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim().toLowerCase();
    const found = values.find((v) => v === text);
    if (found !== undefined) return found;
    ctx.addIssue({ code: 'custom', message: `String must be one of: ${values.join(', ')}` });
    return z.NEVER;
  });
}

/** A non-blank string, trimmed. */
export function textValue() {
  return z
    .string()
    .trim()
    .min(1, { error: 'String must be non-empty' })
    .refine((s) => !/\p{Cc}/u.test(s), { error: 'String must not contain control characters' });
}

/** A class name or alias of a plugin: one word without spaces. */
export function classValue() {
  return textValue().refine((s) => !/\s/.test(s), { error: 'Class name must not contain spaces' });
}

/** A JavaScript regular expression that compiles. */
export function regexValue() {
  return textValue().refine(
    (s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'Not a valid regular expression' },
  );
}

/** The names RocketMQ accepts for topics and consumer groups. */
const ROCKETMQ_NAME = /^[%|a-zA-Z0-9_-]+$/;
export const TOPIC_NAME_MAX = 127;
export const GROUP_NAME_MAX = 255;

function rocketmqName(what: string, max: number, name: string): string | undefined {
  if (name.length === 0) return `${what} name must not be empty`;
  if (name.length > max) return `${what} name "${name}" is longer than ${max} characters`;
  if (!ROCKETMQ_NAME.test(name)) {
    return `${what} name "${name}" may only hold the characters a-z A-Z 0-9 _ - % |`;
  }
  return undefined;
}

/** A RocketMQ topic name: 1 to 127 of `a-z A-Z 0-9 _ - % |`. */
export function topicValue() {
  return rocketmqNameValue('Topic', TOPIC_NAME_MAX);
}

/** A RocketMQ consumer group name: 1 to 255 of `a-z A-Z 0-9 _ - % |`. */
export function groupValue() {
  return rocketmqNameValue('Group', GROUP_NAME_MAX);
}

function rocketmqNameValue(what: string, max: number) {
  return z.string().transform((raw, ctx) => {
    const name = raw.trim();
    const problem = rocketmqName(what, max, name);
    if (problem === undefined) return name;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });
}

/** Splits a list on ',' (and ';' when asked), trimming items; a blank value is an empty list. */
export function splitList(raw: string, separators: RegExp = /,/): string[] {
  if (raw.trim() === '') return [];
  return raw.split(separators).map((item) => item.trim());
}

/** A list of topic names separated by ',' or ';': at least one, each valid, none twice. */
export function topicListValue() {
  return uniqueListValue(/[,;]/, 'Topic', (names) =>
    names.length === 0
      ? 'Must name at least one topic'
      : names.map((name) => rocketmqName('Topic', TOPIC_NAME_MAX, name)).find(Boolean),
  );
}

/** A ',' separated list of aliases (transform or predicate names): non-empty, none twice. */
export function aliasListValue() {
  return uniqueListValue(/,/, 'Name', (names) =>
    names.some((n) => n === '') ? 'List holds an empty name' : undefined,
  );
}

/** A list whose items `problemOf` accepts (undefined: no problem), none of them twice. */
function uniqueListValue(
  separators: RegExp,
  noun: string,
  problemOf: (names: readonly string[]) => string | undefined,
) {
  return z.string().transform((raw, ctx) => {
    const names = splitList(raw, separators);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    const problem =
      problemOf(names) ?? (twice === undefined ? undefined : `${noun} "${twice}" is listed twice`);
    if (problem === undefined) return names;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });
}

/** A ',' separated list of strings, items trimmed, blanks dropped (Kafka's `LIST` type). */
export function listValue() {
  return z.string().transform((raw) => splitList(raw).filter((item) => item !== ''));
}
