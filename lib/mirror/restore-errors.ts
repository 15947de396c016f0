/**
 * Why a restore of the state table from the state topics stopped. A restore is run by a person
 * (the `restore-state` command), who decides what to do next: `retriable` only says whether the
 * same run, repeated as it is, may succeed.
 */
export class RestoreError extends Error {
  override readonly name: string = 'RestoreError';
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/** The table already holds state: a restore would mix two states, so it is refused. */
export class TableNotEmptyError extends RestoreError {
  override readonly name = 'TableNotEmptyError';

  constructor(readonly table: string) {
    super(
      `table ${table} is not empty (it holds items besides the coordinator's lease): restore ` +
        `writes into a new, empty state table; --force writes over the items it has ` +
        `(nothing was read or written)`,
    );
  }
}

/** Where a state-topic message is: what an error about it names. */
export interface MessageWhere {
  readonly topic: string;
  readonly messageId: string;
}

/** A state-topic message that is not a state change (format 1): nothing is written. */
export class InvalidStateChangeError extends RestoreError {
  override readonly name = 'InvalidStateChangeError';

  constructor(
    readonly where: MessageWhere,
    readonly problem: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      `message ${where.messageId} in topic ${where.topic} is not a valid state change: ` +
        `${problem} (nothing was written; --skip-invalid skips such messages)`,
      options,
    );
  }
}

/** Writing the planned items failed part way: says how many made it. */
export class RestoreWriteError extends RestoreError {
  override readonly name = 'RestoreWriteError';

  constructor(
    readonly written: number,
    readonly total: number,
    reason: string,
    options: { retriable: boolean; cause?: unknown },
  ) {
    super(
      written === 0
        ? `could not write the ${total} items: ${reason}`
        : `wrote ${written} of ${total} items, then ${reason}; the table now holds part of ` +
            `the state: run the restore again with --force to write it all`,
      options,
    );
  }
}
