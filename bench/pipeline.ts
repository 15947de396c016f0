/**
 * The slice runtime against the ceilings of its parts, measured in one run (the machine is
 * shared and noisy: compare rows of one run, not runs). The tasks reach RocketMQ as the task
 * function does where the name server is known: `taskMessagingOf` (lib/platform/topic-admin.ts),
 * which is RemotingMessaging, batched sends and pulls straight to the brokers over RocketMQ's
 * remoting protocol. What the tasks did is noted at the port (`Messaging`): each send's ok
 * outcomes, each receive, each ack, when they resolved.
 *
 * 1. datagen -> RocketMQ and FileStreamSource -> RocketMQ: one source task running slices back
 *    to back (runSlice with the real DynamoStateStore, taskMessagingOf's RemotingMessaging, the
 *    built-in registry, the system clock). Ceiling: raw remoting batched sends of the datagen
 *    task's messages (`sendAll` on a RemotingProducer, REMOTING_BATCH_LIMITS), measured before
 *    and after the tasks, their mean rate. For comparison, the gRPC client sending the same
 *    messages one per request (`Producer.send`, RAW_IN_FLIGHT outstanding), as the gRPC
 *    adapter does (BATCH_LIMITS carries one message per request). Each row also reports the
 *    bench process's CPU seconds per 100,000 records (process.cpuUsage around the run: the
 *    client, the runtime and the DynamoDB client).
 * 2. RocketMQ -> sink: one FileStreamSink task (fsync per flush) draining pre-produced messages.
 *    Ceiling: raw pulls through RemotingMessaging's consumer (receive RECEIVE_BATCH, ack each
 *    batch), measured before and after the task, their mean rate. For comparison, the gRPC
 *    SimpleConsumer's raw receive+ack with the sink loop's receivers and batch.
 * 3. State table writes per 1,000 records of those runs (a middleware counting the slices'
 *    DynamoDB requests, not the setup's), by command; the aim is <= 2 per 1,000 records.
 * 4. Slice start to the first message RocketMQ acknowledged: warm (the RemotingMessaging already
 *    holds its connections and routes) over several short slices, and cold (a fresh
 *    RemotingMessaging on a new RemotingAdmin: new connections, routes asked again).
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
import { localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp, type LocalStackInfo } from '../infra/local/stack.js';
import type { PluginRegistry } from '../lib/api/registry.js';
import { Schemas } from '../lib/api/schema.js';
import { envOnlyProviders } from '../lib/config/provider-adapters.js';
import { parseConnectorConfig } from '../lib/config/parse.js';
import { DATAGEN_VALUE_SCHEMA, generate } from '../lib/connectors/datagen/generator.js';
import { DATAGEN_BATCH } from '../lib/connectors/datagen/task.js';
import type { SliceDispatcher, SliceRequest } from '../lib/runtime/slice-request.js';
import { taskMessagingOf } from '../lib/platform/topic-admin.js';
import { taskConfigsFromRegistry } from '../lib/coordinator/task-configs.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import {
  startProducer,
  startSimpleConsumer,
  type RocketMqEndpoint,
} from '../lib/rocketmq/clients.js';
import type { BatchProducer } from '../lib/rocketmq/batch-send.js';
import { sendAll } from '../lib/rocketmq/send.js';
import { mapBounded } from '../lib/util/concurrency.js';
import { RemotingProducer, REMOTING_BATCH_LIMITS } from '../lib/rocketmq/remoting/producer.js';
import { RemotingAdmin } from '../lib/rocketmq/remoting/remoting-admin.js';
import { RemotingMessaging } from '../lib/rocketmq/remoting/remoting-messaging.js';
import { TopicRoutes } from '../lib/rocketmq/remoting/routes.js';
import { systemClock } from '../lib/runtime/slice-context.js';
import { buildMessage, type OutgoingMessage } from '../lib/runtime/message-mapping.js';
import type {
  AckOutcome,
  MessageConsumer,
  MessageProducer,
  Messaging,
  SendOutcome,
} from '../lib/runtime/messaging.js';
import { createPipeline } from '../lib/runtime/pipeline.js';
import { RECEIVE_BATCH } from '../lib/runtime/sink-loop.js';
import { runSlice, type SliceDeps } from '../lib/runtime/slice-runner.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';
import { createStateTable } from '../lib/state/table.js';
import type { ConnectorConfig } from '../lib/api/connector-config.js';
import { consume } from './rocketmq-load.js';
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
// Observation: a wrapper around the port, noting when sends, receives and acks resolve.

/** What the observed port saw since it was created (performance.now() times). */
class Probe {
  /** Messages sent with an ok outcome. */
  sends = 0;
  sentBytes = 0;
  /** The first send with an ok outcome resolved. */
  firstSendAt: number | undefined;
  lastSendAt = 0;
  /** The first send resolved, whatever its outcomes (a source poll's batch). */
  firstBatchAt: number | undefined;
  received = 0;
  receivedBytes = 0;
  lastReceiveAt = 0;
  /** Messages acked with an ok outcome. */
  acks = 0;
  firstAckAt: number | undefined;
  lastAckAt = 0;
}

/** Any Messaging, with each producer send and consumer receive and ack noted in `probe`. */
class ObservedMessaging implements Messaging {
  /** Replaced by each measured run. */
  probe = new Probe();

  constructor(readonly inner: Messaging) {}

  async producer(topics: readonly string[]): Promise<MessageProducer> {
    const producer = await this.inner.producer(topics);
    return {
      send: async (messages) => {
        const outcomes = await producer.send(messages);
        this.sent(messages, outcomes);
        return outcomes;
      },
    };
  }

  async consumer(...args: Parameters<Messaging['consumer']>): Promise<MessageConsumer> {
    const consumer = await this.inner.consumer(...args);
    return {
      receive: async (max, invisibleMs) => {
        const messages = await consumer.receive(max, invisibleMs);
        const p = this.probe;
        if (messages.length > 0) {
          p.lastReceiveAt = performance.now();
          p.received += messages.length;
          for (const m of messages) p.receivedBytes += m.body.length;
        }
        return messages;
      },
      ack: async (messages) => {
        const outcomes = await consumer.ack(messages);
        this.acked(outcomes);
        return outcomes;
      },
    };
  }

  private sent(messages: readonly OutgoingMessage[], outcomes: readonly SendOutcome[]): void {
    const p = this.probe;
    const at = performance.now();
    p.firstBatchAt ??= at;
    let ok = 0;
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.ok) continue;
      ok++;
      p.sentBytes += (messages[i] as OutgoingMessage).body.length;
    }
    if (ok === 0) return;
    p.sends += ok;
    p.lastSendAt = at;
    p.firstSendAt ??= at;
  }

  private acked(outcomes: readonly AckOutcome[]): void {
    const ok = outcomes.filter((o) => o.ok).length;
    if (ok === 0) return;
    const p = this.probe;
    p.acks += ok;
    p.lastAckAt = performance.now();
    p.firstAckAt ??= p.lastAckAt;
  }
}

/** The first failed outcome's error, thrown: the raw runs must not lose messages. */
function throwFailed(outcomes: readonly (SendOutcome | AckOutcome)[]): void {
  for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
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

function sliceDeps(platform: Platform, messaging: ObservedMessaging): SliceDeps {
  return {
    store: platform.store,
    registry: platform.registry,
    messaging,
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

/** A raw run: its time (or the seconds `work` resolves with) and this process's CPU seconds. */
async function rawRun(
  path: string,
  measured: string,
  records: number,
  bytes: number,
  work: () => Promise<number | undefined>,
): Promise<Rate> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const seconds = (await work()) ?? (performance.now() - started) / 1000;
  return { path, measured, records, bytes, seconds, cpuSeconds: cpuSince(cpu) };
}

const bodyBytes = (messages: readonly OutgoingMessage[]) =>
  messages.reduce((n, m) => n + m.body.length, 0);

/** The ceiling: the task's messages in remoting batch sends, as RemotingMessaging sends them. */
function rawRemotingSend(
  sender: RemotingProducer,
  messages: readonly OutgoingMessage[],
  measured: string,
): Promise<Rate> {
  return rawRun(
    `ceiling: raw remoting, batched (<= ${REMOTING_BATCH_LIMITS.maxMessages} msgs/request)`,
    measured,
    messages.length,
    bodyBytes(messages),
    async () => {
      throwFailed(await sendAll(sender, messages, REMOTING_BATCH_LIMITS));
      return undefined;
    },
  );
}

/** For comparison: the gRPC client on the same messages, one per request. */
function rawGrpcSend(
  producer: BatchProducer,
  messages: readonly OutgoingMessage[],
  measured: string,
): Promise<Rate> {
  return rawRun(
    `raw gRPC client, one per request, ${RAW_IN_FLIGHT} in flight`,
    measured,
    messages.length,
    bodyBytes(messages),
    async () => {
      await mapBounded(messages, RAW_IN_FLIGHT, (m) => producer.send(m));
      return undefined;
    },
  );
}

/** Runs a source connector's slices to the end; its rates, ceilings aside. */
async function sourceTask(
  platform: Platform,
  messaging: ObservedMessaging,
  deps: SliceDeps,
  name: string,
  config: ConnectorConfig,
): Promise<{ task: (measured: string, ceiling: number) => Rate[]; state: StateRun }> {
  const request = await createConnector(platform, name, config);
  messaging.probe = new Probe();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { result: slices, counts } = await platform.counter.during(() => runSlices(request, deps));
  const ended = performance.now();
  const cpuSeconds = cpuSince(cpu);
  const probe = messaging.probe;
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
  messaging: ObservedMessaging,
  endpoint: RocketMqEndpoint,
  admin: RemotingAdmin,
  topic: string,
  dir: string,
): Promise<{ rates: Rate[]; states: StateRun[] }> {
  const deps = sliceDeps(platform, messaging);
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
  // The raw remoting sender shares the admin's connections, not the task's.
  const sender = new RemotingProducer(admin.client, new TopicRoutes(admin));
  const producer = await startProducer(endpoint, [topic]);
  try {
    // Warm-up of every path: routes, connections, JIT on both sides.
    await rawGrpcSend(producer, messages.slice(0, 1_000), 'warm-up');
    await rawRemotingSend(sender, messages.slice(0, 5_000), 'warm-up');
    await runSlices(
      await createConnector(platform, `bench-source-warm-${suffix}`, datagenConfig(topic, 2_000)),
      deps,
    );

    const grpc = await rawGrpcSend(producer, messages, 'before the tasks');
    const remoting = await rawRemotingSend(sender, messages, 'before the tasks');
    const datagen = await sourceTask(platform, messaging, deps, `bench-source-${suffix}`, config);
    const files = await sourceTask(platform, messaging, deps, `bench-file-${suffix}`, fileConfig);
    const remotingAfter = await rawRemotingSend(sender, messages, 'after the tasks');
    const grpcAfter = await rawGrpcSend(producer, messages, 'after the tasks');
    const ceiling = ceilingOf(remoting, remotingAfter);
    return {
      rates: [
        remoting,
        remotingAfter,
        { ...grpc, ceiling },
        { ...grpcAfter, ceiling },
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

/**
 * The sink's ceiling: one RemotingMessaging consumer (all the queues) receiving RECEIVE_BATCH at
 * a time and acking each batch before the next receive, until `count` are in; the seconds from
 * the consumer's start to the last ack.
 */
async function pullAll(
  messaging: RemotingMessaging,
  group: string,
  topic: string,
  count: number,
): Promise<number> {
  const started = performance.now();
  const consumer = await messaging.consumer(group, [topic], { index: 0, count: 1 });
  const deadline = Date.now() + 300_000;
  let received = 0;
  while (received < count) {
    if (Date.now() > deadline) throw new Error(`${count - received} messages never arrived`);
    const messages = await consumer.receive(RECEIVE_BATCH, 60_000);
    if (messages.length === 0) continue;
    throwFailed(await consumer.ack(messages));
    received += messages.length;
  }
  return (performance.now() - started) / 1000;
}

async function benchSink(
  platform: Platform,
  messaging: ObservedMessaging,
  endpoint: RocketMqEndpoint,
  admin: RemotingAdmin,
  dir: string,
): Promise<{ rates: Rate[]; state: StateRun; timeline: string[] }> {
  const deps = sliceDeps(platform, messaging);
  const topic = `bench-pipe-sink-${suffix}`;
  const groups = ['grpc1', 'grpc2', 'pull1', 'pull2', 'task', 'warm'].map(
    (g) => `bench-pipe-${g}-${suffix}`,
  );
  const [grpcGroup1, grpcGroup2, pullGroup1, pullGroup2, taskGroup, warmGroup] = groups as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
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

  // The gRPC consumers are up before the messages are sent, as in the baseline (a new pop
  // group would start at the end); pulling groups start at a queue's earliest message anyway.
  const grpc1 = await startSimpleConsumer(endpoint, { consumerGroup: grpcGroup1, topics: [topic] });
  const grpc2 = await startSimpleConsumer(endpoint, { consumerGroup: grpcGroup2, topics: [topic] });
  // The raw pulls use the admin's connections, not the task's.
  const raw = new RemotingMessaging(admin);
  try {
    const sent = await sendAll(
      new RemotingProducer(admin.client, new TopicRoutes(admin)),
      Array.from({ length: SINK_RECORDS }, (_, i) => ({
        topic,
        body: SINK_BODY,
        keys: [`k${i}`],
        properties: new Map<string, string>(),
      })),
      REMOTING_BATCH_LIMITS,
    );
    throwFailed(sent);

    // Warm-up of the sink path: one slice that stops after 1,000 records (no empty long poll).
    await sliceOnce(
      await createConnector(
        platform,
        `bench-sink-warm-${suffix}`,
        sinkConfig(warmGroup, join(dir, 'warm.txt'), { 'slice.max.records': '1000' }),
      ),
      deps,
    );

    const bytes = SINK_RECORDS * SINK_BODY.length;
    const rawPull = (group: string, measured: string) =>
      rawRun(
        `ceiling: raw remoting pull, receive ${RECEIVE_BATCH} + ack`,
        measured,
        SINK_RECORDS,
        bytes,
        () => pullAll(raw, group, topic, SINK_RECORDS),
      );
    const rawGrpc = (consumer: typeof grpc1, measured: string) =>
      rawRun(
        `raw gRPC receive+ack, ${SINK_RECEIVERS} x ${RECEIVE_BATCH}`,
        measured,
        SINK_RECORDS,
        bytes,
        () => consume(consumer, SINK_RECORDS, RECEIVE_BATCH, SINK_RECEIVERS),
      );
    const grpcBefore = await rawGrpc(grpc1, 'before the task');
    const pullBefore = await rawPull(pullGroup1, 'before the task');
    const file = join(dir, 'out.txt');
    const request = await createConnector(
      platform,
      `bench-sink-${suffix}`,
      sinkConfig(taskGroup, file),
    );
    messaging.probe = new Probe();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { result: slices, counts } = await platform.counter.during(() =>
      runSlices(request, deps),
    );
    const ended = performance.now();
    const cpuSeconds = cpuSince(cpu);
    const probe = messaging.probe;
    const pullAfter = await rawPull(pullGroup2, 'after the task');
    const grpcAfter = await rawGrpc(grpc2, 'after the task');
    const lines = await lineCount(file);
    if (probe.acks < SINK_RECORDS || lines < SINK_RECORDS) {
      throw new Error(`the sink task acked ${probe.acks} and wrote ${lines} of ${SINK_RECORDS}`);
    }
    // No slice crashes here: every line past the ones produced is a duplicate without a crash.
    const duplicates = lines - SINK_RECORDS;
    const ceiling = ceilingOf(pullBefore, pullAfter);
    const task = (measured: string, at: number): Rate => ({
      path: 'sink task, runSlice',
      measured,
      records: SINK_RECORDS,
      bytes: probe.receivedBytes,
      seconds: (at - started) / 1000,
      ceiling,
      slices,
      cpuSeconds,
    });
    const at = (t: number | undefined) =>
      t === undefined ? '?' : ((t - started) / 1000).toFixed(2);
    const flushes = Math.max(0, (counts.get('UpdateItem') ?? 0) - slices);
    return {
      rates: [
        pullBefore,
        pullAfter,
        { ...grpcBefore, ceiling },
        { ...grpcAfter, ceiling },
        task('to last ack', probe.lastAckAt),
        task('whole slices', ended),
      ],
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
    await Promise.all([grpc1.shutdown(), grpc2.shutdown()]);
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Slice start to first message acknowledged

async function timedSlice(
  platform: Platform,
  request: SliceRequest,
  messaging: ObservedMessaging,
): Promise<StartSample> {
  messaging.probe = new Probe();
  platform.counter.firstWriteAt = undefined;
  const started = performance.now();
  await sliceOnce(request, sliceDeps(platform, messaging));
  const ended = performance.now();
  const { firstSendAt, firstBatchAt, sends } = messaging.probe;
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
  messaging: ObservedMessaging,
  rocketmq: LocalStackInfo['rocketmq'],
  topic: string,
): Promise<{ rows: string[][]; state: StateRun }> {
  // Enough records that every slice has some, however many one slice takes.
  const count = (START_SLICES + COLD_STARTS + 2) * DATAGEN_BATCH;
  const request = await createConnector(
    platform,
    `bench-start-${suffix}`,
    datagenConfig(topic, count, { 'slice.max.records': '100' }),
  );
  await timedSlice(platform, request, messaging); // warm-up: this connector's first slice
  const warm: StartSample[] = [];
  const { counts } = await platform.counter.during(async () => {
    for (let i = 0; i < START_SLICES; i++)
      warm.push(await timedSlice(platform, request, messaging));
  });
  const cold: StartSample[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const fresh = new RemotingMessaging(new RemotingAdmin(rocketmq));
    try {
      cold.push(await timedSlice(platform, request, new ObservedMessaging(fresh)));
    } finally {
      fresh.close();
    }
  }
  return {
    rows: [
      startCells('warm (RemotingMessaging holds connections, routes)', warm),
      startCells('cold (fresh RemotingMessaging)', cold),
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
  // As the task function builds it (functions/task.ts): remoting, since the name server is known.
  const clients = new ClientCache(endpoint);
  const taskMessaging = taskMessagingOf(
    { ROCKETMQ_NAMESRV: info.rocketmq.namesrv, ROCKETMQ_CLUSTER: info.rocketmq.cluster },
    clients,
  );
  if (!(taskMessaging instanceof RemotingMessaging)) {
    throw new Error('taskMessagingOf did not choose remoting: this bench measures that path');
  }
  const messaging = new ObservedMessaging(taskMessaging);
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
        : await benchSource(platform, messaging, endpoint, admin, sourceTopic, dir);
    phase('source');
    const sink =
      PART === 'source' ? undefined : await benchSink(platform, messaging, endpoint, admin, dir);
    phase('sink');
    const start =
      PART === 'all'
        ? await benchStart(platform, messaging, info.rocketmq, sourceTopic)
        : undefined;
    phase('start');

    console.log(
      `\npipeline on ${new Date().toISOString()} (local stack, one machine; compare rows of ` +
        `this run, not runs)\n`,
    );
    console.log(
      '1-2. throughput over remoting, as the task function runs (vs ceiling: records/s over ' +
        'the mean of the two "ceiling:" runs around the tasks)\n',
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
        'Tasks: taskMessagingOf (RemotingMessaging: batched sends and pulls over remoting, ' +
          'straight to the broker), observed at the Messaging port.',
        `Ceilings: "ceiling:" rows, raw remoting through the same parts (sendAll on a ` +
          `RemotingProducer, <= ${REMOTING_BATCH_LIMITS.maxMessages} msgs/request; a`,
        `RemotingMessaging consumer receiving ${RECEIVE_BATCH} and acking each batch). ` +
          'The raw gRPC rows (the proxy, one message per send request)',
        'are for comparison only, against the same ceiling.',
        `Source: datagen, rate 0, record.size ${RECORD_SIZE}, JsonConverter values ` +
          `(schemas.enable=false), StringConverter keys;`,
        `FileStreamSource: ${SOURCE_RECORDS} lines of ${FILE_LINE} characters, default ` +
          `converters (JsonConverter, schemas.enable=true), batch.size 2000;`,
        `slice.max.ms ${SLICE_MAX_MS}, other keys default (offset.flush.interval.ms 2000; ` +
          'poll.interval.ms 100, so "whole slices"',
        'ends with one idle poll interval).',
        'Sink: FileStreamSink (one write + fsync per flush, every offset.flush.interval.ms), ' +
          `ByteArrayConverter values,`,
        `${SINK_RECEIVERS} receivers x ${RECEIVE_BATCH} on one pull consumer (its task's share ` +
          'of the queues, pulled side by side); the worker flushes and acks',
        'when nothing more is waiting. Its slice ends once every receiver had an empty long ' +
          'poll: "whole slices" includes that wait, "to last ack" does not.',
        `First ack: the first send with a message stored; first batch: the first send resolved ` +
          `(a poll, ${DATAGEN_BATCH} records at most); at the port`,
        'both are the same send unless it failed. Cold: a fresh RemotingMessaging (new ' +
          'connections, routes asked again; DynamoDB client, modules and JIT warm).',
        ...(sink?.timeline ?? []),
        `Continuations recorded: ${platform.dispatcher.requests.length}. ` +
          `Phases (s): ${phases.join(', ')}.`,
      ].join('\n'),
    );
  } finally {
    taskMessaging.close();
    admin.close();
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
