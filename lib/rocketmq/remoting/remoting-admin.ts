import {
  assertValidName,
  TopicAdminError,
  type TopicAdmin,
  type TopicType,
} from '../topic-admin.js';
import { createSubscriptionGroup, createTopic, topicMessageType } from './broker.js';
import { RemotingClient } from './client.js';
import type { ConnectionOptions } from './connection.js';
import { RemotingError, RemotingResponseError } from './errors.js';
import { ResponseCode } from './codes.js';
import {
  allTopics,
  clusterInfo,
  clusterMasters,
  MASTER_ID,
  topicRoute,
  type BrokerMaster,
  type TopicRoute,
} from './name-server.js';

export interface RemotingAdminOptions extends ConnectionOptions {
  /** Name servers, `host:port`, separated by `;` (RocketMQ's own `namesrvAddr` format). */
  readonly namesrv: string;
  readonly cluster: string;
  /** Shared with other users of the same servers; one of its own otherwise. */
  readonly client?: RemotingClient;
}

/**
 * RocketMQ's admin calls over its remoting protocol, from TypeScript: what the admin tool's
 * JVM did in seconds, in milliseconds, and from anywhere that reaches the name server and the
 * brokers (a deployed Lambda too). Topics and groups go to every master of the cluster, as
 * `mqadmin updateTopic -c` / `updateSubGroup -c` do.
 */
export class RemotingAdmin implements TopicAdmin {
  readonly client: RemotingClient;
  private readonly namesrvs: readonly string[];
  readonly cluster: string;

  constructor(options: RemotingAdminOptions) {
    this.client = options.client ?? new RemotingClient(options);
    this.namesrvs = options.namesrv
      .split(';')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    this.cluster = options.cluster;
    if (this.namesrvs.length === 0) {
      throw new TopicAdminError('no RocketMQ name server address given', 400);
    }
  }

  async ensureTopic(name: string, type: TopicType): Promise<void> {
    assertValidName('topic', name);
    await this.onEveryMaster(`create topic ${name} (${type})`, (broker) =>
      createTopic(this.client, broker.address, name, type),
    );
  }

  async ensureConsumerGroup(name: string, options: { fifo?: boolean } = {}): Promise<void> {
    assertValidName('consumer group', name);
    await this.onEveryMaster(`create consumer group ${name}`, (broker) =>
      createSubscriptionGroup(this.client, broker.address, name, options.fifo ?? false),
    );
  }

  /** Every topic the name server knows (for `topics.regex`), system topics included. */
  listTopics(): Promise<string[]> {
    return this.fromNameServer('list topics', (namesrv) => allTopics(this.client, namesrv));
  }

  /** The topic's route; undefined when no broker holds it. */
  routeOf(topic: string): Promise<TopicRoute | undefined> {
    return this.fromNameServer(`find topic ${topic}`, (namesrv) =>
      topicRoute(this.client, namesrv, topic),
    );
  }

  /**
   * The topic's message type as its broker keeps it; undefined when no broker holds the topic.
   * Asking here rather than through the proxy keeps the proxy from caching a missing topic's
   * route just before the topic is created.
   */
  async typeOf(topic: string): Promise<TopicType | 'OTHER' | undefined> {
    const route = await this.routeOf(topic);
    const broker = route?.brokerDatas.find((b) => b.brokerAddrs[MASTER_ID] !== undefined);
    const address = broker?.brokerAddrs[MASTER_ID];
    if (address === undefined) return undefined;
    const type = await topicMessageType(this.client, address, topic).catch((error: unknown) => {
      throw adminError(`could not read the type of topic ${topic} on broker ${address}`, error);
    });
    if (type === undefined) return undefined;
    return type === 'NORMAL' || type === 'FIFO' ? type : 'OTHER';
  }

  close(): void {
    this.client.close();
  }

  private async onEveryMaster(
    what: string,
    call: (broker: BrokerMaster) => Promise<void>,
  ): Promise<void> {
    const masters = await this.fromNameServer(what, async (namesrv) => {
      const found = clusterMasters(await clusterInfo(this.client, namesrv), this.cluster);
      if (found.length === 0) {
        throw new TopicAdminError(
          `could not ${what}: name server ${namesrv} knows no master broker of cluster ${this.cluster} (is the broker up and registered, and is ROCKETMQ_CLUSTER right?)`,
        );
      }
      return found;
    });
    await Promise.all(
      masters.map((broker) =>
        call(broker).catch((error: unknown) => {
          throw adminError(`could not ${what} on broker ${broker.brokerName}`, error);
        }),
      ),
    );
  }

  /** Asks the name servers in turn, while they cannot be reached. */
  private async fromNameServer<T>(what: string, call: (namesrv: string) => Promise<T>): Promise<T> {
    let last: unknown;
    for (const namesrv of this.namesrvs) {
      try {
        return await call(namesrv);
      } catch (error) {
        if (!(error instanceof RemotingError) || error instanceof RemotingResponseError) {
          throw adminError(`could not ${what}`, error);
        }
        last = error;
      }
    }
    throw adminError(`could not ${what}`, last);
  }
}

/**
 * The management API's error for a failed admin call: its message says where and why;
 * refused input is the request's fault (400), anything else may pass later (503).
 */
export function adminError(what: string, error: unknown): TopicAdminError {
  if (error instanceof TopicAdminError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const badInput =
    error instanceof RemotingResponseError && error.code === ResponseCode.INVALID_PARAMETER;
  return new TopicAdminError(`${what}: ${reason}`, badInput ? 400 : 503, { cause: error });
}
