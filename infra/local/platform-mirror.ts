import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import path from 'node:path';
import { loadMirrorEnv, stateTopicsOf } from '../../lib/env/platform-env.js';
import { stateTopicNames } from '../../lib/mirror/state-change.js';
import { MqAdminToolTopicAdmin } from '../../lib/rocketmq/topic-admin.js';
import { createStateTable } from '../../lib/state/table.js';
import { loadMirrorHandler } from './mirror-handler.js';
import { localDynamoClient } from './probes.js';
import type { StackSettings } from './settings.js';
import type { LocalStackInfo } from './stack.js';
import { startLocalMirror, type LocalMirror } from './state-mirror.js';

/**
 * The state side of `npm start`: the state table (created when missing), the three state
 * topics (FIFO, RocketMQ Connect's names), and the mirror function fed by a poller of the
 * table's stream, as the stream's event source mapping feeds it in AWS.
 */
export async function startPlatformMirror(
  settings: StackSettings,
  info: LocalStackInfo,
  log: (line: string) => void,
): Promise<LocalMirror> {
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const table = settings.stateTable;
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createStateTable(dynamo, table);
    log(`created the state table ${table}`);
  }
  // The mirror function reads its settings from the environment, as on Lambda; the topics it
  // publishes to (STATE_*_TOPIC, RocketMQ Connect's names by default) are created here.
  const handler = await loadMirrorHandler({ rocketmq: info.rocketmq.endpoint });
  const topics = stateTopicNames(stateTopicsOf(loadMirrorEnv()));
  const admin = new MqAdminToolTopicAdmin(info.admin);
  for (const topic of topics) await admin.ensureTopic(topic, 'FIFO');

  const mirror = await startLocalMirror({
    dynamo,
    dynamodbEndpoint: info.dynamodb.endpoint,
    table,
    handler,
    checkpointFile: path.join(settings.stackDir, 'mirror-checkpoints.json'),
    log: (line) => log(`state mirror: ${line}`),
  });
  log(`state mirror: table ${table} -> ${topics.join(', ')}`);
  return mirror;
}
