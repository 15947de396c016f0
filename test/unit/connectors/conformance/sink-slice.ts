// A sink task driven by the runtime's own sink loop, over the in-memory consumer and producer
// doubles: what it acks, what goes to the dead-letter topic, and what is left to come again.
import type { SinkConnectorPlugin } from '../../../../lib/api/connector.js';
import { createRegistry, type PluginRegistry } from '../../../../lib/api/registry.js';
import { builtinPlugins } from '../../../../lib/platform/builtins.js';
import type { IncomingMessage, OutgoingMessage } from '../../../../lib/runtime/message-mapping.js';
import { runSinkLoop } from '../../../../lib/runtime/sink-loop.js';
import {
  configure,
  deadLetterQueue,
  FakeConsumer,
  FakeProducer,
  incoming,
  sliceEnv,
} from '../../runtime/fake-ports.js';
import { createTask, sinkContext, testContainer } from '../context.js';
import type { SinkConformanceAdapter, SinkFixture, SuiteValue } from './adapter.js';

/** The topic the suite's messages come from, and its dead-letter topic. */
const TOPIC = 'in';
export const DEAD_LETTER_TOPIC = 'conformance-dlq';

/** The value of record `i`. */
export function suiteValue(i: number): SuiteValue {
  return { id: i, text: `record ${i}` };
}

/** Message `i`: key `key-i`, `value` as JSON (`suiteValue(i)` unless given), or raw bytes. */
export function suiteMessage(i: number, value: SuiteValue | string = suiteValue(i)) {
  return incoming(i, typeof value === 'string' ? value : JSON.stringify(value));
}

/** How the target holds message `m`'s record, as the adapter reads it back. */
export function writtenOf(adapter: SinkConformanceAdapter, m: IncomingMessage): unknown {
  return adapter.written(m.keys[0] ?? '', JSON.parse(m.body.toString('utf8')) as SuiteValue);
}

/** The built-in plugins with `plugin` in place of any of the same class (broken test doubles). */
function registryWith(plugin: SinkConnectorPlugin): PluginRegistry {
  return createRegistry([
    ...builtinPlugins.filter((p) => p.className !== plugin.className),
    plugin,
  ]);
}

export interface SinkSliceOutcome {
  /** Why the slice failed, if it did (the task is FAILED; nothing more was acked). */
  readonly failure: unknown;
  readonly acked: readonly IncomingMessage[];
  readonly deadLetters: readonly OutgoingMessage[];
}

export interface SinkSliceOptions {
  /** Keys added to the connector config (`errors.*`). */
  readonly config?: Record<string, string>;
  /** Runs at each ack, before it is taken. */
  readonly beforeAck?: (message: IncomingMessage) => Promise<void>;
}

/**
 * One slice of a new sink task over `messages` (those RocketMQ hands out now: the unacked),
 * through `runSinkLoop`; the task is always stopped after, as the slice runner does.
 */
export async function runSinkSlice(
  adapter: SinkConformanceAdapter,
  fixture: SinkFixture,
  messages: readonly IncomingMessage[],
  options: SinkSliceOptions = {},
): Promise<SinkSliceOutcome> {
  const config = {
    'connector.class': adapter.plugin.className,
    topics: TOPIC,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    ...fixture.config(),
    ...options.config,
  };
  const { common, pipeline } = configure(config, registryWith(adapter.plugin));
  const { env } = sliceEnv(common);
  const consumer = new FakeConsumer(messages);
  consumer.beforeAck = options.beforeAck;
  const producer = new FakeProducer();
  const task = await createTask(adapter.plugin);
  const container = testContainer();
  let failure: unknown;
  try {
    await task.start(config, sinkContext({ resources: container.resources }));
    await runSinkLoop({
      env,
      common,
      task,
      taskClass: adapter.plugin.className,
      pipeline,
      consumer,
      deadLetters: deadLetterQueue(env, producer),
      invisibleMs: () => 30_000,
      renewLease: () => Promise.resolve(),
      receivers: 1,
    });
  } catch (error) {
    failure = error;
  } finally {
    await task.stop();
    await container.end();
    pipeline.close();
  }
  return { failure, acked: consumer.acked, deadLetters: producer.sent };
}
