import type { ClientCache } from '../rocketmq/client-cache.js';
import { RocketMqMessaging } from '../rocketmq/messaging.js';
import { RemotingAdmin } from '../rocketmq/remoting/remoting-admin.js';
import { RemotingMessaging } from '../rocketmq/remoting/remoting-messaging.js';
import type { Messaging } from '../runtime/messaging.js';

interface NameServerEnv {
  readonly ROCKETMQ_NAMESRV?: string | undefined;
  readonly ROCKETMQ_CLUSTER: string;
  readonly ROCKETMQ_ACCESS_KEY?: string | undefined;
}

/**
 * The API's RocketMQ admin: only where the operator gave the name server (ROCKETMQ_NAMESRV),
 * so topics are created and sink offsets moved there; elsewhere the API only checks that
 * topics exist.
 */
export function topicAdminOf(env: NameServerEnv): RemotingAdmin | undefined {
  if (env.ROCKETMQ_NAMESRV === undefined) return undefined;
  return new RemotingAdmin({ namesrv: env.ROCKETMQ_NAMESRV, cluster: env.ROCKETMQ_CLUSTER });
}

/**
 * How tasks reach RocketMQ: over remoting, straight to the brokers, where the name server is
 * given (batches of many messages per request); through the proxy's gRPC endpoint otherwise,
 * and where ACL credentials are set (this remoting client does not sign its requests).
 */
export function taskMessagingOf(env: NameServerEnv, clients: ClientCache): Messaging {
  const admin = env.ROCKETMQ_ACCESS_KEY === undefined ? topicAdminOf(env) : undefined;
  return admin ? new RemotingMessaging(admin) : new RocketMqMessaging(clients);
}
