import { execFile } from 'node:child_process';

/** RocketMQ 5 topic message types this platform uses. */
export type TopicType = 'NORMAL' | 'FIFO';

/** Creates topics and consumer groups. Every call is idempotent: create, or keep as asked. */
export interface TopicAdmin {
  ensureTopic(name: string, type: TopicType): Promise<void>;
  /** `fifo` groups get messages of a FIFO topic one message group at a time, in order. */
  ensureConsumerGroup(name: string, options?: { fifo?: boolean }): Promise<void>;
}

export class TopicAdminError extends Error {
  override readonly name = 'TopicAdminError';
  /** The management API's answer: the topic may be created if the request is sent again. */
  readonly httpStatus = 503;
}

// RocketMQ's own rule for topic and group names (TopicValidator): letters, digits, %, -, _, |.
const NAME_PATTERN = /^[%|a-zA-Z0-9_-]{1,127}$/;

/** Throws naming the problem when a topic or group name would be refused by the broker. */
export function assertValidName(kind: 'topic' | 'consumer group', name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new TopicAdminError(
      `${kind} name ${JSON.stringify(name)} is invalid: use 1 to 127 characters among letters, digits, '-', '_', '%' and '|'`,
    );
  }
}

export interface MqAdminToolOptions {
  readonly javaBin: string;
  /** Classpath holding rocketmq-tools and its dependencies. */
  readonly classpath: string;
  /** `host:port` of the name server. */
  readonly namesrv: string;
  readonly cluster: string;
  /** Used as the JVM's home folder, where the tool writes its logs. */
  readonly homeDir: string;
}

/** The admin tool's command line for one topic or group change (pure, for tests). */
export function mqAdminArgs(
  options: MqAdminToolOptions,
  command:
    | { kind: 'topic'; name: string; type: TopicType }
    | { kind: 'group'; name: string; fifo: boolean },
): string[] {
  const jvm = [
    '-Xms32m',
    '-Xmx128m',
    // The tool runs for a second: skip the optimizing compiler to start faster.
    '-XX:TieredStopAtLevel=1',
    `-Duser.home=${options.homeDir}`,
    `-Drocketmq.home.dir=${options.homeDir}`,
    '-cp',
    options.classpath,
    'org.apache.rocketmq.tools.command.MQAdminStartup',
  ];
  const target = ['-n', options.namesrv, '-c', options.cluster];
  return command.kind === 'topic'
    ? [...jvm, 'updateTopic', ...target, '-t', command.name, '-a', `+message.type=${command.type}`]
    : [...jvm, 'updateSubGroup', ...target, '-g', command.name, '-o', String(command.fifo)];
}

/**
 * Topic admin through RocketMQ's admin tool (rocketmq-tools jar), for the local stack.
 * `updateTopic` and `updateSubGroup` create or update, so repeating a call changes nothing.
 */
export class MqAdminToolTopicAdmin implements TopicAdmin {
  constructor(private readonly options: MqAdminToolOptions) {}

  async ensureTopic(name: string, type: TopicType): Promise<void> {
    assertValidName('topic', name);
    await this.run(mqAdminArgs(this.options, { kind: 'topic', name, type }), `topic ${name}`);
  }

  async ensureConsumerGroup(name: string, options: { fifo?: boolean } = {}): Promise<void> {
    assertValidName('consumer group', name);
    const args = mqAdminArgs(this.options, { kind: 'group', name, fifo: options.fifo ?? false });
    await this.run(args, `consumer group ${name}`);
  }

  private run(args: string[], what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile(this.options.javaBin, args, { timeout: 60_000 }, (error, stdout, stderr) => {
        // The tool prints "... success." and exits 0 even on some failures: trust the line.
        if (!error && /success/i.test(stdout)) {
          resolve();
          return;
        }
        const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-5).join('\n');
        reject(
          new TopicAdminError(
            `could not create ${what} on cluster ${this.options.cluster} via name server ${this.options.namesrv}: ${error?.message ?? 'no success reported'}\n${output}`,
          ),
        );
      });
    });
  }
}
