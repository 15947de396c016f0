import type { IncomingMessage } from '../../runtime/message-mapping.js';
import type {
  ConsumerMember,
  MessageConsumer,
  MessageProducer,
  Messaging,
} from '../../runtime/messaging.js';
import { messageProducer } from '../send.js';
import { RemotingProducer, REMOTING_BATCH_LIMITS } from './producer.js';
import { peekLatest, PullConsumer } from './pull-consumer.js';
import type { RemotingAdmin } from './remoting-admin.js';
import { TopicRoutes } from './routes.js';

/**
 * How long an empty pull is held at the broker before the consumer says there is nothing:
 * new messages end the wait at once, so this bounds only how soon an idle slice notices its
 * budget.
 */
const LONG_POLL_MS = 2_500;

/**
 * The runtime's port to RocketMQ over its remoting protocol, straight to the brokers: batches of
 * many messages per send and per pull, a few microseconds of work a message. Connections and
 * routes are kept across warm invocations; each slice's consumer starts from the group's
 * committed offsets.
 */
export class RemotingMessaging implements Messaging {
  private readonly routes: TopicRoutes;
  private readonly sender: RemotingProducer;

  constructor(private readonly admin: RemotingAdmin) {
    this.routes = new TopicRoutes(admin);
    this.sender = new RemotingProducer(admin.client, this.routes);
  }

  producer(): Promise<MessageProducer> {
    return Promise.resolve(messageProducer(this.sender, REMOTING_BATCH_LIMITS));
  }

  async consumer(
    group: string,
    topics: readonly string[],
    member: ConsumerMember,
  ): Promise<MessageConsumer> {
    // A missing topic fails the slice here, naming it, rather than at the first pull.
    await Promise.all(topics.map((topic) => this.routes.readable(topic)));
    return new PullConsumer(this.admin.client, this.routes, group, topics, member, LONG_POLL_MS);
  }

  peek(group: string, topics: readonly string[], max: number): Promise<IncomingMessage[]> {
    return peekLatest(this.admin.client, this.routes, group, topics, max);
  }

  close(): void {
    this.admin.close();
  }
}
