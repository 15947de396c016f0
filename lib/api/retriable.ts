/**
 * Whether a failure may pass if the same call is made again: the one rule that the runtime's
 * retries (`errors.retry.timeout`) and the API's 503 answers share.
 *
 * 1. An error that says so itself (a `retriable` flag: `ConnectError`, the state store's and
 *    restore's errors) is taken at its word, whatever else it looks like.
 * 2. An AWS SDK v3 error is judged as the SDK's own retry strategy judges it (the rules of
 *    `@smithy/service-error-classification`, which is not a dependency here): a `$retryable`
 *    trait, throttling (HTTP 429 or a throttling error name), a transient error name, a 5xx
 *    status, a request retried after its clock skew was corrected.
 * 3. A transport failure: Node's network error codes, and gRPC's `UNAVAILABLE` and
 *    `DEADLINE_EXCEEDED`, which the RocketMQ client reports only in its message.
 *
 * Anything else is not retriable: retrying a bug or bad input only delays the failure. A
 * wrapper's `cause` is not looked into: whoever wrapped the error without saying chose so.
 *
 * @example
 * isRetriable(new RetriableError('broker busy')); // true
 * isRetriable(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })); // true
 * isRetriable(new TypeError('x is undefined')); // false
 */
export function isRetriable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const said = (error as { retriable?: unknown }).retriable;
  if (typeof said === 'boolean') return said;
  const { name = '', message = '', code, $retryable, $metadata } = error as SdkErrorShape;
  // An abort was asked for: trying again would undo it (the SDK never retries one either).
  if (name === 'AbortError') return false;
  const status = $metadata?.httpStatusCode ?? 0;
  return (
    $retryable !== undefined ||
    $metadata?.clockSkewCorrected === true ||
    status === 429 ||
    (status >= 500 && status <= 599) ||
    RETRIABLE_NAMES.has(name) ||
    RETRIABLE_NAME_PATTERN.test(name) ||
    NETWORK_ERROR_CODES.has(typeof code === 'string' ? code : name) ||
    TRANSPORT_MESSAGE_PATTERN.test(message)
  );
}

/** What an AWS SDK v3 service error (or a Node system error) carries, each part optional. */
interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  /** Node's system error code (`ECONNRESET`...). */
  readonly code?: unknown;
  /** Set by the SDK on errors its model marks retryable. */
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly clockSkewCorrected?: boolean };
}

// The SDK's throttling and transient error names that the pattern below does not cover.
const RETRIABLE_NAMES = new Set([
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'RequestLimitExceeded',
  'SlowDown',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'RequestTimeout',
  'RequestTimeoutException',
]);

// Throttling (ThrottlingException, RequestThrottled, EC2ThrottledException...), time-outs and
// exhausted capacity, whatever the service's exact name for them (DynamoDB Local's included).
const RETRIABLE_NAME_PATTERN = /Throttl|TimeoutError|ProvisionedThroughput|ServiceUnavailable/;

// Node's codes for a connection that failed or timed out, and for a name lookup that failed.
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// gRPC statuses (e.g. "14 UNAVAILABLE: No connection established") and network codes that
// reach us only as text.
const TRANSPORT_MESSAGE_PATTERN = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|UNAVAILABLE|DEADLINE_EXCEEDED/;
