import {
  SinkOffsetsError,
  type ConsumerGroupOffsets,
  type QueueMove,
  type QueuePosition,
} from '../../management/sink-offsets.js';
import { consumerOffset, maxOffset, minOffset, resetOffset } from './broker.js';
import { ResponseCode } from './codes.js';
import { RemotingResponseError } from './errors.js';
import { routeQueues } from './name-server.js';
import { adminError, type RemotingAdmin } from './remoting-admin.js';

/**
 * Consumer groups' positions, read and moved on the brokers that hold each queue (the
 * management API's port for sink offsets).
 */
export class RemotingGroupOffsets implements ConsumerGroupOffsets {
  constructor(private readonly admin: RemotingAdmin) {}

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async positions(group: string, topics: readonly string[]): Promise<QueuePosition[]> {
    const queues = (await Promise.all(topics.map((topic) => this.queuesOf(topic)))).flat();
    return Promise.all(
      queues.map(async ({ topic, broker, queue, address }) => {
        const ref = { topic, queueId: queue };
        try {
          const [offset, end] = await Promise.all([
            consumerOffset(this.admin.client, address, group, ref),
            maxOffset(this.admin.client, address, ref),
          ]);
          return { topic, broker, queue, offset, end };
        } catch (error) {
          throw adminError(`could not read group ${group} on ${topic} queue ${queue}`, error);
        }
      }),
    );
  }

  /**
   * Checks every move against the topics' routes and the queues' stored range first, so that
   * a bad entry changes nothing; then moves each queue.
   */
  async moveTo(group: string, moves: readonly QueueMove[]): Promise<void> {
    const routes = new Map<string, Awaited<ReturnType<RemotingGroupOffsets['queuesOf']>>>();
    for (const topic of new Set(moves.map((m) => m.queue.topic))) {
      routes.set(topic, await this.queuesOf(topic));
    }
    const planned = await Promise.all(
      moves.map(async ({ queue, offset }) => {
        const where = `${queue.topic} queue ${queue.queue} on broker ${queue.broker}`;
        const found = routes
          .get(queue.topic)
          ?.find((q) => q.broker === queue.broker && q.queue === queue.queue);
        if (!found) throw new SinkOffsetsError(`there is no ${where}`);
        const ref = { topic: queue.topic, queueId: queue.queue };
        const [min, max] = await Promise.all([
          minOffset(this.admin.client, found.address, ref),
          maxOffset(this.admin.client, found.address, ref),
        ]).catch((error: unknown) => {
          throw adminError(`could not read the offsets of ${where}`, error);
        });
        const target = offset === 'earliest' ? min : offset;
        if (target < min || target > max) {
          throw new SinkOffsetsError(
            `offset ${target} is outside what ${where} holds: from ${min} (earliest) to ${max} (next)`,
          );
        }
        return { address: found.address, ref, target, where, earliest: offset === 'earliest' };
      }),
    );
    for (const { address, ref, target, where, earliest } of planned) {
      try {
        await resetOffset(this.admin.client, address, group, ref, target);
      } catch (error) {
        // A group that never read has nothing to move back.
        if (isMissingGroup(error) && earliest) continue;
        if (isMissingGroup(error)) {
          throw new SinkOffsetsError(
            `consumer group ${group} does not exist on broker ${address} yet; the broker makes it on the connector's first receive`,
          );
        }
        throw adminError(`could not move group ${group} on ${where}`, error);
      }
    }
  }

  /** The topic's queues, each with its broker group's master; none when the topic is gone. */
  private async queuesOf(topic: string) {
    const route = await this.admin.routeOf(topic);
    if (!route) return [];
    return routeQueues(route).flatMap(({ brokerName, address, queues }) =>
      address === undefined
        ? []
        : Array.from({ length: queues }, (_, queue) => ({
            topic,
            broker: brokerName,
            queue,
            address,
          })),
    );
  }
}

function isMissingGroup(error: unknown): boolean {
  return (
    error instanceof RemotingResponseError &&
    error.code === ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST
  );
}
