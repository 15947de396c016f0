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

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Parses the environment once at cold start; a missing or bad variable fails naming it. */
export function loadPlatformEnv(env: NodeJS.ProcessEnv = process.env): PlatformEnv {
  const parsed = platformEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
