import { isDeepStrictEqual } from 'node:util';
import type { ConfigAnalysis } from './analysis.js';
import {
  COMMON_KEY_ENTRIES,
  COMMON_KEYS,
  type CommonKeyValues,
  commonKeyDefs,
  commonKeysSchema,
} from './common-keys.js';

/**
 * Parses the common keys, accepting either dialect's name for each. Both names with different
 * meanings is an error on both keys. Common keys cannot hold `${...}` references: the platform
 * reads them before any task resolves one. Returns undefined when a problem was found.
 */
export function parseCommonKeys(
  a: ConfigAnalysis,
  type: 'source' | 'sink' | undefined,
): { values: CommonKeyValues; keyFor: (canonical: string) => string } | undefined {
  const input: Record<string, string | undefined> = {};
  const used = new Map<string, string>();
  for (const def of commonKeyDefs(type)) a.list(def.name, def);
  for (const [name, key] of COMMON_KEY_ENTRIES) {
    const alias = key.alias;
    const value = a.config[name];
    const aliasValue = alias === undefined ? undefined : a.config[alias];
    if (alias !== undefined && value !== undefined && aliasValue !== undefined) {
      const mine = key.schema.safeParse(value);
      const theirs = key.schema.safeParse(aliasValue);
      if (!theirs.success) a.invalid(alias, theirs.error.issues[0]?.message ?? 'invalid');
      else if (mine.success && !isDeepStrictEqual(mine.data, theirs.data)) {
        const message = `${name}=${value} and ${alias}=${aliasValue} disagree; they are one setting in two dialects, give only one`;
        a.problem(name, message);
        a.problem(alias, message);
      }
    }
    const chosen = value === undefined && aliasValue !== undefined && alias ? alias : name;
    used.set(name, chosen);
    input[name] = a.config[chosen];
    if (a.referenceKeys.has(chosen)) {
      a.problem(
        chosen,
        `${chosen} cannot hold a \${...} reference: it is read before any task resolves references`,
      );
      input[name] = undefined;
    }
  }
  const keyFor = (canonical: string) => used.get(canonical) ?? canonical;
  checkTopics(a, type, input, keyFor);
  const parsed = commonKeysSchema.safeParse(input);
  if (!parsed.success) {
    a.issues(parsed.error.issues, (field) => keyFor(field ?? 'connector.class'));
    return undefined;
  }
  return { values: parsed.data, keyFor };
}

/**
 * A sink reads `topics` or `topics.regex` (one of them), and never its own dead-letter topic.
 * Checked on the raw values, so that it is reported along with any other problem.
 */
function checkTopics(
  a: ConfigAnalysis,
  type: 'source' | 'sink' | undefined,
  input: Readonly<Record<string, string | undefined>>,
  keyFor: (canonical: string) => string,
): void {
  if (type !== 'sink') return;
  const topicsKey = keyFor('topics');
  if (input.topics === undefined && input['topics.regex'] === undefined) {
    a.missing(topicsKey, ' Must configure one of topics or topics.regex.');
    return;
  }
  if (input.topics !== undefined && input['topics.regex'] !== undefined) {
    const message = `${topicsKey} and topics.regex are mutually exclusive; give only one`;
    a.problem(topicsKey, message);
    a.problem('topics.regex', message);
    return;
  }
  const topics = COMMON_KEYS.topics.schema.safeParse(input.topics).data;
  const regex = COMMON_KEYS['topics.regex'].schema.safeParse(input['topics.regex']).data;
  const dlqKey = 'errors.deadletterqueue.topic.name';
  const dlq = COMMON_KEYS[dlqKey].schema.safeParse(input[dlqKey]).data;
  if (dlq === undefined) return;
  if (topics?.includes(dlq) || (regex !== undefined && topicPattern(regex).test(dlq))) {
    a.invalid(
      dlqKey,
      `the dead-letter topic must not be one the connector consumes (${topicsKey} or topics.regex)`,
    );
  }
}

/** `topics.regex` matches whole topic names, as in Kafka Connect. */
export function topicPattern(regex: string): RegExp {
  return new RegExp(`^(?:${regex})$`);
}
