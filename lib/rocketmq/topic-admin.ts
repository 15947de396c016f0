/** RocketMQ 5 topic message types this platform uses. */
export type TopicType = 'NORMAL' | 'FIFO';

/**
 * Creates topics and consumer groups. Every call is idempotent: create, or keep as asked.
 * The adapter is `RemotingAdmin` (lib/rocketmq/remoting), RocketMQ's admin calls from TypeScript.
 */
export interface TopicAdmin {
  ensureTopic(name: string, type: TopicType): Promise<void>;
  /** `fifo` groups get messages of a FIFO topic one message group at a time, in order. */
  ensureConsumerGroup(name: string, options?: { fifo?: boolean }): Promise<void>;
}

/**
 * A topic or group could not be created or changed. `httpStatus` is the management API's
 * answer: 503 when sending the request again may succeed (a broker unreachable), 400 when the
 * request itself is at fault (a name the broker refuses).
 */
export class TopicAdminError extends Error {
  override readonly name = 'TopicAdminError';

  constructor(
    message: string,
    readonly httpStatus: 400 | 503 = 503,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Whether sending the request again may succeed. */
  get retriable(): boolean {
    return this.httpStatus === 503;
  }
}

// RocketMQ's own rule for topic and group names (TopicValidator): letters, digits, %, -, _, |.
const NAME_PATTERN = /^[%|a-zA-Z0-9_-]{1,127}$/;

/** Throws naming the problem when a topic or group name would be refused by the broker. */
export function assertValidName(kind: 'topic' | 'consumer group', name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new TopicAdminError(
      `${kind} name ${JSON.stringify(name)} is invalid: use 1 to 127 characters among letters, digits, '-', '_', '%' and '|'`,
      400,
    );
  }
}
