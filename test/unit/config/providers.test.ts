import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  GetParameterCommand,
  type GetParameterCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ConfigError, NonRetriableError, RetriableError } from '../../../lib/api/errors.js';
import { ConfigProviderError } from '../../../lib/config/errors.js';
import {
  envOnlyProviders,
  envProvider,
  secretsManagerProvider,
  type SecretsManagerClientLike,
  ssmProvider,
  type SsmClientLike,
} from '../../../lib/config/provider-adapters.js';
import { type ConfigProviders, resolveConfig } from '../../../lib/config/providers.js';

// The adapters take the real SDK clients; this line fails to compile if they stop fitting.
export const clientsFit = (ssm: SSMClient, secrets: SecretsManagerClient) =>
  [ssm satisfies SsmClientLike, secrets satisfies SecretsManagerClientLike] as const;

/** An SDK-style failure: the SDK sets `name` to the service's error code. */
function awsError(name: string, message = `${name} happened`): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** A fake SSM client: only `send`, recording the commands it got. */
function fakeSsm(parameters: Record<string, string | Error>) {
  const commands: GetParameterCommand[] = [];
  const client: SsmClientLike = {
    send(command) {
      commands.push(command);
      const found = parameters[command.input.Name ?? ''];
      if (found === undefined) return Promise.reject(awsError('ParameterNotFound'));
      if (found instanceof Error) return Promise.reject(found);
      const out: GetParameterCommandOutput = {
        $metadata: {},
        Parameter: { Name: command.input.Name, Value: found, Type: 'SecureString' },
      };
      return Promise.resolve(out);
    },
  };
  return { client, commands };
}

/** A fake Secrets Manager client: only `send`. */
function fakeSecrets(secrets: Record<string, string | Uint8Array | Error>) {
  const commands: GetSecretValueCommand[] = [];
  const client: SecretsManagerClientLike = {
    send(command) {
      commands.push(command);
      const found = secrets[command.input.SecretId ?? ''];
      if (found === undefined) return Promise.reject(awsError('ResourceNotFoundException'));
      if (found instanceof Error) return Promise.reject(found);
      const out: GetSecretValueCommandOutput =
        typeof found === 'string'
          ? { $metadata: {}, SecretString: found }
          : { $metadata: {}, SecretBinary: found };
      return Promise.resolve(out);
    },
  };
  return { client, commands };
}

const SECRET = 's3cr3t-Value!';

function providers(
  overrides: {
    env?: Record<string, string>;
    ssm?: Record<string, string | Error>;
    secrets?: Record<string, string | Uint8Array | Error>;
  } = {},
) {
  const ssm = fakeSsm(overrides.ssm ?? {});
  const secrets = fakeSecrets(overrides.secrets ?? {});
  const ports: ConfigProviders = {
    env: envProvider(overrides.env ?? {}),
    ssm: ssmProvider(ssm.client),
    secretsmanager: secretsManagerProvider(secrets.client),
  };
  return { ports, ssm, secrets };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
  }
  throw new Error('expected a failure');
}

describe('resolveConfig', () => {
  it('replaces every reference, inside text too, and leaves other values alone', async () => {
    const { ports } = providers({
      env: { HOST: 'db.local', PORT: '3306' },
      ssm: { '/prod/db/password': SECRET },
      secrets: { 'prod/api': JSON.stringify({ key: 'k-123', retries: 3 }) },
    });
    const resolved = await resolveConfig(
      {
        'connection.url': 'jdbc:mysql://${env:HOST}:${env:PORT}/app',
        'connection.password': '${ssm:/prod/db/password}',
        'api.key': '${secretsmanager:prod/api:key}',
        'api.retries': '${secretsmanager:prod/api:retries}',
        'api.whole': '${secretsmanager:prod/api}',
        'topic.format': '${topic}-${timestamp}',
        plain: 'x',
      },
      ports,
    );
    expect(resolved).toEqual({
      'connection.url': 'jdbc:mysql://db.local:3306/app',
      'connection.password': SECRET,
      'api.key': 'k-123',
      'api.retries': '3',
      'api.whole': '{"key":"k-123","retries":3}',
      'topic.format': '${topic}-${timestamp}',
      plain: 'x',
    });
  });

  it('fetches each parameter and secret once per call', async () => {
    const { ports, ssm, secrets } = providers({
      ssm: { '/p': 'v' },
      secrets: { s: '{"a":"1","b":"2"}' },
    });
    await resolveConfig(
      {
        a: '${ssm:/p}',
        b: '${ssm:/p}-${ssm:/p}',
        c: '${secretsmanager:s:a}',
        d: '${secretsmanager:s:b}',
      },
      ports,
    );
    expect(ssm.commands).toHaveLength(1);
    expect(secrets.commands).toHaveLength(1);
  });

  it('asks SSM to decrypt, by the parameter name', async () => {
    const { ports, ssm } = providers({ ssm: { '/prod/db/password': SECRET } });
    await resolveConfig({ p: '${ssm:/prod/db/password}' }, ports);
    expect(ssm.commands[0]).toBeInstanceOf(GetParameterCommand);
    expect(ssm.commands[0]?.input).toEqual({ Name: '/prod/db/password', WithDecryption: true });
  });

  it('asks Secrets Manager for the secret id without the JSON key, and reads binary secrets', async () => {
    const { ports, secrets } = providers({
      secrets: { 'team/db': new TextEncoder().encode('{"user":"app"}') },
    });
    const resolved = await resolveConfig({ u: '${secretsmanager:team/db:user}' }, ports);
    expect(resolved).toEqual({ u: 'app' });
    expect(secrets.commands[0]).toBeInstanceOf(GetSecretValueCommand);
    expect(secrets.commands[0]?.input).toEqual({ SecretId: 'team/db' });
  });

  it('returns the config as it is when it holds no reference', async () => {
    const config = { a: 'b' };
    expect(await resolveConfig(config, providers().ports)).toBe(config);
  });

  it('fails on a malformed reference with a ConfigError naming the key', async () => {
    const err = await failure(resolveConfig({ 'db.user': '${vault:x}' }, providers().ports));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('db.user');
    expect(err.message).toMatch(/unknown config provider "vault"/);
  });

  it.each([
    ['an unset variable', { v: '${env:NOPE}' }, /environment variable "NOPE" is not set/],
    ['a missing parameter', { v: '${ssm:/nope}' }, /SSM parameter "\/nope" does not exist/],
    ['a missing secret', { v: '${secretsmanager:nope:k}' }, /secret "nope" does not exist/],
    ['a missing JSON key', { v: '${secretsmanager:db:nope}' }, /secret "db" has no key "nope"/],
    [
      'a secret that is not JSON',
      { v: '${secretsmanager:raw:k}' },
      /secret "raw" is not a JSON object, so key "k" cannot be read/,
    ],
  ])(
    'fails on %s naming the key and the reference, never a secret value',
    async (_what, config, why) => {
      const { ports } = providers({
        secrets: { db: JSON.stringify({ password: SECRET }), raw: SECRET },
        ssm: { '/other': SECRET },
      });
      const err = await failure(resolveConfig({ ...config, other: '${ssm:/other}' }, ports));
      expect(err).toBeInstanceOf(ConfigProviderError);
      const e = err as ConfigProviderError;
      expect(e.key).toBe('v');
      expect(e.reference).toBe(config.v);
      expect(e.message).toContain(`in config key "v"`);
      expect(e.message).toContain(config.v);
      expect(e.message).toMatch(why);
      expect(e.retriable).toBe(false);
      expect(`${e.message} ${e.stack ?? ''}`).not.toContain(SECRET);
    },
  );

  it('says a throttled lookup is retriable and a denied one is not, naming only the error type', async () => {
    const { ports } = providers({
      ssm: {
        '/busy': awsError('ThrottlingException', 'Rate exceeded'),
        '/denied': awsError(
          'AccessDeniedException',
          'User arn:aws:iam::1:user/x is not authorized',
        ),
      },
    });
    const busy = await failure(resolveConfig({ a: '${ssm:/busy}' }, ports));
    expect(busy).toBeInstanceOf(ConfigProviderError);
    expect((busy as ConfigProviderError).retriable).toBe(true);
    expect(busy.message).toBe(
      'cannot resolve ${ssm:/busy} in config key "a": SSM GetParameter of "/busy" failed: ThrottlingException',
    );
    expect(busy.cause).toBeInstanceOf(RetriableError);

    const denied = await failure(resolveConfig({ a: '${ssm:/denied}' }, ports));
    expect((denied as ConfigProviderError).retriable).toBe(false);
    expect(denied.cause).toBeInstanceOf(NonRetriableError);
    expect(denied.message).not.toContain('arn:aws:iam');
  });

  it('treats a failure of a provider it does not know as retriable, named by its type', async () => {
    const ports: ConfigProviders = {
      ...providers().ports,
      ssm: { getParameter: () => Promise.reject(new TypeError(`socket hang up ${SECRET}`)) },
    };
    const err = await failure(resolveConfig({ a: '${ssm:/x}' }, ports));
    expect((err as ConfigProviderError).retriable).toBe(true);
    expect(err.message).toBe(
      'cannot resolve ${ssm:/x} in config key "a": ssm lookup failed (TypeError)',
    );
  });
});

describe('envOnlyProviders', () => {
  it('resolves environment references and refuses SSM and Secrets Manager ones, naming the key', async () => {
    const providers = envOnlyProviders({ HOST: 'db.local' });
    expect(await resolveConfig({ host: '${env:HOST}' }, providers)).toEqual({ host: 'db.local' });
    await expect(resolveConfig({ password: '${ssm:/db/password}' }, providers)).rejects.toThrow(
      /password.*SSM Parameter Store is not available here/,
    );
    await expect(
      resolveConfig({ token: '${secretsmanager:api:token}' }, providers),
    ).rejects.toThrow(/token.*Secrets Manager is not available here/);
  });
});
