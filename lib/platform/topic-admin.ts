import { tmpdir } from 'node:os';
import { MqAdminToolTopicAdmin } from '../rocketmq/topic-admin.js';
import type { ApiEnv } from './env.js';

/**
 * The API's topic admin: only where the admin tool is configured (the local stack), so topics
 * are created there; deployed, the API only checks that topics exist.
 */
export function topicAdminOf(env: ApiEnv): MqAdminToolTopicAdmin | undefined {
  if (env.ROCKETMQ_ADMIN_CLASSPATH === undefined || env.ROCKETMQ_NAMESRV === undefined) {
    return undefined;
  }
  return new MqAdminToolTopicAdmin({
    javaBin: env.JAVA_BIN,
    classpath: env.ROCKETMQ_ADMIN_CLASSPATH,
    namesrv: env.ROCKETMQ_NAMESRV,
    cluster: env.ROCKETMQ_CLUSTER,
    homeDir: env.ROCKETMQ_ADMIN_HOME ?? tmpdir(),
  });
}
