import { memoizeSuccess } from '../util/memo.js';
import { HttpError } from './errors.js';
import type { Route } from './router.js';
import type { HttpRequest, HttpResponse } from './types.js';

/**
 * The built web console: each file's text by its path relative to the build root, e.g.
 * `index.html` and `assets/index-BhfJQbZP.js`. `lib/http/console-files.ts` provides it.
 */
export type ConsoleFiles = ReadonlyMap<string, string>;

/** Where the console's hashed files are served; its build's `base` is `/console/`. */
const ASSETS_PATH = '/console/assets';

// The page loads only the console's own files and talks only to this API; it may not be framed.
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  // Always asked again, so a new deployment's page (naming new asset hashes) is seen at once.
  'cache-control': 'no-cache',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

// Assets are named after their content's hash: a changed file has a new name.
const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  html: 'text/html; charset=utf-8',
};

// What a built asset's name looks like (`index-BhfJQbZP.js`): no slash, no `..`, no `%`, no
// leading dot. Anything else is refused before the files are even looked at.
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/;

/**
 * Whether a request asks for a web page: browsers put `text/html` in `Accept` when they load a
 * page; curl and Kafka Connect's clients send the wildcard type or no `Accept` at all.
 */
export function acceptsHtml(request: HttpRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    // `q=0` means "not this one".
    return type === 'text/html' && !params.some((p) => /^q=0(?:\.0*)?$/.test(p));
  });
}

/** The console's page and files, served from what `load` gives. */
export interface ConsoleServer {
  /** `index.html`, with the headers that keep the page to itself. */
  page(): Promise<HttpResponse>;
  /** `GET /console` (and `/console/`), and `GET /console/assets/{file}`; all public. */
  readonly routes: Route[];
}

/**
 * Serves the web console. Its files are loaded on the first request that needs them, and kept;
 * a load that failed is tried again by the next request (that one answers 500, the cause in the
 * log). Every route is public: the page holds no data and asks the user for the API's token.
 */
export function consoleServer(load: () => Promise<ConsoleFiles>): ConsoleServer {
  const files = memoizeSuccess(async () => {
    try {
      return await load();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`the console's files could not be loaded: ${reason}`, { cause: error });
    }
  });

  const page = async (): Promise<HttpResponse> => {
    const html = (await files()).get('index.html');
    if (html === undefined) throw new Error("the console's files have no index.html");
    return { statusCode: 200, headers: PAGE_HEADERS, body: html };
  };

  const asset = async (request: HttpRequest, name: string): Promise<HttpResponse> => {
    // The path as received must be exactly the name's: no percent-encoded or doubled form of it
    // reaches a file (the router hands over segments already decoded).
    const text =
      ASSET_NAME.test(name) && request.path === `${ASSETS_PATH}/${name}`
        ? (await files()).get(`assets/${name}`)
        : undefined;
    if (text === undefined) throw new HttpError(404, `no such resource: ${request.path}`);
    const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    return {
      statusCode: 200,
      headers: {
        'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        'cache-control': ASSET_CACHE_CONTROL,
        'x-content-type-options': 'nosniff',
      },
      body: text,
    };
  };

  return {
    page,
    routes: [
      { method: 'GET', pattern: '/console', access: 'public', handle: page },
      {
        method: 'GET',
        pattern: `${ASSETS_PATH}/:file`,
        access: 'public',
        handle: ({ request, params }) => asset(request, params.file!),
      },
    ],
  };
}
