import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { ConnectorConfig } from '../state/types.js';
import { stateChangeOf, type StateChange, type StateTopics } from './state-change.js';

/** Sends one state change to its FIFO topic and resolves once the broker has it. */
export interface StatePublisher {
  publish(change: StateChange): Promise<void>;
}

export interface MirrorDeps {
  readonly publisher: StatePublisher;
  readonly topics: StateTopics;
  readonly mask: (config: ConnectorConfig) => Record<string, string>;
  readonly log: (line: string) => void;
}

/**
 * Publishes a batch of the state table's stream, in stream order, each change acknowledged
 * before the next: a key's changes reach its topic in the order they were made. At the first
 * change that cannot be published, that record and every later one are reported as failed
 * (Lambda's partial batch response), so the batch is retried from there and nothing is skipped.
 * A record that cannot be decoded is a bug or corruption: it is logged and reported failed too,
 * which stops the shard rather than losing the change.
 */
export async function mirrorBatch(
  records: readonly DynamoDBRecord[],
  deps: MirrorDeps,
): Promise<DynamoDBBatchResponse> {
  for (const [i, record] of records.entries()) {
    try {
      const change = stateChangeOf(record, deps.topics, deps.mask);
      if (change) await deps.publisher.publish(change);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.log(
        `state mirror: change ${record.dynamodb?.SequenceNumber ?? record.eventID ?? i} not published: ${reason}`,
      );
      return {
        batchItemFailures: records.slice(i).map((r, j) => ({
          itemIdentifier: r.dynamodb?.SequenceNumber ?? r.eventID ?? String(i + j),
        })),
      };
    }
  }
  return { batchItemFailures: [] };
}
