import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import path from 'node:path';
import { loadMirrorEnv, stateTopicsOf } from '../../lib/platform/env.js';
import { stateTopicNames } from '../../lib/mirror/state-change.js';
import type { StreamHandler } from './stream-poller/stream-poller.js';
import { RemotingAdmin } from '../../lib/rocketmq/remoting/remoting-admin.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { createStateTable } from '../../lib/state/table.js';
import { localDynamoClient } from './probes.js';
import type { StackSettings } from './settings.js';
import type { LocalStackInfo } from './stack.js';
import { startLocalMirror, type LocalMirror } from './state-mirror.js';

/**
 * What `npm start` prepares before the functions run, as `serverless deploy` would: the state
 * table (created when missing; its stream on) and the three state topics the mirror publishes
 * to (FIFO; RocketMQ Connect's names unless STATE_*_TOPIC say otherwise).
 */
export async function ensurePlatformState(
  settings: StackSettings,
  info: LocalStackInfo,
  log: (line: string) => void,
): Promise<{ topics: string[] }> {
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const table = settings.stateTable;
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createStateTable(dynamo, table);
    log(`created the state table ${table}`);
  } finally {
    dynamo.destroy();
  }
  // The names the mirror function reads from the same environment (serverless-offline passes it on).
  const env = loadMirrorEnv({ ...process.env, ROCKETMQ_ENDPOINT: info.rocketmq.endpoint });
  const topics = stateTopicNames(stateTopicsOf(env));
  const admin = new RemotingAdmin(info.rocketmq);
  for (const topic of topics) await admin.ensureTopic(topic, 'FIFO');
  return { topics };
}

/** Runs `work` on the platform's state table, with a client closed afterwards. */
export async function withStateStore<T>(
  settings: StackSettings,
  info: LocalStackInfo,
  work: (store: DynamoStateStore) => Promise<T>,
): Promise<T> {
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  try {
    return await work(new DynamoStateStore(dynamo, settings.stateTable));
  } finally {
    dynamo.destroy();
  }
}

/**
 * The state side of `npm start`: a poller of the state table's stream feeding the mirror
 * function, as the stream's event source mapping feeds it in AWS. Checkpoints under the stack
 * folder, so a restart goes on where the last run stopped.
 */
export async function startPlatformMirror(
  settings: StackSettings,
  info: LocalStackInfo,
  handler: StreamHandler,
  log: (line: string) => void,
): Promise<LocalMirror> {
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const mirror = await startLocalMirror({
    dynamo,
    dynamodbEndpoint: info.dynamodb.endpoint,
    table: settings.stateTable,
    handler,
    checkpointFile: path.join(settings.stackDir, 'mirror-checkpoints.json'),
    log,
  });
  return {
    poller: mirror.poller,
    async stop() {
      await mirror.stop();
      dynamo.destroy();
    },
  };
}
