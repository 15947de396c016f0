import { NotFoundException, type Producer } from 'rocketmq-client-nodejs';
import type { TopicCatalog } from '../management/topics.js';
import type { RemotingAdmin } from './remoting/remoting-admin.js';
import { TopicAdminError, type TopicType } from './topic-admin.js';

/** What a started client answers for a topic's route (the client keeps this method protected). */
interface RouteLookup {
  getRouteData(topic: string): Promise<{
    readonly messageQueues: readonly { readonly acceptMessageTypesList: readonly number[] }[];
  }>;
  readonly topics: Set<string>;
}

// apache.rocketmq.v2.MessageType
const MESSAGE_TYPES: Readonly<Record<number, TopicType>> = { 1: 'NORMAL', 2: 'FIFO' };

/**
 * Topics as RocketMQ knows them. With the admin (where the operator gave the name server),
 * a topic is looked up on its broker and missing ones are created on every master; the API
 * answers once the proxy routes the new topic. Without it, a topic exists when the proxy has
 * a route for it (asked through a started producer: the gRPC API has no other way), its queues
 * say which message type it accepts, and missing topics are reported.
 */
export class RocketMqTopicCatalog implements TopicCatalog {
  readonly create?: (topic: string, type: TopicType) => Promise<void>;

  constructor(
    private readonly producer: () => Promise<Producer>,
    private readonly admin?: RemotingAdmin,
    private readonly routeWaitMs = 25_000,
  ) {
    if (admin) {
      this.create = async (topic, type) => {
        await admin.ensureTopic(topic, type);
        await this.untilRouted(topic);
      };
    }
  }

  typeOf(topic: string): Promise<TopicType | 'OTHER' | undefined> {
    return this.admin ? this.admin.typeOf(topic) : this.proxyTypeOf(topic);
  }

  /**
   * The proxy caches routes, a missing topic's too: a topic it was asked about just before it
   * was created stays unroutable until that entry is refreshed. Answering before then would
   * start the connector's first slice on a topic it cannot reach.
   */
  private async untilRouted(topic: string): Promise<void> {
    const deadline = Date.now() + this.routeWaitMs;
    while ((await this.proxyTypeOf(topic)) === undefined) {
      if (Date.now() > deadline) {
        throw new TopicAdminError(
          `topic ${topic} was created, but the RocketMQ proxy still has no route for it after ${this.routeWaitMs} ms (its route cache: topicRouteServiceCacheRefreshSeconds)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The type the proxy's route says; undefined when the proxy routes no such topic. */
  private async proxyTypeOf(topic: string): Promise<TopicType | 'OTHER' | undefined> {
    const client = (await this.producer()) as unknown as RouteLookup;
    try {
      const route = await client.getRouteData(topic);
      const accepted = route.messageQueues[0]?.acceptMessageTypesList ?? [];
      const types = new Set(accepted.map((t) => MESSAGE_TYPES[t] ?? 'OTHER'));
      return types.size === 1 ? [...types][0] : 'OTHER';
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      // The client remembers every topic it looked up and refreshes its route every 30 s;
      // a missing one would log a failure each time.
      client.topics.delete(topic);
      return undefined;
    }
  }
}
