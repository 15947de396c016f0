import { z } from 'zod';
import type { ConfigImportance, ConfigKeyDef, ConfigKeyType } from '../api/config-def.js';
import {
  aliasListValue,
  boolValue,
  classValue,
  enumValue,
  groupValue,
  intValue,
  regexValue,
  textValue,
  topicListValue,
  topicValue,
} from '../api/config-values.js';
import {
  defaultedKey,
  optionalKey,
  pluginKeys,
  requiredKey,
  type KeyDoc,
  type KeySpec,
} from '../api/plugin-keys.js';

/** One transaction of 100 actions holds the task configs, the config check and 98 fences. */
export const MAX_TASKS = 98;

/** One common key: its documentation, its parser, and where it applies. */
interface CommonKey<S extends z.ZodType> extends KeySpec<S> {
  /** The other dialect's name for the same key (RocketMQ Connect's, or Kafka Connect's). */
  readonly alias?: string;
  /** Absent: both kinds of connector. */
  readonly appliesTo?: 'source' | 'sink';
}

type Extra = Pick<CommonKey<z.ZodType>, 'alias' | 'appliesTo'>;

// Plugins' keys (lib/api/plugin-keys.ts) with the common keys' extras: the same entries.
function required<S extends z.ZodType>(doc: KeyDoc, schema: S, extra: Extra = {}) {
  return { ...requiredKey(doc, schema), ...extra };
}

function optional<S extends z.ZodType>(doc: KeyDoc, schema: S, extra: Extra = {}) {
  return { ...optionalKey(doc, schema), ...extra };
}

function withDefault<S extends z.ZodType<unknown, string>>(
  doc: KeyDoc,
  value: string,
  schema: S,
  extra: Extra = {},
) {
  return { ...defaultedKey(doc, value, schema), ...extra };
}

/** Optional, and a blank value means "none", as Kafka Connect's empty-string defaults do. */
function blankIsNone<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);
}

function doc(
  type: ConfigKeyType,
  importance: ConfigImportance,
  group: string,
  documentation: string,
): KeyDoc {
  return { type, importance, group, documentation };
}

const COMMON = 'Common';
const TRANSFORMS = 'Transforms';
const PREDICATES = 'Predicates';
const ERRORS = 'Error Handling';
const RUNTIME = 'Runtime';

/**
 * The keys every connector understands, in both dialects, as one table: the documentation the
 * validate endpoint shows and the parser come from the same entry.
 */
export const COMMON_KEYS = {
  name: required(
    doc('STRING', 'HIGH', COMMON, 'Globally unique name of the connector.'),
    textValue(),
  ),
  'connector.class': required(
    doc(
      'CLASS',
      'HIGH',
      COMMON,
      'The connector plugin: its class name, an alias, or a short name (e.g. FileStreamSource).',
    ),
    classValue(),
  ),
  'tasks.max': withDefault(
    doc(
      'INT',
      'HIGH',
      COMMON,
      `Maximum number of tasks to run for this connector (at most ${MAX_TASKS}: a change of task configs fences every task in one DynamoDB transaction).`,
    ),
    '1',
    intValue({ min: 1, max: MAX_TASKS }),
    { alias: 'max.tasks' },
  ),
  topics: optional(
    doc(
      'LIST',
      'HIGH',
      COMMON,
      'RocketMQ topics to consume, separated by "," or ";". Give this or topics.regex.',
    ),
    topicListValue(),
    { alias: 'connect.topicnames', appliesTo: 'sink' },
  ),
  'topics.regex': optional(
    doc(
      'STRING',
      'HIGH',
      COMMON,
      'A regular expression matching whole names of RocketMQ topics to consume. Give this or topics.',
    ),
    regexValue(),
    { appliesTo: 'sink' },
  ),
  topic: optional(
    doc(
      'STRING',
      'HIGH',
      COMMON,
      'The RocketMQ topic to write to, for records that do not name their own.',
    ),
    topicValue(),
    { alias: 'connect.topicname', appliesTo: 'source' },
  ),
  'consumer.group': optional(
    doc(
      'STRING',
      'MEDIUM',
      COMMON,
      'The RocketMQ consumer group of the sink; by default one per connector.',
    ),
    groupValue(),
    { alias: 'task.group.id', appliesTo: 'sink' },
  ),
  'key.converter': optional(
    doc('CLASS', 'LOW', COMMON, 'Converter of record keys; settings under key.converter.*.'),
    classValue(),
  ),
  'value.converter': optional(
    doc('CLASS', 'LOW', COMMON, 'Converter of record values; settings under value.converter.*.'),
    classValue(),
  ),
  'header.converter': optional(
    doc('CLASS', 'LOW', COMMON, 'Converter of header values; settings under header.converter.*.'),
    classValue(),
  ),
  transforms: withDefault(
    doc(
      'LIST',
      'LOW',
      TRANSFORMS,
      'Names of the transforms to apply, in order; each needs transforms.<name>.type.',
    ),
    '',
    aliasListValue(),
  ),
  predicates: withDefault(
    doc(
      'LIST',
      'LOW',
      PREDICATES,
      'Names of the predicates transforms may use; each needs predicates.<name>.type.',
    ),
    '',
    aliasListValue(),
  ),
  'errors.retry.timeout': withDefault(
    doc(
      'LONG',
      'MEDIUM',
      ERRORS,
      'How long (ms) to retry a retriable failure; 0: never, -1: forever.',
    ),
    '0',
    intValue({ min: -1 }),
  ),
  'errors.retry.delay.max.ms': withDefault(
    doc('LONG', 'MEDIUM', ERRORS, 'The longest wait (ms) between retries.'),
    '60000',
    intValue({ min: 0 }),
  ),
  'errors.tolerance': withDefault(
    doc(
      'STRING',
      'MEDIUM',
      ERRORS,
      'none: a failed record fails the task; all: it is skipped (and dead-lettered).',
    ),
    'none',
    enumValue(['none', 'all']),
  ),
  'errors.log.enable': withDefault(
    doc('BOOLEAN', 'MEDIUM', ERRORS, 'Log every failed record.'),
    'false',
    boolValue(),
  ),
  'errors.log.include.messages': withDefault(
    doc('BOOLEAN', 'MEDIUM', ERRORS, 'Include the record in the failure log.'),
    'false',
    boolValue(),
  ),
  'errors.deadletterqueue.topic.name': optional(
    doc(
      'STRING',
      'MEDIUM',
      ERRORS,
      'RocketMQ topic for failed records, with their original bytes; empty: none.',
    ),
    blankIsNone(topicValue().optional()),
  ),
  'errors.deadletterqueue.context.headers.enable': withDefault(
    doc(
      'BOOLEAN',
      'MEDIUM',
      ERRORS,
      'Add __connect.errors.* properties describing the failure to dead-lettered records.',
    ),
    'false',
    boolValue(),
  ),
  'slice.max.ms': withDefault(
    doc('LONG', 'LOW', RUNTIME, 'Longest run (ms) of one task slice.'),
    '60000',
    intValue({ min: 1000, max: 900_000 }),
  ),
  'slice.max.records': withDefault(
    doc(
      'LONG',
      'LOW',
      RUNTIME,
      'A slice takes no more records once it has handled this many (what one poll or receive ' +
        'already brought is still handled, so a slice may pass it by one batch).',
    ),
    '100000',
    intValue({ min: 1 }),
  ),
  'offset.flush.interval.ms': withDefault(
    doc(
      'LONG',
      'LOW',
      RUNTIME,
      'How often (ms) a source commits the offsets of what RocketMQ has acknowledged; a crash ' +
        're-sends at most what was sent since the last commit. Sinks acknowledge as often.',
    ),
    '2000',
    intValue({ min: 0, max: 900_000 }),
  ),
  'message.group.by.key': withDefault(
    doc(
      'BOOLEAN',
      'LOW',
      RUNTIME,
      'Source: send each record with its key as the message group, so that a FIFO topic keeps ' +
        "each key's records in order.",
    ),
    'false',
    boolValue(),
  ),
  'poll.interval.ms': withDefault(
    doc(
      'LONG',
      'LOW',
      RUNTIME,
      'How long (ms) an idle source waits before polling again. Short by default: new data ' +
        'reaches RocketMQ within it, and an idle slice pays for its time, not for its polls.',
    ),
    '100',
    intValue({ min: 0 }),
  ),
} as const;

type CommonKeys = typeof COMMON_KEYS;
export type CommonKeyName = keyof CommonKeys;

/** All common keys, under their canonical names. */
export const commonKeysSchema = pluginKeys(COMMON_KEYS).configSchema;

/** The common keys parsed, under their canonical names. */
export type CommonKeyValues = z.output<typeof commonKeysSchema>;

/** The table's entries, typed loosely for iteration. */
export const COMMON_KEY_ENTRIES = Object.entries(COMMON_KEYS) as [
  CommonKeyName,
  CommonKey<z.ZodType>,
][];

/** Every name of every common key, in both dialects. */
export const COMMON_KEY_NAMES: ReadonlySet<string> = new Set(
  COMMON_KEY_ENTRIES.flatMap(([name, key]) => (key.alias ? [name, key.alias] : [name])),
);

/** The definitions to show for a kind of connector (both kinds when unknown), aliases included. */
export function commonKeyDefs(type?: 'source' | 'sink'): ConfigKeyDef[] {
  return COMMON_KEY_ENTRIES.filter(
    ([, key]) => type === undefined || key.appliesTo === undefined || key.appliesTo === type,
  ).flatMap(([name, key]) => {
    const def = { name, ...key.def };
    if (!key.alias) return [def];
    const documentation = `Same as ${name} (the other dialect's name); give one of them.`;
    // The alias has no default of its own: shown as set, it would seem to say both are given.
    const alias = { ...def, name: key.alias, default: undefined, required: false, documentation };
    return [def, alias];
  });
}
