import type { RemotingAdmin } from './remoting-admin.js';
import { RemotingError } from './errors.js';
import { MASTER_ID, type TopicRoute } from './name-server.js';

/** One queue of a topic, on the master of its broker group. */
export interface QueueAddress {
  readonly topic: string;
  readonly brokerName: string;
  /** The master's `host:port`. */
  readonly address: string;
  readonly queueId: number;
}

// PermName bits.
const PERM_WRITE = 0x2;
const PERM_READ = 0x4;

/** How long a route is used before it is asked for again (the Java client's 30 s). */
const ROUTE_TTL_MS = 30_000;

/**
 * Topic routes from the name server, kept for a while: sends and pulls go to the queues they
 * list, and a failure forgets the topic's route so the next call asks again.
 */
export class TopicRoutes {
  private readonly cache = new Map<string, { at: number; route: Promise<TopicRoute> }>();

  constructor(
    private readonly admin: RemotingAdmin,
    private readonly now: () => number = Date.now,
  ) {}

  /** The queues producers may write, by broker group and queue id. */
  async writable(topic: string): Promise<QueueAddress[]> {
    return queuesOf(topic, await this.route(topic), 'write');
  }

  /**
   * The topic's writable queues, the topic created first when it does not exist: a source's
   * records may name topics nobody created beforehand (the JDBC source's `topic.prefix` + table,
   * a RegexRouter's target), which Kafka Connect's worker has created for it
   * (`topic.creation.enable`, or the broker's auto-creation). FIFO when the message sending it
   * belongs to a message group, NORMAL otherwise.
   */
  async writableCreating(topic: string, type: 'NORMAL' | 'FIFO'): Promise<QueueAddress[]> {
    try {
      return await this.writable(topic);
    } catch (error) {
      if (!(error instanceof MissingTopicError)) throw error;
    }
    await this.admin.ensureTopic(topic, type);
    // The broker registers the new topic with the name server as it creates it.
    for (let tries = 1; ; tries++) {
      try {
        return await this.writable(topic);
      } catch (error) {
        if (!(error instanceof MissingTopicError) || tries >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** The queues consumers read, by broker group and queue id. */
  async readable(topic: string): Promise<QueueAddress[]> {
    return queuesOf(topic, await this.route(topic), 'read');
  }

  /** Drops the topic's route (a broker refused or could not be reached). */
  forget(topic: string): void {
    this.cache.delete(topic);
  }

  private route(topic: string): Promise<TopicRoute> {
    const cached = this.cache.get(topic);
    if (cached && this.now() - cached.at < ROUTE_TTL_MS) return cached.route;
    const route = this.admin.routeOf(topic).then((found) => {
      if (found === undefined) throw new MissingTopicError(topic);
      return found;
    });
    this.cache.set(topic, { at: this.now(), route });
    route.catch(() => {
      if (this.cache.get(topic)?.route === route) this.cache.delete(topic);
    });
    return route;
  }
}

function queuesOf(topic: string, route: TopicRoute, use: 'read' | 'write'): QueueAddress[] {
  const queues: QueueAddress[] = [];
  const byName = [...route.queueDatas].sort((a, b) => a.brokerName.localeCompare(b.brokerName));
  for (const data of byName) {
    if ((data.perm & (use === 'read' ? PERM_READ : PERM_WRITE)) === 0) continue;
    const address = route.brokerDatas.find((b) => b.brokerName === data.brokerName)?.brokerAddrs[
      MASTER_ID
    ];
    if (address === undefined) continue;
    const count = use === 'read' ? data.readQueueNums : data.writeQueueNums;
    for (let queueId = 0; queueId < count; queueId++) {
      queues.push({ topic, brokerName: data.brokerName, address, queueId });
    }
  }
  return queues;
}

/** The name server knows no such topic: not retried, the message names it. */
export class MissingTopicError extends RemotingError {
  override readonly name: string = 'MissingTopicError';

  constructor(readonly topic: string) {
    super('name server', `topic ${topic} does not exist`, { retriable: false });
  }
}
