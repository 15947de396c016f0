import { resolveConfig, type ConfigProviders } from '../config/providers.js';
import { EnvError, type ApiEnv } from '../platform/env.js';
import { bearerTokenAuthorizer, iamAuthorizer, type Authorizer } from './auth.js';

/** Short tokens can be guessed; `npm start` generates 32 random bytes when none is set. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * The API's authorizer from its environment: IAM, or bearer tokens whose values may be
 * `${ssm:/path}` or `${secretsmanager:id:key}` references, resolved once at cold start.
 */
export async function apiAuthorizer(env: ApiEnv, providers: ConfigProviders): Promise<Authorizer> {
  if (env.CONNECT_API_AUTH === 'iam') return iamAuthorizer;
  const resolved = await resolveConfig(
    {
      CONNECT_API_TOKEN: env.CONNECT_API_TOKEN ?? '',
      ...(env.CONNECT_API_READ_TOKEN === undefined
        ? {}
        : { CONNECT_API_READ_TOKEN: env.CONNECT_API_READ_TOKEN }),
    },
    providers,
  );
  for (const [key, value] of Object.entries(resolved)) {
    if (value.length < MIN_TOKEN_LENGTH) {
      throw new EnvError(
        `invalid environment: ${key} must be at least ${MIN_TOKEN_LENGTH} characters`,
      );
    }
  }
  const admin = resolved.CONNECT_API_TOKEN ?? '';
  const read = resolved.CONNECT_API_READ_TOKEN;
  return bearerTokenAuthorizer(read === undefined ? { admin } : { admin, read });
}
