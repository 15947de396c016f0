/**
 * Why a restore of the state table from the state topics stopped. A restore is run by a person
 * (the `restore-state` command), who decides what to do next: `retriable` only says whether the
 * same run, repeated with a consumer group that reads the topics from their start (see
 * {@link rerunAdvice}), may succeed.
 */
export class RestoreError extends Error {
  override readonly name: string = 'RestoreError';
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/**
 * How to run a restore again once it has read anything. The reader acks each batch as soon as
 * it holds it, before anything is written, so the same consumer group would read on from where
 * the failed run stopped and "succeed" with part of the state. `partial`: the table now holds
 * part of the state, which only --force writes over.
 */
export function rerunAdvice(partial: boolean): string {
  return (
    `the messages read were acked, so run it again with a new consumer group (the default: ` +
    `leave out --group), or first reset the given group's offsets to 0 (mqadmin ` +
    `resetOffsetByTime -g GROUP -t TOPIC -s 0, for each state topic)` +
    (partial ? `, and with --force, since the table now holds part of the state` : '')
  );
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

/**
 * The read found no state change at all: nothing is written. An empty platform has nothing to
 * restore; otherwise the consumer group started at the topics' end.
 */
export class NothingToRestoreError extends RestoreError {
  override readonly name = 'NothingToRestoreError';

  constructor(
    readonly topics: readonly string[],
    readonly group: string,
    /** Invalid messages skipped: they were read, but are no state change. */
    readonly skipped: number,
  ) {
    const skips = skipped === 0 ? '' : ` (it read only invalid messages: ${skipped} skipped)`;
    super(
      `no state change was found in ${topics.join(', ')} as consumer group ${group}${skips}, ` +
        `so nothing was written: an empty platform has nothing to restore; on a broker that has ` +
        `run a while, a new consumer group may start at the topics' end: reset the group's ` +
        `offsets to 0 (mqadmin resetOffsetByTime -g ${group} -t TOPIC -s 0, for each topic) ` +
        `and run again with --group ${group}`,
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
        `${problem} (nothing was written; --skip-invalid skips such messages): ` +
        rerunAdvice(false),
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
        ? `could not write the ${total} items: ${reason}; ${rerunAdvice(false)}`
        : `wrote ${written} of ${total} items, then ${reason}; ${rerunAdvice(true)}`,
      options,
    );
  }
}
