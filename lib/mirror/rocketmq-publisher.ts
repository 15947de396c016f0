import type { Producer } from 'rocketmq-client-nodejs';
import type { StatePublisher } from './mirror-batch.js';
import type { StateChange } from './state-change.js';

/**
 * Publishes state changes to their FIFO state topics: the message group keeps each key's
 * changes in order, the tag is the item kind (so a consumer can subscribe to one kind), and
 * the body is the payload as JSON. `send` resolves on the broker's receipt, so a change counts
 * as published only once it is stored.
 */
export class RocketMqStatePublisher implements StatePublisher {
  constructor(private readonly producer: () => Promise<Pick<Producer, 'send'>>) {}

  async publish(change: StateChange): Promise<void> {
    const producer = await this.producer();
    await producer.send({
      topic: change.topic,
      tag: change.payload.kind,
      messageGroup: change.messageGroup,
      body: Buffer.from(JSON.stringify(change.payload)),
    });
  }
}
