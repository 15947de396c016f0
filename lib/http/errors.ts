import { isRetriable } from '../api/retriable.js';
import { ConfigValidationError } from '../config/errors.js';
import { jsonResponse, type HttpResponse } from './types.js';

/** A request the API refuses on its own account: the status code and what is wrong. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly httpStatus: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Kafka Connect's error body, plus the per-key errors of an invalid config. */
export interface ErrorBody {
  readonly error_code: number;
  readonly message: string;
  readonly errors?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The answer for a failed request. Errors that describe the request (bad input, unknown names,
 * conflicts) are 4xx with their message; anything else is a 5xx whose details go to the log
 * only, since they may hold internals, never to the caller.
 */
export function errorResponse(
  error: unknown,
  log: (line: string) => void,
  requestId: string,
): HttpResponse {
  const status = statusOf(error);
  if (status >= 500 || !(error instanceof Error)) {
    log(
      `request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    const message =
      status === 503
        ? `a service the API needs did not answer (${error instanceof Error ? error.message : 'unknown'}); try again`
        : `internal error (request ${requestId}); the API's log has the details`;
    return jsonResponse(status, { error_code: status, message } satisfies ErrorBody);
  }
  const body: ErrorBody =
    error instanceof ConfigValidationError
      ? { error_code: status, message: error.message, errors: errorsByKey(error) }
      : { error_code: status, message: error.message };
  return jsonResponse(status, body, error instanceof HttpError ? error.headers : {});
}

/**
 * One rule: an error the API answers on purpose carries its own status (`httpStatus`: 4xx for
 * what is wrong with the request, 503 for a topic that could not be created); otherwise a
 * failure that may pass later (RocketMQ or DynamoDB unreachable or throttling) is 503, and
 * anything else, a bug, 500.
 */
function statusOf(error: unknown): number {
  if (error instanceof Error && 'httpStatus' in error && typeof error.httpStatus === 'number') {
    return error.httpStatus;
  }
  return isRetriable(error) ? 503 : 500;
}

function errorsByKey(error: ConfigValidationError): Record<string, string[]> {
  const byKey: Record<string, string[]> = {};
  for (const c of error.result.configs) {
    if (c.value.errors.length > 0) byKey[c.value.name] = [...c.value.errors];
  }
  return byKey;
}
