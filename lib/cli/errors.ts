/**
 * Why the CLI stopped, and the exit code that says so: 1 when the API refused or could not be
 * reached, or an input file is missing or invalid; 2 when the command line itself is wrong.
 * Nothing here is retried: a CLI reports and lets its caller decide.
 */
export abstract class CliError extends Error {
  abstract readonly exitCode: 1 | 2;

  /** Lines to print under the message (per-key errors, hints). */
  readonly details: readonly string[];

  constructor(message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? [];
  }
}

/** An unknown command or option, a missing argument: exit code 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** A file that cannot be read or is not a valid config, offsets or properties file. */
export class CliInputError extends CliError {
  override readonly name = 'CliInputError';
  readonly exitCode = 1;
}

/** The API answered with an error status. */
export class ApiError extends CliError {
  override readonly name = 'ApiError';
  readonly exitCode = 1;

  constructor(
    readonly status: number,
    message: string,
    options: { details?: readonly string[] } = {},
  ) {
    super(message, options);
  }
}

/** The API could not be reached: refused, unknown host, timed out. */
export class UnreachableError extends CliError {
  override readonly name = 'UnreachableError';
  readonly exitCode = 1;
}
