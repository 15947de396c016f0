import { format } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClientOptions } from '../platform/env.js';
import { RestoreError } from '../restore/errors.js';
import type { MaskedSecret } from '../restore/restore-plan.js';
import { restoreState, type RestoreProgress, type RestoreResult } from '../restore/restore.js';
import { rocketMqStateTopicReader } from '../restore/state-topic-reader.js';
import { DynamoRestoreTable } from '../restore/table-writer.js';
import { groupBy } from '../util/group-by.js';
import type { Options } from './args.js';
import { CliError } from './errors.js';
import { restoreStateSettings } from './restore-state-settings.js';

/** The restore was refused (a table with items) or failed: exit code 1. */
export class RestoreStateError extends CliError {
  override readonly name = 'RestoreStateError';
  readonly exitCode = 1;
}

export interface RestoreStateContext {
  readonly options: Options;
  /** The flags' fallbacks: STATE_TABLE_NAME, ROCKETMQ_ENDPOINT, DYNAMODB_ENDPOINT, AWS_REGION... */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The summary, to stdout. */
  readonly out: (text: string) => void;
  /** Progress, to stderr. */
  readonly note: (text: string) => void;
}

/**
 * `restore-state`: rebuilds the state table from the state topics, straight from RocketMQ into
 * DynamoDB (no Connect API in between). Progress goes to `note`, the summary to `out`.
 */
export async function restoreStateCommand(c: RestoreStateContext): Promise<number> {
  const settings = restoreStateSettings(c.options, c.env, Date.now());
  const dynamo = new DynamoDBClient(
    awsClientOptions({ AWS_REGION: settings.region }, settings.dynamodbEndpoint),
  );
  const reading = {
    topics: [...new Set(Object.values(settings.topics))],
    group: settings.group,
  };
  const client = clientComplaints();
  try {
    const result = await restoreState(
      {
        source: rocketMqStateTopicReader(
          { ...settings.rocketmq, logger: client.logger },
          {
            topics: settings.topics,
            consumerGroup: settings.group,
            idleMs: settings.idleMs,
            skipInvalid: settings.skipInvalid,
          },
        ),
        table: new DynamoRestoreTable(dynamo, settings.table),
        progress: (event) => c.note(`${progressLine(event, reading)}\n`),
      },
      { force: settings.force },
    );
    c.out(c.options.json ? `${JSON.stringify(result, null, 2)}\n` : summaryText(result));
    return 0;
  } catch (error) {
    throw failure(error, client.first());
  } finally {
    dynamo.destroy();
  }
}

/** One line on stderr per progress report; `reading` names what is read. */
export function progressLine(
  event: RestoreProgress,
  reading: { readonly topics: readonly string[]; readonly group: string },
): string {
  switch (event.kind) {
    case 'reading':
      return (
        `reading ${reading.topics.join(', ')} as consumer group ${reading.group}` +
        (event.tableWasEmpty ? '' : ' (the table has items: writing over them, as --force asks)')
      );
    case 'read':
      return event.done
        ? `read ${count(event.changes, 'change')} (${count(event.keys, 'key')}): done reading`
        : `read ${count(event.changes, 'change')} (${count(event.keys, 'key')})...`;
    case 'skipped':
      return `skipped message ${event.where.messageId} in ${event.where.topic}: ${event.problem}`;
    case 'wrote':
      return `wrote ${event.written.toLocaleString('en-US')}/${count(event.total, 'item')}`;
  }
}

/** What was restored, then a warning for what needs a person: masked secrets above all. */
export function summaryText(result: RestoreResult): string {
  const { counts } = result;
  const lines = [
    `restored ${count(result.written, 'item')} into table ${result.table}`,
    `  from ${count(counts.changes, 'change')} of ${count(counts.keys, 'key')}: ` +
      `${count(counts.superseded, 'duplicate or older change')} ignored, ` +
      `${count(counts.tombstones, 'deleted key')} not written`,
  ];
  if (result.skipped > 0) lines.push(`  ${count(result.skipped, 'invalid message')} skipped`);
  if (!result.tableWasEmpty) {
    lines.push(
      'warning: the table had items (--force): an item already there was kept unless the ' +
        'state topics hold a live latest version of its key, which replaced it; items of keys ' +
        'whose latest change is a deletion were kept too (a tombstone deletes nothing)',
    );
  }
  for (const topic of result.emptyTopics) {
    lines.push(
      `warning: no change read from ${topic}: fine if nothing was ever written to it; else ` +
        `the consumer group started at its end or its messages were deleted, so the restored ` +
        `state lacks its changes (see rmq-connect help restore-state)`,
    );
  }
  for (const { topic, lowestOffset } of result.lateTopics) {
    lines.push(
      `warning: topic ${topic} was not read from the start of any queue (lowest offset read: ` +
        `${lowestOffset}): earlier changes were deleted or skipped, so the restored state may ` +
        `be incomplete (see rmq-connect help restore-state)`,
    );
  }
  const paused = new Set(result.pausedConnectors);
  for (const [connector, secrets] of groupBy(result.maskedSecrets, (s) => s.connector)) {
    lines.push(...maskedSecretWarning(connector, secrets, paused.has(connector)));
  }
  return `${lines.join('\n')}\n`;
}

/** The secrets to set again; a connector restored PAUSED for them must be resumed after. */
function maskedSecretWarning(
  connector: string,
  secrets: readonly MaskedSecret[],
  paused: boolean,
): string[] {
  const path = `/connectors/${encodeURIComponent(connector)}`;
  return [
    `warning: connector ${connector}: ${count(secrets.length, 'secret')} masked in the state ` +
      `topics, restored as [hidden]: ${secrets.map((s) => s.path).join(', ')}`,
    paused
      ? `  connector ${connector} restored PAUSED: set its secrets again (PATCH ${path}/config), ` +
        `then resume it (PUT ${path}/resume)`
      : `  set ${secrets.length === 1 ? 'it' : 'them'} again with PATCH ${path}/config`,
  ];
}

/** `1 item`, `1,200 items`. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`;
}

/** The CLI's error for a failed restore, with what the RocketMQ client said first, if anything. */
function failure(error: unknown, clientSaid: string | undefined): CliError {
  if (error instanceof CliError) return error;
  const details = clientSaid === undefined ? [] : [`the RocketMQ client said first: ${clientSaid}`];
  if (error instanceof RestoreError) {
    return new RestoreStateError(error.message, { details, cause: error });
  }
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError') {
    details.push(
      'AWS credentials are found as the AWS SDK finds them: AWS_PROFILE, AWS_ACCESS_KEY_ID...',
    );
  }
  return new RestoreStateError(`restore-state failed: ${name}: ${message}`, {
    details,
    cause: error,
  });
}

/**
 * A logger for the RocketMQ client that keeps the first line of its first warning. The client
 * logs every retry with a stack trace, too much for a terminal; its first complaint (a topic
 * without a route, a refused connection) is what explains a failure that follows.
 */
function clientComplaints() {
  let first: string | undefined;
  const keep = (...args: unknown[]) => {
    // clients.ts puts a `[rocketmq-client]` tag before the client's format string.
    const [tag, ...rest] = args;
    const text = typeof tag === 'string' && tag.startsWith('[') ? format(...rest) : format(...args);
    first ??= text.split('\n')[0];
  };
  return {
    logger: { warn: keep, error: keep } satisfies Pick<Console, 'warn' | 'error'>,
    first: () => first,
  };
}
