/**
 * The API's own view of an HTTP exchange, independent of what carries it (an HTTP API v2 event
 * on Lambda and under serverless-offline, or the local server in tests).
 */
export interface HttpRequest {
  /** Upper case. */
  readonly method: string;
  /** As received: percent-encoded, without the query string. */
  readonly path: string;
  /** Every value of every query parameter, in order. */
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as text; undefined when there is none. */
  readonly body?: string;
  /** The caller as the HTTP API's IAM authorizer identified it, when it uses IAM auth. */
  readonly iamCaller?: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = 'application/json';

export function jsonResponse(
  statusCode: number,
  value: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: JSON.stringify(value),
  };
}

export function emptyResponse(statusCode: 202 | 204): HttpResponse {
  return { statusCode, headers: {}, body: '' };
}
