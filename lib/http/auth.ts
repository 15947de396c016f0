import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';
import type { Access } from './router.js';
import type { HttpRequest } from './types.js';

/** Lets a request through for a route of the given access, or throws 401/403. */
export type Authorizer = (request: HttpRequest, access: Access) => void;

const CHALLENGE = 'Bearer realm="rocketmq-connect"';

/**
 * Bearer tokens: `admin` may do everything; `read` (optional) may only read, e.g. for a
 * dashboard or a Prometheus scraper. Tokens are compared in constant time.
 */
export function bearerTokenAuthorizer(tokens: {
  readonly admin: string;
  readonly read?: string;
}): Authorizer {
  const admin = digest(tokens.admin);
  const read = tokens.read === undefined ? undefined : digest(tokens.read);
  return (request, access) => {
    if (access === 'public') return;
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw new HttpError(
        401,
        'authentication required: send Authorization: Bearer <CONNECT_API_TOKEN>',
        {
          'www-authenticate': CHALLENGE,
        },
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw new HttpError(401, 'the Authorization header must be "Bearer <token>"', {
        'www-authenticate': `${CHALLENGE}, error="invalid_request"`,
      });
    }
    const given = digest(match[1]!);
    if (timingSafeEqual(given, admin)) return;
    if (read && timingSafeEqual(given, read)) {
      if (access === 'read') return;
      throw new HttpError(
        403,
        'this token may only read; changing connectors needs the admin token',
      );
    }
    throw new HttpError(401, 'the bearer token is not valid', {
      'www-authenticate': `${CHALLENGE}, error="invalid_token"`,
    });
  };
}

/**
 * When the HTTP API itself checks callers with IAM (SigV4), a request reaches the function only
 * signed; one that arrives without an IAM identity was not routed through the authorizer.
 */
export const iamAuthorizer: Authorizer = (request, access) => {
  if (access === 'public' || request.iamCaller) return;
  throw new HttpError(
    401,
    'authentication required: sign the request with AWS SigV4 (the API uses IAM auth)',
  );
};

// Equal-length digests, so timingSafeEqual never throws and the length is not revealed.
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
