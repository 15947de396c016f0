import { z } from 'zod';
import { DEFAULT_STATE_TOPICS, type StateTopics } from '../mirror/state-change.js';
import type { RocketMqEndpoint } from '../rocketmq/clients.js';

/**
 * The functions' settings, from the environment (serverless.yml sets them when deployed;
 * `npm start` sets them locally). The one place function code reads `process.env`.
 */
const baseEnvSchema = z.object({
  STATE_TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  // Local runs point the SDK clients at DynamoDB Local and serverless-offline.
  DYNAMODB_ENDPOINT: z.url().optional(),
  LAMBDA_ENDPOINT: z.url().optional(),
});

/** What every function with the state table has: the table, the region, local endpoints. */
export type BaseEnv = z.infer<typeof baseEnvSchema>;

/** The coordinator's: it dispatches slices to the task function. */
const platformEnvSchema = baseEnvSchema.extend({
  TASK_FUNCTION_NAME: z.string().min(1),
});

export type PlatformEnv = z.infer<typeof platformEnvSchema>;

const emptyAsUnset = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().min(1).optional(),
);

/** How functions reach RocketMQ. */
const rocketMqEnvShape = {
  /** `host:port` of the RocketMQ proxy's gRPC listener. */
  ROCKETMQ_ENDPOINT: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port of the RocketMQ proxy (gRPC)'),
  ROCKETMQ_NAMESPACE: z.string().optional(),
  /**
   * ACL credentials, when the proxy asks for them (both or neither). Empty means unset:
   * serverless.yml sets both variables, to '' when its parameters are not given.
   */
  ROCKETMQ_ACCESS_KEY: emptyAsUnset,
  ROCKETMQ_SECRET_KEY: emptyAsUnset,
  /**
   * Name servers (`host:port`, `;` between several). Where set, tasks send and pull over
   * RocketMQ's remoting protocol straight to the brokers (batches; lib/rocketmq/README.md),
   * and the API creates topics and moves sink connectors' offsets. Empty means unset
   * (serverless.yml's default): then tasks go through the proxy's gRPC endpoint.
   */
  ROCKETMQ_NAMESRV: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(
        /^[^\s:/;]+:\d{1,5}(;[^\s:/;]+:\d{1,5})*$/,
        'must be host:port of the RocketMQ name server (several separated by ;)',
      )
      .optional(),
  ),
  /** The cluster whose master brokers get new topics and consumer groups. */
  ROCKETMQ_CLUSTER: z.string().min(1).default('DefaultCluster'),
};

/** The task function also reaches RocketMQ. */
const taskEnvSchema = platformEnvSchema.extend(rocketMqEnvShape);

export type TaskEnv = z.infer<typeof taskEnvSchema>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Parses the environment once at cold start; a missing or bad variable fails naming it. */
export function loadPlatformEnv(env: NodeJS.ProcessEnv = process.env): PlatformEnv {
  return parseEnv(platformEnvSchema, env);
}

/** The task function's environment: the platform's plus RocketMQ's. */
export function loadTaskEnv(env: NodeJS.ProcessEnv = process.env): TaskEnv {
  return checkCredentialPair(parseEnv(taskEnvSchema, env));
}

/**
 * The mirror function's: RocketMQ, and the state topics it publishes to (RocketMQ Connect's
 * names by default).
 */
const mirrorEnvSchema = z.object({
  ...rocketMqEnvShape,
  STATE_CONFIG_TOPIC: z.string().min(1).default(DEFAULT_STATE_TOPICS.config),
  STATE_OFFSET_TOPIC: z.string().min(1).default(DEFAULT_STATE_TOPICS.offset),
  STATE_STATUS_TOPIC: z.string().min(1).default(DEFAULT_STATE_TOPICS.status),
});

export type MirrorEnv = z.infer<typeof mirrorEnvSchema>;

export function loadMirrorEnv(env: NodeJS.ProcessEnv = process.env): MirrorEnv {
  return checkCredentialPair(parseEnv(mirrorEnvSchema, env));
}

/** The state topics a mirror environment names. */
export function stateTopicsOf(env: MirrorEnv): StateTopics {
  return {
    config: env.STATE_CONFIG_TOPIC,
    offset: env.STATE_OFFSET_TOPIC,
    status: env.STATE_STATUS_TOPIC,
  };
}

/**
 * The API function's: RocketMQ (to check topics), the coordinator to wake, the task function
 * that checks configs against their systems, how callers prove who they are, and, where the
 * operator gives the name server, RocketMQ's admin calls (creating topics, sink connectors'
 * offsets).
 */
const apiEnvSchema = baseEnvSchema.extend({
  ...rocketMqEnvShape,
  COORDINATOR_FUNCTION_NAME: z.string().min(1),
  /** Checks configs against the systems they name (plugins' `checkSystem`), synchronously. */
  TASK_FUNCTION_NAME: z.string().min(1),
  /** `token`: bearer tokens; `iam`: the HTTP API checks SigV4 signatures itself. */
  CONNECT_API_AUTH: z.enum(['token', 'iam']).default('token'),
  /** The admin token; may be a `${ssm:/path}` or `${secretsmanager:id:key}` reference. */
  CONNECT_API_TOKEN: z.string().min(1).optional(),
  /** A token that may only read (dashboards, Prometheus); optional, referenced likewise. */
  CONNECT_API_READ_TOKEN: z.string().min(1).optional(),
  /** The commit `GET /` reports (set by the deployment). */
  GIT_COMMIT: z.string().min(1).default('unknown'),
});

export type ApiEnv = z.infer<typeof apiEnvSchema>;

export function loadApiEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const parsed = checkCredentialPair(parseEnv(apiEnvSchema, env));
  if (parsed.CONNECT_API_AUTH === 'token' && parsed.CONNECT_API_TOKEN === undefined) {
    throw new EnvError(
      'invalid environment: CONNECT_API_TOKEN is required with CONNECT_API_AUTH=token (every route but /health needs it)',
    );
  }
  return parsed;
}

/** Where the functions' RocketMQ clients connect, from their environment. */
export function rocketMqEndpointOf(env: {
  ROCKETMQ_ENDPOINT: string;
  ROCKETMQ_NAMESPACE?: string | undefined;
  ROCKETMQ_ACCESS_KEY?: string | undefined;
  ROCKETMQ_SECRET_KEY?: string | undefined;
}): RocketMqEndpoint {
  return {
    endpoints: env.ROCKETMQ_ENDPOINT,
    ...(env.ROCKETMQ_NAMESPACE !== undefined && { namespace: env.ROCKETMQ_NAMESPACE }),
    ...(env.ROCKETMQ_ACCESS_KEY !== undefined &&
      env.ROCKETMQ_SECRET_KEY !== undefined && {
        credentials: { accessKey: env.ROCKETMQ_ACCESS_KEY, accessSecret: env.ROCKETMQ_SECRET_KEY },
      }),
  };
}

/**
 * AWS SDK client options: a hung request must not eat an invocation, so every call gives up
 * after a few seconds; `endpoint` points at a local stand-in.
 */
export function awsClientOptions(env: { AWS_REGION: string }, endpoint: string | undefined) {
  return {
    region: env.AWS_REGION,
    requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 },
    ...(endpoint ? { endpoint } : {}),
  };
}

function checkCredentialPair<
  E extends { ROCKETMQ_ACCESS_KEY?: string; ROCKETMQ_SECRET_KEY?: string },
>(parsed: E): E {
  if ((parsed.ROCKETMQ_ACCESS_KEY === undefined) !== (parsed.ROCKETMQ_SECRET_KEY === undefined)) {
    throw new EnvError(
      'invalid environment: ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY go together; set both or neither',
    );
  }
  return parsed;
}

function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
