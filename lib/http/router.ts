import { HttpError } from './errors.js';
import type { HttpRequest, HttpResponse } from './types.js';

/** Who may call a route: anyone (health), any valid credential, or a credential that may change things. */
export type Access = 'public' | 'read' | 'write';

export interface RouteContext {
  readonly request: HttpRequest;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: string;
  /** Segments; `:name` matches any one segment. */
  readonly pattern: string;
  /**
   * Who may call it; a function when that depends on the request. Only `GET /` needs one: a
   * browser asking for a page there gets the console's page, which is public, while an API
   * client gets Kafka Connect's JSON, which needs credentials.
   */
  readonly access: Access | ((request: HttpRequest) => Access);
  readonly handle: (context: RouteContext) => Promise<HttpResponse>;
}

/** The access a request needs on its route. */
export function accessOf(route: Route, request: HttpRequest): Access {
  return typeof route.access === 'function' ? route.access(request) : route.access;
}

export interface Match {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/**
 * Finds the route for a request: 404 when no pattern matches the path, 405 (with `Allow`) when
 * patterns match but not for this method. Literal segments win over parameters, so
 * `GET /connectors/list` (RocketMQ Connect) is the list, not a connector named "list".
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const segments = splitPath(path);
  let best: { match: Match; literals: number } | undefined;
  const allowed = new Set<string>();
  for (const route of routes) {
    const found = matchPattern(route.pattern, segments);
    if (!found) continue;
    allowed.add(route.method);
    if (route.method !== method) continue;
    if (!best || found.literals > best.literals)
      best = { match: { route, params: found.params }, literals: found.literals };
  }
  if (best) return best.match;
  if (allowed.size > 0) {
    const allow = [...allowed].sort().join(', ');
    throw new HttpError(405, `${method} is not allowed on ${path}; use ${allow}`, { allow });
  }
  throw new HttpError(404, `no such resource: ${path}`);
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  const raw = trimmed === '' ? [] : trimmed.replace(/^\/+/, '').split('/');
  return raw.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new HttpError(
        400,
        `the path segment ${JSON.stringify(segment.slice(0, 100))} is not valid percent-encoding`,
      );
    }
  });
}

function matchPattern(
  pattern: string,
  segments: readonly string[],
): { params: Record<string, string>; literals: number } | undefined {
  const parts = splitPattern(pattern);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  let literals = 0;
  for (const [i, part] of parts.entries()) {
    const segment = segments[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part === segment) literals++;
    else return undefined;
  }
  return { params, literals };
}

const patternCache = new Map<string, string[]>();
function splitPattern(pattern: string): string[] {
  let parts = patternCache.get(pattern);
  if (!parts) {
    parts = pattern === '/' ? [] : pattern.replace(/^\//, '').split('/');
    patternCache.set(pattern, parts);
  }
  return parts;
}
