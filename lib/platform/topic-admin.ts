import { RemotingAdmin } from '../rocketmq/remoting/remoting-admin.js';
import type { ApiEnv } from './env.js';

/**
 * The API's RocketMQ admin: only where the operator gave the name server (ROCKETMQ_NAMESRV),
 * so topics are created and sink offsets moved there; elsewhere the API only checks that
 * topics exist.
 */
export function topicAdminOf(env: ApiEnv): RemotingAdmin | undefined {
  if (env.ROCKETMQ_NAMESRV === undefined) return undefined;
  return new RemotingAdmin({ namesrv: env.ROCKETMQ_NAMESRV, cluster: env.ROCKETMQ_CLUSTER });
}
