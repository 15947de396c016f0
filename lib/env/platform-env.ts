import { z } from 'zod';

/**
 * The functions' settings, from the environment (serverless.yml sets them when deployed;
 * `npm start` sets them locally). The one place function code reads `process.env`.
 */
const platformEnvSchema = z.object({
  STATE_TABLE_NAME: z.string().min(1),
  TASK_FUNCTION_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  // Local runs point the SDK clients at DynamoDB Local and serverless-offline.
  DYNAMODB_ENDPOINT: z.url().optional(),
  LAMBDA_ENDPOINT: z.url().optional(),
});

export type PlatformEnv = z.infer<typeof platformEnvSchema>;

/** The task function also reaches RocketMQ. */
const taskEnvSchema = platformEnvSchema.extend({
  /** `host:port` of the RocketMQ proxy's gRPC listener. */
  ROCKETMQ_ENDPOINT: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port of the RocketMQ proxy (gRPC)'),
  ROCKETMQ_NAMESPACE: z.string().optional(),
  /** ACL credentials, when the proxy asks for them (both or neither). */
  ROCKETMQ_ACCESS_KEY: z.string().min(1).optional(),
  ROCKETMQ_SECRET_KEY: z.string().min(1).optional(),
});

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
  const parsed = parseEnv(taskEnvSchema, env);
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
