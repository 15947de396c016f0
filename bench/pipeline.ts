/**
 * The slice runtime against the ceilings of its parts, measured in one run (the machine is
 * shared and noisy: compare rows of one run, not runs):
 *
 * 1. datagen -> RocketMQ and FileStreamSource -> RocketMQ: one source task running slices back
 *    to back (runSlice with the real DynamoStateStore, RocketMqMessaging on a ClientCache, the
 *    built-in registry, the system clock), next to the raw client sending the datagen task's
 *    messages one per request (`Producer.send`, RAW_IN_FLIGHT outstanding) and in batches
 *    (`sendAll` on the BatchProducer, as the task's adapter sends), measured before and after
 *    the tasks. Each row also reports the bench process's CPU seconds per 100,000 records
 *    (process.cpuUsage around the run: the client, the runtime and the DynamoDB client).
 * 2. RocketMQ -> sink: one FileStreamSink task (fsync per flush) draining pre-produced messages,
 *    next to raw receive+ack with the same receivers and batch, measured before and after it.
 * 3. State table writes per 1,000 records of those runs (a middleware counting the slices'
 *    DynamoDB requests, not the setup's), by command; the aim is <= 2 per 1,000 records.
 * 4. Slice start to the first message RocketMQ acknowledged: warm (the ClientCache already holds
 *    the producer) over several short slices, and cold (a fresh ClientCache).
 *
 *   npm run bench:pipeline                (brings the local stack up, or reuses it)
 *   BENCH_PART=source npm run bench:pipeline   (part 1 only; `sink`: 2 only; default: all)
 *   BENCH_SOURCE_RECORDS=50000 BENCH_SINK_RECORDS=50000 BENCH_START_SLICES=20 npm run bench:pipeline
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { SimpleConsumer } from 'rocketmq-client-nodejs';
import { localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp } from '../infra/local/stack.js';
import type { PluginRegistry } from '../lib/api/registry.js';
import { Schemas } from '../lib/api/schema.js';
import { envOnlyProviders } from '../lib/config/provider-adapters.js';
import { parseConnectorConfig } from '../lib/config/parse.js';
import { DATAGEN_VALUE_SCHEMA, generate } from '../lib/connectors/datagen/generator.js';
import { DATAGEN_BATCH } from '../lib/connectors/datagen/task.js';
import type { SliceDispatcher, SliceRequest } from '../lib/runtime/slice-request.js';
import { taskConfigsFromRegistry } from '../lib/coordinator/task-configs.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import {
  startProducer,
  startSimpleConsumer,
  type RocketMqEndpoint,
  type SimpleConsumerOptions,
} from '../lib/rocketmq/clients.js';
import type { BatchProducer } from '../lib/rocketmq/batch-send.js';
import { RocketMqMessaging } from '../lib/rocketmq/messaging.js';
import { BATCH_LIMITS, sendAll } from '../lib/rocketmq/send.js';
import { mapBounded } from '../lib/util/concurrency.js';
import { RemotingAdmin } from '../lib/rocketmq/remoting/remoting-admin.js';
import { systemClock } from '../lib/runtime/slice-context.js';
import { buildMessage, type OutgoingMessage } from '../lib/runtime/message-mapping.js';
import type { Messaging } from '../lib/runtime/messaging.js';
import { createPipeline } from '../lib/runtime/pipeline.js';
import { RECEIVE_BATCH } from '../lib/runtime/sink-loop.js';
import { runSlice, type SliceDeps } from '../lib/runtime/slice-runner.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';
import { createStateTable } from '../lib/state/table.js';
import type { ConnectorConfig } from '../lib/api/connector-config.js';
import { consume, produce } from './rocketmq-load.js';
import { formatGrid, percentile } from './stats.js';

function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer: ${raw}`);
  return n;
}

const SOURCE_RECORDS = envCount('BENCH_SOURCE_RECORDS', 20_000);
const SINK_RECORDS = envCount('BENCH_SINK_RECORDS', 20_000);
const START_SLICES = envCount('BENCH_START_SLICES', 10);
const COLD_STARTS = envCount('BENCH_COLD_STARTS', 3);
/** Which parts run: all of them, or only part 1 (`source`) or 2 (`sink`). */
const PART = z.enum(['all', 'source', 'sink']).parse(process.env['BENCH_PART'] ?? 'all');
/** Datagen payload characters: with the JSON around them, a message body of about 1 KiB. */
const RECORD_SIZE = envCount('BENCH_RECORD_SIZE', 970);
/** The sink loop's default: concurrent receives per round. */
const SINK_RECEIVERS = 4;
const SINK_BODY = Buffer.from(randomBytes(768).toString('base64')); // 1 KiB, one line of text
const SLICE_MAX_MS = 60_000;
const AIM_WRITES_PER_1K = 2;
const MIB = 1024 * 1024;
const suffix = randomBytes(4).toString('hex');

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const BYTE_ARRAY_CONVERTER = 'org.apache.kafka.connect.converters.ByteArrayConverter';
const DATAGEN = { seed: 42, keys: 1000 };

/** A datagen task config: ~1 KiB JSON values (no schema envelope), string keys. */
const datagenConfig = (topic: string, count: number, extra: ConnectorConfig = {}) => ({
  'connector.class': 'datagen',
  topic,
  count: String(count),
  rate: '0',
  'record.size': String(RECORD_SIZE),
  seed: String(DATAGEN.seed),
  keys: String(DATAGEN.keys),
  'key.converter': STRING_CONVERTER,
  'value.converter': JSON_CONVERTER,
  'value.converter.schemas.enable': 'false',
  'slice.max.ms': String(SLICE_MAX_MS),
  ...extra,
});

// ---------------------------------------------------------------------------------------------
// Observation: wrappers around the real clients, noting when sends, receives and acks resolve.

/** What the wrapped clients saw since it was created (performance.now() times). */
class Probe {
  sends = 0;
  sentBytes = 0;
  firstSendAt: number | undefined;
  lastSendAt = 0;
  firstBatchAt: number | undefined;
  received = 0;
  receivedBytes = 0;
  lastReceiveAt = 0;
  acks = 0;
  firstAckAt: number | undefined;
  lastAckAt = 0;
}

/** `target` with some members replaced; every other method still runs on `target` itself. */
function intercept<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

/** The ClientCache, with each producer send and consumer receive and ack noted in `probe`. */
class ObservedClientCache extends ClientCache {
  probe = new Probe();

  override async producer(topics?: readonly string[]): Promise<BatchProducer> {
    const producer = await super.producer(topics);
    const sent = (bodies: readonly { body: Buffer }[]) => {
      const p = this.probe;
      p.lastSendAt = performance.now();
      p.firstSendAt ??= p.lastSendAt;
      p.sends += bodies.length;
      for (const m of bodies) p.sentBytes += m.body.length;
    };
    return intercept(producer, {
      send: async (...args: Parameters<BatchProducer['send']>) => {
        const receipt = await producer.send(...args);
        sent([args[0]]);
        return receipt;
      },
      sendBatch: async (...args: Parameters<BatchProducer['sendBatch']>) => {
        const ids = await producer.sendBatch(...args);
        sent(args[0]);
        return ids;
      },
    });
  }

  override async consumer(options: SimpleConsumerOptions): Promise<SimpleConsumer> {
    const consumer = await super.consumer(options);
    return intercept(consumer, {
      receive: async (...args: Parameters<SimpleConsumer['receive']>) => {
        const messages = await consumer.receive(...args);
        const p = this.probe;
        const at = performance.now();
        if (messages.length > 0) {
          p.lastReceiveAt = at;
          p.received += messages.length;
          for (const m of messages) p.receivedBytes += m.body.length;
        }
        return messages;
      },
      // The sink acks in batches (lib/rocketmq/batch-ack.ts): one request, many entries.
      ackMessageViaRpc: async (...args: Parameters<SimpleConsumer['ackMessageViaRpc']>) => {
        const response = await consumer.ackMessageViaRpc(...args);
        const p = this.probe;
        p.lastAckAt = performance.now();
        p.firstAckAt ??= p.lastAckAt;
        p.acks += args[1].getEntriesList().length;
        return response;
      },
    });
  }
}

/** RocketMqMessaging on the observed cache; the first batch whose receipts are all in is noted. */
function observedMessaging(clients: ObservedClientCache): Messaging {
  const inner = new RocketMqMessaging(clients);
  return {
    async producer(topics) {
      const producer = await inner.producer(topics);
      return {
        async send(messages) {
          const outcomes = await producer.send(messages);
          clients.probe.firstBatchAt ??= performance.now();
          return outcomes;
        },
      };
    },
    consumer: (group, topics) => inner.consumer(group, topics),
  };
}

const WRITE_COMMANDS = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
] as const;
const isWrite = (command: string) => (WRITE_COMMANDS as readonly string[]).includes(command);

/**
 * DynamoDB requests by command, counted while `counts` is set (the slices), not otherwise; when
 * the first write since `firstWriteAt` was cleared resolved (a slice's lease).
 */
class RequestCounter {
  counts: Map<string, number> | undefined;
  firstWriteAt: number | undefined;

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName?.replace(/Command$/, '') ?? 'unknown';
        const counts = this.counts;
        // One per send, before it goes: a conditional write that fails is a request too.
        counts?.set(command, (counts.get(command) ?? 0) + 1);
        const result = await next(args);
        if (isWrite(command)) this.firstWriteAt ??= performance.now();
        return result;
      },
      { step: 'initialize', name: 'benchCountStateRequests' },
    );
  }

  async during<T>(work: () => Promise<T>): Promise<{ result: T; counts: Map<string, number> }> {
    const counts = new Map<string, number>();
    this.counts = counts;
    try {
      return { result: await work(), counts };
    } finally {
      this.counts = undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Slices.

/** Continuations are only recorded: the bench itself runs the next slice at once. */
class RecordingDispatcher implements SliceDispatcher {
  readonly requests: SliceRequest[] = [];
  dispatch(request: SliceRequest): Promise<void> {
    this.requests.push(request);
    return Promise.resolve();
  }
}

interface Platform {
  readonly store: DynamoStateStore;
  readonly registry: PluginRegistry;
  readonly dispatcher: RecordingDispatcher;
  readonly counter: RequestCounter;
}

function sliceDeps(platform: Platform, clients: ObservedClientCache): SliceDeps {
  return {
    store: platform.store,
    registry: platform.registry,
    messaging: observedMessaging(clients),
    providers: envOnlyProviders(process.env),
    dispatcher: platform.dispatcher,
    clock: systemClock,
    log: { info: () => undefined, warn: (message) => console.warn(`[slice] ${message}`) },
  };
}

/** Creates a RUNNING connector and its task configs as the coordinator would; task 0's request. */
async function createConnector(
  platform: Platform,
  name: string,
  config: ConnectorConfig,
): Promise<SliceRequest> {
  const record = await platform.store.createConnector(name, config, 'RUNNING', Date.now());
  const tasks = taskConfigsFromRegistry(platform.registry)(record);
  if (tasks instanceof Error) throw tasks;
  const written = await platform.store.writeTaskConfigs(record, tasks, -1, Date.now());
  return { connector: name, taskId: 0, generation: written.generation };
}

let invocations = 0;

/** One slice, which must run and leave the task RUNNING; whether work is left. */
async function sliceOnce(request: SliceRequest, deps: SliceDeps): Promise<boolean> {
  const outcome = await runSlice(
    request,
    { holderId: `bench-${suffix}-${++invocations}`, remainingMs: 900_000 },
    deps,
  );
  if (outcome.kind !== 'ran') {
    const why = outcome.kind === 'skipped' ? `: ${outcome.reason}` : '';
    throw new Error(`${request.connector}: slice ${outcome.kind}${why}`);
  }
  if (outcome.status.state !== 'RUNNING') {
    throw new Error(`${request.connector}: ${outcome.status.state}\n${outcome.status.trace ?? ''}`);
  }
  return outcome.moreWork;
}

/** Slices back to back while work is left, as continuations would run them; how many ran. */
async function runSlices(request: SliceRequest, deps: SliceDeps): Promise<number> {
  let slices = 1;
  while (await sliceOnce(request, deps)) slices++;
  return slices;
}

// ---------------------------------------------------------------------------------------------
// Figures.

interface Rate {
  readonly path: string;
  readonly measured: string;
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly ceiling?: number;
  readonly slices?: number;
  /** CPU seconds of this process during the run (user + system). */
  readonly cpuSeconds?: number;
}

/** CPU seconds of this process since `since` (a process.cpuUsage() reading). */
function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function rateCells(r: Rate): string[] {
  const perSecond = r.records / r.seconds;
  return [
    r.path,
    r.measured,
    String(r.records),
    (r.bytes / r.records).toFixed(0),
    r.seconds.toFixed(2),
    perSecond.toFixed(0),
    (r.bytes / MIB / r.seconds).toFixed(2),
    r.ceiling === undefined ? '-' : `${(perSecond / r.ceiling).toFixed(2)}x`,
    r.slices === undefined ? '-' : String(r.slices),
    r.cpuSeconds === undefined ? '-' : ((r.cpuSeconds / r.records) * 100_000).toFixed(2),
  ];
}

/** Two runs of a ceiling, around the measured run; their mean rate is what it is compared with. */
function ceilingOf(before: Rate, after: Rate): number {
  return (before.records / before.seconds + after.records / after.seconds) / 2;
}

interface StateRun {
  readonly run: string;
  readonly records: number;
  readonly slices: number;
  readonly counts: Map<string, number>;
}

const sumOf = (counts: Map<string, number>, names: readonly string[]) =>
  names.reduce((n, name) => n + (counts.get(name) ?? 0), 0);

function stateCells(s: StateRun): string[] {
  const writes = sumOf(s.counts, WRITE_COMMANDS);
  const reads = [...s.counts.values()].reduce((a, b) => a + b, 0) - writes;
  const per1k = (writes / s.records) * 1000;
  return [
    s.run,
    String(s.records),
    String(s.slices),
    String(writes),
    per1k.toFixed(2),
    per1k <= AIM_WRITES_PER_1K ? 'yes' : 'NO',
    ...WRITE_COMMANDS.map((c) => String(s.counts.get(c) ?? 0)),
    String(reads),
  ];
}

interface StartSample {
  /** When the lease was taken (the slice's first state write resolved). */
  readonly leaseMs: number;
  readonly firstAckMs: number;
  readonly firstBatchMs: number;
  readonly sliceMs: number;
  readonly records: number;
}

function startCells(label: string, samples: readonly StartSample[]): string[] {
  const p = (pick: (s: StartSample) => number, q: number) =>
    percentile(samples.map(pick), q).toFixed(1);
  return [
    label,
    String(samples.length),
    (samples.reduce((n, s) => n + s.records, 0) / samples.length).toFixed(0),
    p((s) => s.leaseMs, 50),
    p((s) => s.leaseMs, 95),
    p((s) => s.firstAckMs, 50),
    p((s) => s.firstAckMs, 95),
    p((s) => s.firstBatchMs, 50),
    p((s) => s.firstBatchMs, 95),
    p((s) => s.sliceMs, 50),
    p((s) => s.sliceMs, 95),
  ];
}

// ---------------------------------------------------------------------------------------------
// 1. datagen -> RocketMQ

/** The messages the source task sends for records 0..count-1, built with its own converters. */
function datagenMessages(
  registry: PluginRegistry,
  config: ConnectorConfig,
  topic: string,
  count: number,
): OutgoingMessage[] {
  const { common } = parseConnectorConfig({ ...config, name: 'bench-ceiling' }, registry);
  const pipeline = createPipeline(common, registry);
  const { key, value } = pipeline.converters;
  const options = { ...DATAGEN, task: 0, recordSize: RECORD_SIZE };
  try {
    return Array.from({ length: count }, (_, seq) => {
      const record = generate(options, seq);
      return buildMessage(
        {
          topic,
          partition: {},
          offset: {},
          timestamp: Date.now(),
          key: record.key,
          value: record,
          headers: [],
        },
        {
          key: key.fromConnectData(topic, Schemas.STRING, record.key),
          value: value.fromConnectData(topic, DATAGEN_VALUE_SCHEMA, record),
          defaultTopic: topic,
          fifo: false,
        },
      );
    });
  } finally {
    pipeline.close();
  }
}

/** Requests the raw single-message row keeps outstanding (the baseline bench's sweet spot). */
const RAW_IN_FLIGHT = 32;
/** FileStreamSource lines: text of this many characters (the default JsonConverter wraps it). */
const FILE_LINE = 100;

/** The raw client on the datagen task's messages: one per request, or batched by sendAll. */
async function rawProduce(
  producer: BatchProducer,
  messages: readonly OutgoingMessage[],
  how: 'single' | 'batched',
  measured: string,
): Promise<Rate> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const outcomes =
    how === 'batched'
      ? await sendAll(producer, messages)
      : await mapBounded(messages, RAW_IN_FLIGHT, (m) => producer.send(m));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSince(cpu);
  const failed = outcomes.find((o) => 'ok' in o && !o.ok);
  if (failed && 'error' in failed) throw failed.error;
  return {
    path:
      how === 'batched'
        ? `raw client, batched (<= ${BATCH_LIMITS.maxMessages} msgs/request)`
        : `raw client, one per request, ${RAW_IN_FLIGHT} in flight`,
    measured,
    records: messages.length,
    bytes: messages.reduce((n, m) => n + m.body.length, 0),
    seconds,
    cpuSeconds,
  };
}

/** Runs a source connector's slices to the end; its rates, ceilings aside. */
async function sourceTask(
  platform: Platform,
  clients: ObservedClientCache,
  deps: SliceDeps,
  name: string,
  config: ConnectorConfig,
): Promise<{ task: (measured: string, ceiling: number) => Rate[]; state: StateRun }> {
  const request = await createConnector(platform, name, config);
  clients.probe = new Probe();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { result: slices, counts } = await platform.counter.during(() => runSlices(request, deps));
  const ended = performance.now();
  const cpuSeconds = cpuSince(cpu);
  const probe = clients.probe;
  if (probe.sends !== SOURCE_RECORDS) {
    throw new Error(`${name} sent ${probe.sends} messages, not ${SOURCE_RECORDS}`);
  }
  const rate = (path: string, measured: string, seconds: number, ceiling: number): Rate => ({
    path,
    measured,
    records: probe.sends,
    bytes: probe.sentBytes,
    seconds,
    ceiling,
    slices,
    cpuSeconds,
  });
  return {
    task: (path, ceiling) => [
      rate(path, 'to last ack', (probe.lastSendAt - started) / 1000, ceiling),
      rate(path, 'whole slices', (ended - started) / 1000, ceiling),
    ],
    state: { run: `${path(config)} -> RocketMQ`, records: SOURCE_RECORDS, slices, counts },
  };
}

const path = (config: ConnectorConfig) => String(config['connector.class']);

async function benchSource(
  platform: Platform,
  clients: ObservedClientCache,
  endpoint: RocketMqEndpoint,
  topic: string,
  dir: string,
): Promise<{ rates: Rate[]; states: StateRun[] }> {
  const deps = sliceDeps(platform, clients);
  const config = datagenConfig(topic, SOURCE_RECORDS);
  const messages = datagenMessages(platform.registry, config, topic, SOURCE_RECORDS);
  const file = join(dir, 'source.txt');
  const line = (n: number) => `line ${n} `.padEnd(FILE_LINE, 'x');
  await writeFile(file, Array.from({ length: SOURCE_RECORDS }, (_, n) => `${line(n)}\n`).join(''));
  const fileConfig = {
    'connector.class': 'FileStreamSource',
    file,
    topic,
    'slice.max.ms': String(SLICE_MAX_MS),
  };
  const producer = await startProducer(endpoint, [topic]);
  try {
    // Warm-up of every path: routes, connections, JIT on both sides.
    await rawProduce(producer, messages.slice(0, 1_000), 'single', 'warm-up');
    await rawProduce(producer, messages.slice(0, 5_000), 'batched', 'warm-up');
    await runSlices(
      await createConnector(platform, `bench-source-warm-${suffix}`, datagenConfig(topic, 2_000)),
      deps,
    );

    const single = await rawProduce(producer, messages, 'single', 'before the tasks');
    const batched = await rawProduce(producer, messages, 'batched', 'before the tasks');
    const datagen = await sourceTask(platform, clients, deps, `bench-source-${suffix}`, config);
    const files = await sourceTask(platform, clients, deps, `bench-file-${suffix}`, fileConfig);
    const batchedAfter = await rawProduce(producer, messages, 'batched', 'after the tasks');
    const singleAfter = await rawProduce(producer, messages, 'single', 'after the tasks');
    const ceiling = ceilingOf(batched, batchedAfter);
    return {
      rates: [
        single,
        singleAfter,
        batched,
        batchedAfter,
        ...datagen.task('datagen source task, runSlice', ceiling),
        ...files.task('FileStreamSource task, runSlice', ceiling),
      ],
      states: [datagen.state, files.state],
    };
  } finally {
    await producer.shutdown();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. RocketMQ -> sink

async function lineCount(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function benchSink(
  platform: Platform,
  clients: ObservedClientCache,
  endpoint: RocketMqEndpoint,
  admin: RemotingAdmin,
  dir: string,
): Promise<{ rates: Rate[]; state: StateRun; timeline: string[] }> {
  const deps = sliceDeps(platform, clients);
  const topic = `bench-pipe-sink-${suffix}`;
  const groups = ['raw1', 'raw2', 'task', 'warm'].map((g) => `bench-pipe-${g}-${suffix}`);
  const [rawGroup1, rawGroup2, taskGroup, warmGroup] = groups as [string, string, string, string];
  await admin.ensureTopic(topic, 'NORMAL');
  await Promise.all(groups.map((g) => admin.ensureConsumerGroup(g)));
  const sinkConfig = (group: string, file: string, extra: ConnectorConfig = {}) => ({
    'connector.class': 'FileStreamSink',
    file,
    topics: topic,
    'consumer.group': group,
    'key.converter': STRING_CONVERTER,
    'value.converter': BYTE_ARRAY_CONVERTER,
    'slice.max.ms': String(SLICE_MAX_MS),
    ...extra,
  });

  // Every consumer is up before the messages are sent, as in the baseline; the task's two are
  // started through the cache, as a warm container holds them.
  const raw1 = await startSimpleConsumer(endpoint, { consumerGroup: rawGroup1, topics: [topic] });
  const raw2 = await startSimpleConsumer(endpoint, { consumerGroup: rawGroup2, topics: [topic] });
  const producer = await startProducer(endpoint, [topic]);
  try {
    await clients.consumer({ consumerGroup: taskGroup, topics: [topic] });
    await clients.consumer({ consumerGroup: warmGroup, topics: [topic] });
    await produce(producer, topic, SINK_RECORDS, 128, SINK_BODY);

    // Warm-up of the sink path: one slice that stops after 1,000 records (no empty long poll).
    await sliceOnce(
      await createConnector(
        platform,
        `bench-sink-warm-${suffix}`,
        sinkConfig(warmGroup, join(dir, 'warm.txt'), { 'slice.max.records': '1000' }),
      ),
      deps,
    );

    const rawRate = (measured: string, seconds: number): Rate => ({
      path: `raw receive+ack, ${SINK_RECEIVERS} x ${RECEIVE_BATCH}`,
      measured,
      records: SINK_RECORDS,
      bytes: SINK_RECORDS * SINK_BODY.length,
      seconds,
    });
    const before = rawRate(
      'before the task',
      await consume(raw1, SINK_RECORDS, RECEIVE_BATCH, SINK_RECEIVERS),
    );
    const file = join(dir, 'out.txt');
    const request = await createConnector(
      platform,
      `bench-sink-${suffix}`,
      sinkConfig(taskGroup, file),
    );
    clients.probe = new Probe();
    const started = performance.now();
    const { result: slices, counts } = await platform.counter.during(() =>
      runSlices(request, deps),
    );
    const ended = performance.now();
    const probe = clients.probe;
    const after = rawRate(
      'after the task',
      await consume(raw2, SINK_RECORDS, RECEIVE_BATCH, SINK_RECEIVERS),
    );
    const lines = await lineCount(file);
    if (probe.acks < SINK_RECORDS || lines < SINK_RECORDS) {
      throw new Error(`the sink task acked ${probe.acks} and wrote ${lines} of ${SINK_RECORDS}`);
    }
    // No slice crashes here: every line past the ones produced is a duplicate without a crash.
    const duplicates = lines - SINK_RECORDS;
    const ceiling = ceilingOf(before, after);
    const task = (measured: string, at: number): Rate => ({
      path: 'sink task, runSlice',
      measured,
      records: SINK_RECORDS,
      bytes: probe.receivedBytes,
      seconds: (at - started) / 1000,
      ceiling,
      slices,
    });
    const at = (t: number | undefined) =>
      t === undefined ? '?' : ((t - started) / 1000).toFixed(2);
    const flushes = Math.max(0, (counts.get('UpdateItem') ?? 0) - slices);
    return {
      rates: [before, after, task('to last ack', probe.lastAckAt), task('whole slices', ended)],
      state: { run: 'RocketMQ -> sink', records: SINK_RECORDS, slices, counts },
      timeline: [
        `Sink timeline (s from the first slice's start): last message received ` +
          `${at(probe.lastReceiveAt)};`,
        `acks ${at(probe.firstAckAt)} to ${at(probe.lastAckAt)}; ${flushes} flushes in all.`,
        `Duplicates without a crash: sink ${duplicates} of ${lines} lines written, source 0 ` +
          `(the run fails unless it sent exactly ${SOURCE_RECORDS}).`,
      ],
    };
  } finally {
    await Promise.all([producer.shutdown(), raw1.shutdown(), raw2.shutdown()]);
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Slice start to first message acknowledged

async function timedSlice(
  platform: Platform,
  request: SliceRequest,
  deps: SliceDeps,
  clients: ObservedClientCache,
): Promise<StartSample> {
  clients.probe = new Probe();
  platform.counter.firstWriteAt = undefined;
  const started = performance.now();
  await sliceOnce(request, deps);
  const ended = performance.now();
  const { firstSendAt, firstBatchAt, sends } = clients.probe;
  const leaseAt = platform.counter.firstWriteAt;
  if (firstSendAt === undefined || firstBatchAt === undefined || leaseAt === undefined) {
    throw new Error(`${request.connector}: a slice sent nothing`);
  }
  return {
    leaseMs: leaseAt - started,
    firstAckMs: firstSendAt - started,
    firstBatchMs: firstBatchAt - started,
    sliceMs: ended - started,
    records: sends,
  };
}

async function benchStart(
  platform: Platform,
  clients: ObservedClientCache,
  endpoint: RocketMqEndpoint,
  topic: string,
): Promise<{ rows: string[][]; state: StateRun }> {
  // Enough records that every slice has some, however many one slice takes.
  const count = (START_SLICES + COLD_STARTS + 2) * DATAGEN_BATCH;
  const request = await createConnector(
    platform,
    `bench-start-${suffix}`,
    datagenConfig(topic, count, { 'slice.max.records': '100' }),
  );
  const deps = sliceDeps(platform, clients);
  await timedSlice(platform, request, deps, clients); // warm-up: this connector's first slice
  const warm: StartSample[] = [];
  const { counts } = await platform.counter.during(async () => {
    for (let i = 0; i < START_SLICES; i++) {
      warm.push(await timedSlice(platform, request, deps, clients));
    }
  });
  const cold: StartSample[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const fresh = new ObservedClientCache(endpoint);
    try {
      cold.push(await timedSlice(platform, request, sliceDeps(platform, fresh), fresh));
    } finally {
      await fresh.close();
    }
  }
  return {
    rows: [
      startCells('warm (ClientCache holds the producer)', warm),
      startCells('cold (fresh ClientCache)', cold),
    ],
    state: {
      run: `warm start slices (slice.max.records=100)`,
      records: warm.reduce((n, s) => n + s.records, 0),
      slices: warm.length,
      counts,
    },
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  let mark = performance.now();
  const phases: string[] = [];
  const phase = (name: string) => {
    const now = performance.now();
    phases.push(`${name} ${((now - mark) / 1000).toFixed(0)}`);
    mark = now;
  };
  const { info } = await stackUp(loadStackSettings(), (line) => console.log(`[stack] ${line}`));
  const endpoint: RocketMqEndpoint = { endpoints: info.rocketmq.endpoint };
  const admin = new RemotingAdmin(info.rocketmq);
  const sourceTopic = `bench-pipe-source-${suffix}`;
  await admin.ensureTopic(sourceTopic, 'NORMAL');
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const table = `bench-pipeline-${suffix}`;
  const counter = new RequestCounter(dynamo);
  await createStateTable(dynamo, table);
  const dir = await mkdtemp(join(tmpdir(), 'bench-pipeline-'));
  const clients = new ObservedClientCache(endpoint);
  const platform: Platform = {
    store: new DynamoStateStore(dynamo, table),
    registry: createBuiltinRegistry(),
    dispatcher: new RecordingDispatcher(),
    counter,
  };
  try {
    console.log(
      `running: ${SOURCE_RECORDS} source records, ${SINK_RECORDS} sink records, ` +
        `${START_SLICES} warm and ${COLD_STARTS} cold starts...`,
    );
    phase('setup');
    const source =
      PART === 'sink'
        ? undefined
        : await benchSource(platform, clients, endpoint, sourceTopic, dir);
    phase('source');
    const sink =
      PART === 'source' ? undefined : await benchSink(platform, clients, endpoint, admin, dir);
    phase('sink');
    const start =
      PART === 'all' ? await benchStart(platform, clients, endpoint, sourceTopic) : undefined;
    phase('start');

    console.log(
      `\npipeline on ${new Date().toISOString()} (local stack, one machine; compare rows of ` +
        `this run, not runs)\n`,
    );
    console.log(
      '1-2. throughput (vs ceiling: records/s over the mean of the two raw runs around it)\n',
    );
    console.log(
      formatGrid(
        [
          'path',
          'measured',
          'records',
          'body B',
          's',
          'rec/s',
          'MiB/s',
          'vs ceiling',
          'slices',
          'CPU s/100k',
        ],
        [...(source?.rates ?? []), ...(sink?.rates ?? [])].map(rateCells),
        2,
      ),
    );
    console.log(
      `\n3. state table writes of the slices (aim: <= ${AIM_WRITES_PER_1K} per 1,000 records)\n`,
    );
    console.log(
      formatGrid(
        ['run', 'records', 'slices', 'writes', 'writes/1k', 'aim met', ...WRITE_COMMANDS, 'reads'],
        [...(source?.states ?? []), sink?.state, start?.state]
          .filter((s) => s !== undefined)
          .map(stateCells),
      ),
    );
    if (start) {
      console.log(
        '\n4. slice start (runSlice called) to the first message RocketMQ acknowledged\n',
      );
      console.log(
        formatGrid(
          [
            'start',
            'slices',
            'rec/slice',
            'lease taken p50 ms',
            'p95',
            'first ack p50 ms',
            'p95',
            'first batch p50 ms',
            'p95',
            'slice p50 ms',
            'p95',
          ],
          start.rows,
        ),
      );
    }
    console.log(
      [
        '',
        `Source: datagen, rate 0, record.size ${RECORD_SIZE}, JsonConverter values ` +
          `(schemas.enable=false), StringConverter keys;`,
        `FileStreamSource: ${SOURCE_RECORDS} lines of ${FILE_LINE} characters, default ` +
          `converters (JsonConverter, schemas.enable=true), batch.size 2000;`,
        `slice.max.ms ${SLICE_MAX_MS}, other keys default (offset.flush.interval.ms 2000; ` +
          'poll.interval.ms 1000, so "whole slices"',
        'ends with one idle poll interval).',
        'Sink: FileStreamSink (one write + fsync per flush, every offset.flush.interval.ms), ' +
          `ByteArrayConverter values,`,
        `${SINK_RECEIVERS} receivers x ${RECEIVE_BATCH} long-polling side by side; the worker ` +
          'flushes and acks when nothing more is waiting.',
        'Its slice ends once every receiver had an empty long poll: "whole slices" includes ' +
          'that wait, "to last ack" does not.',
        `First batch: the first poll (${DATAGEN_BATCH} records at most) all acknowledged. ` +
          'Cold: fresh RocketMQ clients only (DynamoDB client,',
        'modules and JIT warm).',
        ...(sink?.timeline ?? []),
        `Continuations recorded: ${platform.dispatcher.requests.length}. ` +
          `Phases (s): ${phases.join(', ')}.`,
      ].join('\n'),
    );
  } finally {
    await clients.close();
    await dynamo.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    dynamo.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
