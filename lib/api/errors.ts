/**
 * Errors of the plugin API. Every error says whether retrying can help: the runtime retries
 * retriable failures with backoff (`errors.retry.timeout`) and fails or skips the rest at once.
 */

/** Base of every error the platform and its plugins raise on purpose. */
export abstract class ConnectError extends Error {
  override readonly name: string = 'ConnectError';
  /** True when the same call may succeed later (throttling, a broken connection). */
  abstract readonly retriable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A failure that may pass on its own: the runtime retries it with backoff. */
export class RetriableError extends ConnectError {
  override readonly name: string = 'RetriableError';
  readonly retriable = true;
}

/** A failure that retrying cannot fix: bad input, bad config, a poison record. */
export class NonRetriableError extends ConnectError {
  override readonly name: string = 'NonRetriableError';
  readonly retriable = false;
}

/** A bad value of one config key. */
export class ConfigError extends NonRetriableError {
  override readonly name: string = 'ConfigError';

  constructor(
    /** The config key at fault. */
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a name was looked up as. */
export type PluginNamespace = 'connector' | 'converter' | 'transformation' | 'predicate';

/** No plugin of the asked kind matches a class name or alias. */
export class PluginNotFoundError extends NonRetriableError {
  override readonly name: string = 'PluginNotFoundError';
  /** The management API answers a request naming no known plugin 404. */
  readonly httpStatus = 404;

  constructor(
    /** The class name or alias that was asked for. */
    readonly requested: string,
    readonly namespace: PluginNamespace,
    /** Class names of registered plugins whose names are close to `requested`, best first. */
    readonly closeMatches: readonly string[],
    /** Transforms and predicates: when nothing is close, what is here, listed by short name. */
    available?: readonly string[],
  ) {
    const listed = namespace === 'predicate' ? 'predicates' : 'transforms';
    const hint =
      closeMatches.length > 0
        ? `; did you mean ${closeMatches.join(', ')}?`
        : available
          ? `: not available here; the ${listed} are: ${available.join(', ')}`
          : '; none is close';
    super(`no ${namespace} plugin matches "${requested}"${hint}`);
  }
}
