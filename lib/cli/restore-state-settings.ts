import { z } from 'zod';
import { rocketMqEndpointOf } from '../platform/env.js';
import { DEFAULT_STATE_TOPICS, type StateTopics } from '../mirror/state-change.js';
import { DEFAULT_IDLE_MS } from '../restore/state-topic-reader.js';
import type { RocketMqEndpoint } from '../rocketmq/clients.js';
import type { Options } from './args.js';
import { UsageError } from './errors.js';
import { DEFAULT_REGION, DEFAULT_ROCKETMQ_ENDPOINT, synopsis } from './usage.js';

/** What `restore-state` works with, from its flags and the environment. */
export interface RestoreStateSettings {
  readonly table: string;
  readonly rocketmq: RocketMqEndpoint;
  /** Absent: DynamoDB itself, in `region`. */
  readonly dynamodbEndpoint: string | undefined;
  readonly region: string;
  readonly topics: StateTopics;
  readonly group: string;
  readonly idleMs: number;
  readonly skipInvalid: boolean;
  readonly force: boolean;
}

/** The longest idle wait taken: an hour is already more than any proxy needs. */
const MAX_IDLE_MS = 3_600_000;

const hostPort = z
  .string()
  .regex(
    /^[^\s:/]+:\d{1,5}$/,
    'must be host:port of the RocketMQ proxy (gRPC), e.g. 127.0.0.1:8081',
  )
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'has a port over 65535');

// RocketMQ's own rules for names: a typo is refused here rather than by the proxy.
const topicName = z
  .string()
  .regex(/^[%|a-zA-Z0-9_-]{1,127}$/, 'must be a topic name: letters, digits, %|_- (up to 127)');
const groupName = z
  .string()
  .regex(/^[%|a-zA-Z0-9_-]{1,255}$/, 'must be a group name: letters, digits, %|_- (up to 255)');

const FIELDS = {
  table: z
    .string()
    .regex(
      /^[a-zA-Z0-9_.-]{3,255}$/,
      'must be a DynamoDB table name: 3 to 255 of a-z A-Z 0-9 _ . -',
    ),
  rocketmq: hostPort,
  'dynamodb-endpoint': z.url({
    protocol: /^https?$/,
    error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8000',
  }),
  region: z.string().regex(/^[a-z0-9-]+$/, 'must be an AWS region, e.g. us-east-1'),
  'config-topic': topicName,
  'offset-topic': topicName,
  'status-topic': topicName,
  group: groupName,
  'idle-ms': z
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds, e.g. 5000')
    .transform(Number)
    .pipe(z.number().max(MAX_IDLE_MS, `must be at most ${MAX_IDLE_MS} (an hour)`)),
} as const;

type Field = keyof typeof FIELDS;
type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads restore-state's flags, falling back on the environment (the functions' variable names)
 * and then on defaults. A bad or missing value is a UsageError naming the flag or variable.
 * `now` (epoch ms) names the default consumer group, new on every run.
 */
export function restoreStateSettings(
  options: Options,
  env: Env,
  now: number,
): RestoreStateSettings {
  /** The flag's text, else the variable's, with where it came from. */
  const given = (field: Field, variable?: string): Given | undefined => {
    const flag = options[field];
    if (flag !== undefined) return { text: flag, source: `--${field}` };
    const fromEnv = variable === undefined ? undefined : nonBlank(env[variable]);
    return fromEnv === undefined ? undefined : { text: fromEnv, source: variable! };
  };
  const optional = <F extends Field>(field: F, variable?: string) => {
    const found = given(field, variable);
    return found === undefined ? undefined : check(field, found);
  };
  const withDefault = <F extends Field>(field: F, variable: string | undefined, fallback: string) =>
    check(field, given(field, variable) ?? { text: fallback, source: `--${field}` });

  const table = optional('table', 'STATE_TABLE_NAME');
  if (table === undefined) {
    throw new UsageError('restore-state needs the state table: --table NAME or STATE_TABLE_NAME', {
      details: [USAGE],
    });
  }
  const accessKey = nonBlank(env.ROCKETMQ_ACCESS_KEY);
  const secretKey = nonBlank(env.ROCKETMQ_SECRET_KEY);
  if ((accessKey === undefined) !== (secretKey === undefined)) {
    throw new UsageError(
      'ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY go together: set both (for a proxy with ACLs) or neither',
    );
  }
  const namespace = nonBlank(env.ROCKETMQ_NAMESPACE);
  return {
    table,
    rocketmq: rocketMqEndpointOf({
      ROCKETMQ_ENDPOINT: withDefault('rocketmq', 'ROCKETMQ_ENDPOINT', DEFAULT_ROCKETMQ_ENDPOINT),
      ROCKETMQ_NAMESPACE: namespace,
      ROCKETMQ_ACCESS_KEY: accessKey,
      ROCKETMQ_SECRET_KEY: secretKey,
    }),
    dynamodbEndpoint: optional('dynamodb-endpoint', 'DYNAMODB_ENDPOINT'),
    region: withDefault('region', 'AWS_REGION', DEFAULT_REGION),
    // The mirror function's variables name the same topics.
    topics: {
      config: withDefault('config-topic', 'STATE_CONFIG_TOPIC', DEFAULT_STATE_TOPICS.config),
      offset: withDefault('offset-topic', 'STATE_OFFSET_TOPIC', DEFAULT_STATE_TOPICS.offset),
      status: withDefault('status-topic', 'STATE_STATUS_TOPIC', DEFAULT_STATE_TOPICS.status),
    },
    group: withDefault('group', undefined, `connect-state-restore-${now}`),
    idleMs: withDefault('idle-ms', undefined, String(DEFAULT_IDLE_MS)),
    skipInvalid: options['skip-invalid'] === true,
    force: options.force === true,
  };
}

interface Given {
  readonly text: string;
  /** `--table` or `STATE_TABLE_NAME`: what an error names. */
  readonly source: string;
}

const USAGE = `usage: rmq-connect ${synopsis('restore-state')}`;

function check<F extends Field>(field: F, given: Given): z.output<(typeof FIELDS)[F]> {
  const parsed = FIELDS[field].safeParse(given.text);
  if (parsed.success) return parsed.data as z.output<(typeof FIELDS)[F]>;
  const message = parsed.error.issues[0]?.message ?? 'is invalid';
  throw new UsageError(`${given.source} ${JSON.stringify(given.text)}: ${message}`, {
    details: [USAGE],
  });
}

function nonBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}
