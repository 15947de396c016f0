/**
 * Errors of the state store. Every refusal the store makes on purpose is a `StateError`; a
 * conflict with a concurrent transaction is a `ConflictError` (retriable); what DynamoDB itself
 * throws for throttling or 5xx is passed through as is (the SDK marks those retriable).
 * A refusal the management API passes on to its caller carries the HTTP status it answers with
 * (`httpStatus`: 400 bad input, 404 no such connector, 409 a conflict with the stored state).
 */

/** Base of every error the state store raises. */
export class StateError extends Error {
  override readonly name: string = 'StateError';
  /** True when repeating the same call unchanged may succeed; false when it never will. */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/** A call's input is invalid (a bad name, task id, cursor, too many entries...): never retry it. */
export class StateInputError extends StateError {
  override readonly name = 'StateInputError';
  readonly httpStatus = 400;
}

/** `createConnector` for a name that is taken. */
export class ConnectorExistsError extends StateError {
  override readonly name = 'ConnectorExistsError';
  readonly httpStatus = 409;

  constructor(
    readonly connector: string,
    options: { cause?: unknown } = {},
  ) {
    super(`connector ${JSON.stringify(connector)} already exists`, options);
  }
}

/** The connector's config item is absent. */
export class ConnectorNotFoundError extends StateError {
  override readonly name = 'ConnectorNotFoundError';
  readonly httpStatus = 404;

  constructor(
    readonly connector: string,
    action: string,
    options: { cause?: unknown } = {},
  ) {
    super(`cannot ${action}: connector ${JSON.stringify(connector)} does not exist`, options);
  }
}

/** Offsets change only while the connector is STOPPED. */
export class ConnectorNotStoppedError extends StateError {
  override readonly name = 'ConnectorNotStoppedError';
  readonly httpStatus = 409;

  constructor(
    readonly connector: string,
    readonly targetState: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      `cannot change the offsets of connector ${JSON.stringify(connector)}: its target state is ` +
        `${targetState}, and offsets change only while it is STOPPED (stop it first)`,
      options,
    );
  }
}

/**
 * A lease epoch is no longer current: another invocation took the lease, or the coordinator
 * fenced it. The invocation holding the old token must stop writing.
 */
export class FencedError extends StateError {
  override readonly name = 'FencedError';
  readonly httpStatus = 409;

  constructor(
    readonly connector: string,
    readonly taskId: number | undefined,
    readonly epoch: number,
    action: string,
    options: { cause?: unknown } = {},
  ) {
    const what =
      taskId === undefined ? 'the coordinator lease' : `task ${taskId} of connector ${connector}`;
    super(
      `cannot ${action}: the lease of ${what} at epoch ${epoch} is no longer current ` +
        `(another invocation took it, or it was fenced)`,
      options,
    );
  }
}

/** A version, generation, seq or timestamp condition failed: the state moved since it was read. */
export class StaleWriteError extends StateError {
  override readonly name = 'StaleWriteError';
  readonly httpStatus = 409;

  constructor(
    readonly connector: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/**
 * A concurrent transaction touched the same items (DynamoDB's `TransactionConflict`): nothing
 * was written; repeating the call may succeed.
 */
export class ConflictError extends StateError {
  override readonly name = 'ConflictError';
  readonly httpStatus = 409;

  constructor(
    readonly operation: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      `cannot ${operation} now: a concurrent transaction was changing the same state items ` +
        `(nothing was written; retry)`,
      { ...options, retriable: true },
    );
  }
}
