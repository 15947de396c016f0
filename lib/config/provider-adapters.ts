import {
  GetSecretValueCommand,
  SecretsManagerClient,
  type GetSecretValueCommandOutput,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import {
  GetParameterCommand,
  SSMClient,
  type GetParameterCommandOutput,
  type SSMClientConfig,
} from '@aws-sdk/client-ssm';
import { NonRetriableError, RetriableError } from '../api/errors.js';
import type { ConfigProviders, EnvProvider, SecretsProvider, SsmProvider } from './providers.js';

/** What the SSM adapter needs of an `SSMClient`. */
export interface SsmClientLike {
  send(command: GetParameterCommand): Promise<GetParameterCommandOutput>;
}

/** What the Secrets Manager adapter needs of a `SecretsManagerClient`. */
export interface SecretsManagerClientLike {
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
}

/** Environment variables from an env object (the handler passes `process.env`). */
export function envProvider(env: Readonly<Record<string, string | undefined>>): EnvProvider {
  return { get: (name) => env[name] };
}

/** SSM Parameter Store through an injected client; SecureStrings are decrypted. */
export function ssmProvider(client: SsmClientLike): SsmProvider {
  return {
    async getParameter(name) {
      try {
        const out = await client.send(
          new GetParameterCommand({ Name: name, WithDecryption: true }),
        );
        return out.Parameter?.Value;
      } catch (err) {
        if (hasName(err, ['ParameterNotFound', 'ParameterVersionNotFound'])) return undefined;
        throw classify(err, `SSM GetParameter of "${name}"`);
      }
    },
  };
}

/** Secrets Manager through an injected client; a binary secret is read as UTF-8. */
export function secretsManagerProvider(client: SecretsManagerClientLike): SecretsProvider {
  return {
    async getSecretString(secretId) {
      let out: GetSecretValueCommandOutput;
      try {
        out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      } catch (err) {
        if (hasName(err, ['ResourceNotFoundException'])) return undefined;
        throw classify(err, `Secrets Manager GetSecretValue of "${secretId}"`);
      }
      if (out.SecretString !== undefined) return out.SecretString;
      if (out.SecretBinary !== undefined) return Buffer.from(out.SecretBinary).toString('utf8');
      throw new NonRetriableError(`secret "${secretId}" has neither a string nor a binary value`);
    },
  };
}

// Failures that the same call will meet again: permissions, bad input, keys that cannot decrypt.
const PERMANENT = [
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidKeyId',
  'ValidationException',
  'InvalidParameterException',
  'InvalidRequestException',
  'DecryptionFailure',
];

/** Wraps an SDK failure, named by its type only: AWS messages are not ours to vouch for. */
function classify(err: unknown, what: string): Error {
  const name = err instanceof Error ? err.name : typeof err;
  const message = `${what} failed: ${name}`;
  return hasName(err, PERMANENT)
    ? new NonRetriableError(message, { cause: err })
    : new RetriableError(message, { cause: err });
}

function hasName(err: unknown, names: readonly string[]): boolean {
  return err instanceof Error && names.includes(err.name);
}

/**
 * Providers for running without AWS (tests, benches, local tools): `${env:...}` from `env`;
 * `${ssm:...}` and `${secretsmanager:...}` refused, saying why (resolveConfig names the key).
 */
export function envOnlyProviders(
  env: Readonly<Record<string, string | undefined>>,
): ConfigProviders {
  const refuse = (service: string) => () =>
    Promise.reject(new NonRetriableError(`${service} is not available here (no AWS client)`));
  return {
    env: envProvider(env),
    ssm: { getParameter: refuse('SSM Parameter Store') },
    secretsmanager: { getSecretString: refuse('Secrets Manager') },
  };
}

/**
 * What a function resolves `${...}` references with: its own environment, and SSM and Secrets
 * Manager through clients made with `clientConfig` (region, timeouts).
 */
export function functionConfigProviders(
  env: Readonly<Record<string, string | undefined>>,
  clientConfig: SSMClientConfig & SecretsManagerClientConfig,
): ConfigProviders {
  return {
    env: envProvider(env),
    ssm: ssmProvider(new SSMClient(clientConfig)),
    secretsmanager: secretsManagerProvider(new SecretsManagerClient(clientConfig)),
  };
}
