import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FileCheckpointStore } from './stream-poller/file-checkpoints.js';
import { StreamPoller, type StreamHandler } from './stream-poller/stream-poller.js';
import { DynamoStreamSource } from './stream-poller/stream-source.js';
import { stateStreamArn } from '../../lib/state/table.js';
import { localStreamsClient } from './probes.js';

export interface LocalMirrorOptions {
  /** A client of DynamoDB Local; its endpoint also serves the streams API. */
  readonly dynamo: DynamoDBClient;
  readonly dynamodbEndpoint: string;
  readonly table: string;
  /** The mirror function's handler (functions/mirror.ts), or anything shaped like it. */
  readonly handler: StreamHandler;
  /** Where the poller keeps its checkpoints between runs. */
  readonly checkpointFile: string;
  readonly batchSize?: number;
  readonly log?: (line: string) => void;
}

export interface LocalMirror {
  readonly poller: StreamPoller;
  /** Stops polling; resolves when the batch under way is done. */
  stop(): Promise<void>;
}

/**
 * What Lambda's event source mapping does in AWS, for DynamoDB Local: polls the state table's
 * stream and feeds the mirror handler, checkpointing in a file so a restart resumes.
 */
export async function startLocalMirror(options: LocalMirrorOptions): Promise<LocalMirror> {
  const streams = localStreamsClient(options.dynamodbEndpoint);
  const poller = new StreamPoller({
    source: new DynamoStreamSource(streams, await stateStreamArn(options.dynamo, options.table)),
    handler: options.handler,
    checkpoints: new FileCheckpointStore(options.checkpointFile),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const abort = new AbortController();
  const running = poller.run(abort.signal);
  return {
    poller,
    async stop() {
      abort.abort();
      await running;
      streams.destroy();
    },
  };
}
