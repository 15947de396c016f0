import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject, test as base } from 'vitest';
import { localDynamoClient } from '../../infra/local/probes.js';
import type { LocalStackInfo } from '../../infra/local/stack.js';
import type { RocketMqEndpoint } from '../../lib/rocketmq/clients.js';
import { RemotingAdmin } from '../../lib/rocketmq/remoting/remoting-admin.js';
import type { TopicType } from '../../lib/rocketmq/topic-admin.js';
import { createStateTable } from '../../lib/state/table.js';

/** Fresh topics and consumer groups, named uniquely so test files never see each other's data. */
export interface TopicFactory {
  topic(type: TopicType, prefix?: string): Promise<string>;
  group(options?: { fifo?: boolean }, prefix?: string): Promise<string>;
}

/** The local stack's RocketMQ: the proxy's gRPC endpoint, and the name server and cluster. */
export type LocalRocketMq = RocketMqEndpoint & {
  readonly namesrv: string;
  readonly cluster: string;
};

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/**
 * `test` for integration files. Each fixture is set up once per file, on first use; the stack
 * itself comes from the global setup.
 */
export const test = base
  .extend('stack', { scope: 'file' }, (): LocalStackInfo => inject('stack'))
  .extend('rocketmq', { scope: 'file' }, ({ stack }): LocalRocketMq => ({
    endpoints: stack.rocketmq.endpoint,
    namesrv: stack.rocketmq.namesrv,
    cluster: stack.rocketmq.cluster,
  }))
  .extend('dynamo', { scope: 'file' }, ({ stack }, { onCleanup }): DynamoDBClient => {
    const client = localDynamoClient(stack.dynamodb.endpoint);
    onCleanup(() => client.destroy());
    return client;
  })
  // A state table of this file's own.
  .extend('table', { scope: 'file' }, async ({ dynamo }, { onCleanup }) => {
    const name = uniqueName('state');
    await createStateTable(dynamo, name);
    onCleanup(async () => {
      await dynamo.send(new DeleteTableCommand({ TableName: name }));
    });
    return name;
  })
  .extend('topics', { scope: 'file' }, ({ stack }): TopicFactory => {
    const admin = new RemotingAdmin(stack.rocketmq);
    return {
      async topic(type, prefix = 'topic') {
        const name = uniqueName(prefix);
        await admin.ensureTopic(name, type);
        return name;
      },
      async group(options = {}, prefix = 'group') {
        const name = uniqueName(prefix);
        await admin.ensureConsumerGroup(name, options);
        return name;
      },
    };
  });
