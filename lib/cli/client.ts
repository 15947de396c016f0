import { z } from 'zod';
import { ApiError, UnreachableError, UsageError } from './errors.js';

/** API Gateway gives up after 29 s; a request still open after a minute will not be answered. */
const DEFAULT_TIMEOUT_MS = 60_000;

export interface ClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:8083` or an API Gateway stage URL. */
  readonly url: string;
  /** Where the URL came from, for the message when it cannot be reached. */
  readonly urlSource: string;
  readonly token: string | undefined;
  readonly fetch: typeof fetch;
  readonly timeoutMs?: number;
}

export interface Answer {
  readonly status: number;
  /** The parsed JSON body; undefined for an empty one (202, 204). */
  readonly body: unknown;
}

/** Kafka Connect's error body; anything else (a proxy's page) is shown as text. */
const errorBodySchema = z.object({
  error_code: z.number().optional(),
  message: z.string(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});

/**
 * The Connect REST API over HTTP. Every failure becomes a CliError: ApiError for an error
 * status (with the API's message and per-key errors), UnreachableError when no answer came.
 */
export class ConnectClient {
  readonly url: string;

  constructor(private readonly options: ClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new UsageError(
        `${JSON.stringify(options.url)} (${options.urlSource}) is not a URL; e.g. http://127.0.0.1:8083`,
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new UsageError(
        `${options.url} (${options.urlSource}) must be an http:// or https:// URL`,
      );
    }
    this.url = options.url.replace(/\/+$/, '');
  }

  /** Sends a request; `path` starts with `/` and has its segments encoded (see {@link apiPath}). */
  async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw this.unreachable(error, timeoutMs);
    }
    if (!response.ok) {
      throw apiError(response.status, text, {
        sentToken: this.options.token !== undefined,
        url: this.url,
      });
    }
    if (text.trim() === '') return { status: response.status, body: undefined };
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new ApiError(response.status, `the answer from ${this.url}${path} is not JSON`, {
        details: [`is ${this.url} the Connect API? it answered: ${excerpt(text)}`],
      });
    }
  }

  private unreachable(error: unknown, timeoutMs: number): UnreachableError {
    const where = `the Connect API at ${this.url} (${this.options.urlSource})`;
    const hint = 'start it (npm start), or point rmq-connect at it with --url or CONNECT_API_URL';
    if (error instanceof Error && error.name === 'TimeoutError') {
      return new UnreachableError(`${where} did not answer within ${timeoutMs / 1000}s`, {
        cause: error,
      });
    }
    const reason = networkReason(error);
    return new UnreachableError(`could not reach ${where}: ${reason}`, {
      details: [hint],
      cause: error,
    });
  }
}

/** `/connectors/a%2Fb/status` from `'connectors', 'a/b', 'status'`. */
export function apiPath(...segments: (string | number)[]): string {
  return segments.map((s) => `/${encodeURIComponent(String(s))}`).join('');
}

/** The error an error status means, with the API's message and per-key errors. */
export function apiError(
  status: number,
  text: string,
  request: { readonly sentToken: boolean; readonly url: string },
): ApiError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  const details: string[] = [];
  let message: string;
  if (parsed.success) {
    message = parsed.data.message;
    const errors = Object.entries(parsed.data.errors ?? {}).filter(([, list]) => list.length > 0);
    for (const [key, list] of errors) for (const e of list) details.push(`  ${key}: ${e}`);
    // The message repeats the per-key errors listed under it: say only how many there are.
    if (details.length > 0) {
      message = `invalid connector config (${details.length} error${details.length === 1 ? '' : 's'})`;
    }
  } else {
    message = text.trim() === '' ? `HTTP ${status}` : excerpt(text);
  }
  // A 404 for the route itself (the API's router, or a gateway in front of it), not for a
  // connector: the base URL is likely wrong.
  const fromApi = parsed.success && parsed.data.error_code !== undefined;
  if (status === 404 && (!fromApi || message.startsWith('no such resource'))) {
    details.push(`is ${request.url} the Connect API's base URL? (set by --url or CONNECT_API_URL)`);
  }
  if (status === 401) {
    details.push(
      request.sentToken
        ? 'the token was refused: check CONNECT_API_TOKEN or --token'
        : 'no token was sent: set CONNECT_API_TOKEN or pass --token',
    );
  }
  return new ApiError(status, message, { details });
}

/** What a failed fetch says about the network: ECONNREFUSED, ENOTFOUND, ... */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const nested = (cause as { errors?: unknown[] } | undefined)?.errors?.[0];
  for (const candidate of [cause, nested, error]) {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}
