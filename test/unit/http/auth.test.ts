import { describe, expect, test } from 'vitest';
import { envOnlyProviders } from '../../../lib/config/provider-adapters.js';
import { loadApiEnv } from '../../../lib/platform/env.js';
import { apiAuthorizer } from '../../../lib/http/api-auth-config.js';
import { bearerTokenAuthorizer, iamAuthorizer } from '../../../lib/http/auth.js';
import { HttpError } from '../../../lib/http/errors.js';
import type { Access } from '../../../lib/http/router.js';
import type { HttpRequest } from '../../../lib/http/types.js';

const admin = 'a'.repeat(32);
const read = 'r'.repeat(32);
const authorize = bearerTokenAuthorizer({ admin, read });

const request = (authorization?: string, iamCaller?: string): HttpRequest => ({
  method: 'GET',
  path: '/connectors',
  query: new URLSearchParams(),
  headers: authorization === undefined ? {} : { authorization },
  ...(iamCaller === undefined ? {} : { iamCaller }),
});

function statusOf(check: () => void): number | 'ok' {
  try {
    check();
    return 'ok';
  } catch (error) {
    if (error instanceof HttpError) return error.httpStatus;
    throw error;
  }
}

describe('bearer token auth', () => {
  test.for<[string, string | undefined, Access, number | 'ok']>([
    ['no header', undefined, 'read', 401],
    ['an empty header', '  ', 'read', 401],
    ['Basic credentials', `Basic ${Buffer.from('u:p').toString('base64')}`, 'read', 401],
    ['a wrong token', 'Bearer nope', 'read', 401],
    ['a token with one character changed', `Bearer ${admin.slice(0, -1)}b`, 'write', 401],
    ['the admin token, to read', `Bearer ${admin}`, 'read', 'ok'],
    ['the admin token, to write', `bearer ${admin}`, 'write', 'ok'],
    ['the read token, to read', `Bearer ${read}`, 'read', 'ok'],
    ['the read token, to write', `Bearer ${read}`, 'write', 403],
    ['no header, on a public route', undefined, 'public', 'ok'],
  ])('%s: %s', ([, header, access, expected]) => {
    expect(statusOf(() => authorize(request(header), access))).toBe(expected);
  });

  test('a 401 challenges the caller with Bearer', () => {
    try {
      authorize(request(), 'read');
    } catch (error) {
      expect((error as HttpError).headers['www-authenticate']).toMatch(/^Bearer realm=/);
      return;
    }
    throw new Error('no 401');
  });

  test('without a read token, only the admin token passes', () => {
    const only = bearerTokenAuthorizer({ admin });
    expect(statusOf(() => only(request(`Bearer ${read}`), 'read'))).toBe(401);
  });
});

describe('IAM auth', () => {
  test('passes requests the HTTP API signed in, refuses others', () => {
    expect(
      statusOf(() => iamAuthorizer(request(undefined, 'arn:aws:iam::1:user/x'), 'write')),
    ).toBe('ok');
    expect(statusOf(() => iamAuthorizer(request(`Bearer ${admin}`), 'read'))).toBe(401);
    expect(statusOf(() => iamAuthorizer(request(), 'public'))).toBe('ok');
  });
});

describe('the API authorizer from the environment', () => {
  // The environment as the function parses it (defaults filled in), with token auth.
  const env = {
    ...loadApiEnv({
      STATE_TABLE_NAME: 's',
      COORDINATOR_FUNCTION_NAME: 'c',
      TASK_FUNCTION_NAME: 't',
      ROCKETMQ_ENDPOINT: 'p:1',
      CONNECT_API_AUTH: 'iam',
    }),
    CONNECT_API_AUTH: 'token' as const,
  };
  const providers = envOnlyProviders({ ADMIN_TOKEN: admin });

  test('resolves a token given as a ${...} reference', async () => {
    const authorizer = await apiAuthorizer(
      { ...env, CONNECT_API_TOKEN: '${env:ADMIN_TOKEN}' },
      providers,
    );
    expect(statusOf(() => authorizer(request(`Bearer ${admin}`), 'write'))).toBe('ok');
    expect(statusOf(() => authorizer(request('Bearer ${env:ADMIN_TOKEN}'), 'write'))).toBe(401);
  });

  test('refuses tokens too short to be safe, naming the variable', async () => {
    await expect(
      apiAuthorizer(
        { ...env, CONNECT_API_TOKEN: admin, CONNECT_API_READ_TOKEN: 'short' },
        providers,
      ),
    ).rejects.toThrow(/CONNECT_API_READ_TOKEN must be at least 16 characters/);
  });
});
