import { ConnectError, NonRetriableError } from '../api/errors.js';
import type { ConfigInfos } from './validate-result.js';

/** A connector config with problems; `result` is the validate endpoint's answer for it. */
export class ConfigValidationError extends NonRetriableError {
  override readonly name: string = 'ConfigValidationError';
  /** The management API answers a request with an invalid config 400. */
  readonly httpStatus = 400;

  constructor(
    readonly result: ConfigInfos,
    problems: readonly string[],
  ) {
    const count = `${result.error_count} error${result.error_count === 1 ? '' : 's'}`;
    super(`invalid connector config (${count}): ${problems.join('; ')}`);
  }
}

/**
 * A `${...}` reference that could not be resolved. Names the key and the reference, never a
 * secret value. Retriable when the provider may answer later (throttling, a network failure);
 * not when the variable, parameter or secret key does not exist.
 */
export class ConfigProviderError extends ConnectError {
  override readonly name: string = 'ConfigProviderError';

  constructor(
    readonly key: string,
    /** The reference as written, e.g. `${ssm:/db/password}`. */
    readonly reference: string,
    reason: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`cannot resolve ${reference} in config key "${key}": ${reason}`, options);
  }
}
