import type { ConnectorConfig } from '../api/connector-config.js';
import type { ConnectorPlugin, SourceTask } from '../api/connector.js';
import type { SchemaAndValue } from '../api/converter.js';
import type { PluginRegistry } from '../api/registry.js';
import type { ConnectRecord, SourceRecord } from '../api/record.js';
import { decimalScale, LogicalType, type DecimalValue, type Schema } from '../api/schema.js';
import type { OffsetEntry, SourcePartition } from '../api/source-offsets.js';
import type { ChainEntry } from '../api/transform.js';
import { ConfigValidationError } from '../config/errors.js';
import { consumerGroupOf, parseConnectorConfig, type CommonConfig } from '../config/parse.js';
import { resolveConfig, type ConfigProviders } from '../config/providers.js';
import { schemaToJson } from '../converters/json-schema.js';
import { writeJson } from '../converters/json-text.js';
import {
  buildMessage,
  fromMessage,
  messageKeyBytes,
  type IncomingMessage,
} from './message-mapping.js';
import type { Messaging } from './messaging.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { systemClock, type Clock } from './slice-context.js';
import type { PreviewRequest, SampleMessage } from './preview-request.js';
import type {
  MessageView,
  PreviewAnswer,
  PreviewError,
  PreviewStep,
  PreviewedRecord,
  RecordView,
} from './preview-answer.js';
import { hideSecrets, reasonOf, valuesToHide } from './system-check.js';
import { WarmResourceCache } from './warm-resource-cache.js';

/**
 * A connector config's effect shown before it runs (`POST /connectors/{name}/preview`): a source
 * task polls for up to `limit` records or `timeoutMs`, and each record is shown as polled, after
 * each transform, and as the message it would become; a sink's topics' last messages (or sample
 * messages) are shown as received, converted, after each transform, and as `put` would get them.
 * Nothing is produced, acknowledged or committed: a source's records go nowhere and its offsets
 * are read, never written; a sink's messages are read without a consumer group's commit, and no
 * sink task is started.
 */

export type {
  MessageView,
  PreviewAnswer,
  PreviewError,
  PreviewStep,
  PreviewedRecord,
  RecordView,
} from './preview-answer.js';

/** A source task that has nothing now is polled again after this. */
const EMPTY_POLL_PAUSE_MS = 200;

export interface PreviewDeps {
  readonly registry: PluginRegistry;
  readonly providers: ConfigProviders;
  /** The connector's committed source offsets, read only (a new connector has none). */
  readonly readOffsets: (
    connector: string,
    partitions: readonly SourcePartition[],
  ) => Promise<OffsetEntry[]>;
  /**
   * The last `max` messages of the topics, read without a consumer group's commit; undefined
   * where the messaging adapter cannot (a sink preview then needs sample messages).
   */
  readonly peek?: (
    group: string,
    topics: readonly string[],
    max: number,
  ) => Promise<IncomingMessage[]>;
  readonly clock?: Clock;
}

/**
 * The task function's preview deps: offsets read from the state table, a sink's messages read
 * through the messaging adapter (when it can), references resolved by `providers`.
 */
export function previewDepsOf(deps: {
  readonly registry: PluginRegistry;
  readonly providers: ConfigProviders;
  readonly store: { readOffsets: PreviewDeps['readOffsets'] };
  readonly messaging: Messaging;
}): PreviewDeps {
  const { messaging } = deps;
  return {
    registry: deps.registry,
    providers: deps.providers,
    readOffsets: (connector, partitions) => deps.store.readOffsets(connector, partitions),
    ...(messaging.peek && {
      peek: (group: string, topics: readonly string[], max: number) =>
        messaging.peek!(group, topics, max),
    }),
  };
}

/** Runs a preview; never throws for what the config, the task or the records do wrong. */
export async function previewConnector(
  request: PreviewRequest,
  deps: PreviewDeps,
): Promise<PreviewAnswer> {
  const connector = request.config.name ?? 'preview';
  let parsed: { common: CommonConfig; plugin: ConnectorPlugin };
  try {
    parsed = parseConnectorConfig({ ...request.config, name: connector }, deps.registry);
  } catch (error) {
    return { connector, type: 'source', records: [], error: configError(error) };
  }
  const { common, plugin } = parsed;
  let pipeline: Pipeline;
  try {
    pipeline = createPipeline(common, deps.registry);
  } catch (error) {
    return { connector, type: plugin.type, records: [], error: configError(error) };
  }
  try {
    return plugin.type === 'source'
      ? await previewSource(request, deps, connector, common, plugin, pipeline)
      : await previewSink(request, deps, connector, common, pipeline);
  } finally {
    pipeline.close();
  }
}

function configError(error: unknown): PreviewError {
  const message =
    error instanceof ConfigValidationError
      ? error.message
      : `the config cannot be used: ${reasonOf(error)}`;
  return { stage: 'config', message };
}

async function previewSource(
  request: PreviewRequest,
  deps: PreviewDeps,
  connector: string,
  common: CommonConfig,
  plugin: Extract<ConnectorPlugin, { type: 'source' }>,
  pipeline: Pipeline,
): Promise<PreviewAnswer> {
  const clock = deps.clock ?? systemClock;
  const records: PreviewedRecord[] = [];
  const answer = (error?: PreviewError): PreviewAnswer => ({
    connector,
    type: 'source',
    records,
    ...(error && { error }),
  });
  // Task 0's config, as the coordinator would give it.
  const taskConfig = plugin.taskConfigs(request.config, common.tasksMax)[0];
  if (taskConfig === undefined) {
    return answer({ stage: 'config', message: `${plugin.className} made no task of this config` });
  }
  let resolved: ConnectorConfig;
  try {
    resolved = await resolveConfig({ ...taskConfig, name: connector }, deps.providers);
  } catch (error) {
    return answer({ stage: 'config', message: reasonOf(error) });
  }
  const hidden = valuesToHide(taskConfig, resolved, plugin);
  const fail = (stage: PreviewError['stage'], error: unknown): PreviewAnswer =>
    answer({ stage, message: hideSecrets(reasonOf(error), hidden) });

  const deadline = clock.now() + request.timeoutMs;
  const abort = new AbortController();
  const cache = new WarmResourceCache();
  const lent = cache.forSlice();
  let task: SourceTask | undefined;
  try {
    task = await plugin.createTask();
    const started = task.start(resolved, {
      connector,
      taskId: 0,
      signal: abort.signal,
      resources: lent.resources,
      offsets: { read: (partitions) => deps.readOffsets(connector, partitions) },
    });
    const start = await beforeDeadline(started, deadline, clock);
    if (start === LATE) {
      return answer({ stage: 'task start', message: 'the task did not start in time' });
    }
  } catch (error) {
    return fail('task start', error);
  }
  try {
    while (records.length < request.limit && clock.now() < deadline) {
      let polled: SourceRecord[] | typeof LATE;
      try {
        polled = await beforeDeadline(task.poll(), deadline, clock);
      } catch (error) {
        return fail('poll', error);
      }
      if (polled === LATE) break;
      if (polled.length === 0) {
        await clock.sleep(Math.min(EMPTY_POLL_PAUSE_MS, Math.max(0, deadline - clock.now())));
        continue;
      }
      for (const record of polled.slice(0, request.limit - records.length)) {
        const addressed = record.topic === undefined ? { ...record, topic: common.topic } : record;
        records.push(traceSource(addressed, pipeline));
      }
    }
    return answer();
  } finally {
    abort.abort();
    await task.stop().catch(() => undefined);
    lent.release();
    await cache.closeAll();
  }
}

const LATE = Symbol('late');

/** The promise's value, or LATE once the deadline passed (the promise is left to settle). */
async function beforeDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  clock: Clock,
): Promise<T | typeof LATE> {
  promise.catch(() => undefined);
  const wait = Math.max(0, deadline - clock.now());
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), wait);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function traceSource(record: SourceRecord, pipeline: Pipeline): PreviewedRecord {
  const steps: PreviewStep[] = [{ stage: 'poll', record: viewOf(record) }];
  const transformed = runChain(record, pipeline, steps);
  if ('outcome' in transformed) return transformed;
  const result = transformed.record;
  const topic = result.topic;
  if (topic === undefined) {
    return {
      steps,
      outcome: 'failed',
      error: {
        stage: 'transform',
        message: 'the record names no topic and the connector has no topic key',
      },
    };
  }
  const converters = pipeline.converters;
  let key: Uint8Array | undefined;
  try {
    key =
      result.key === null || result.key === undefined
        ? undefined
        : converters.key.fromConnectData(topic, result.keySchema, result.key);
  } catch (error) {
    return failed(steps, 'key.converter', error, pipeline.converters.keyClass);
  }
  let value: Uint8Array;
  try {
    value = converters.value.fromConnectData(topic, result.valueSchema, result.value);
  } catch (error) {
    return failed(steps, 'value.converter', error, pipeline.converters.valueClass);
  }
  const message = buildMessage(result, { key, value, defaultTopic: topic, fifo: false });
  steps.push({
    stage: 'message',
    message: {
      topic: message.topic,
      ...(key !== undefined && { key: Buffer.from(key).toString('utf8') }),
      ...bodyOf(message.body),
      properties: Object.fromEntries(message.properties),
    },
  });
  return { steps, outcome: 'send' };
}

async function previewSink(
  request: PreviewRequest,
  deps: PreviewDeps,
  connector: string,
  common: CommonConfig,
  pipeline: Pipeline,
): Promise<PreviewAnswer> {
  const answer = (
    records: PreviewedRecord[],
    from?: PreviewAnswer['messagesFrom'],
    error?: PreviewError,
  ): PreviewAnswer => ({
    connector,
    type: 'sink',
    records,
    ...(from && { messagesFrom: from }),
    ...(error && { error }),
  });
  let messages: IncomingMessage[];
  let from: PreviewAnswer['messagesFrom'];
  if (request.samples !== undefined) {
    messages = request.samples.slice(0, request.limit).map(sampleMessage);
    from = 'request';
  } else {
    const topics = common.topics;
    if (topics === undefined) {
      return answer([], undefined, {
        stage: 'read',
        message:
          'topics.regex cannot be previewed: list the topics in topics, or give sample messages',
      });
    }
    if (deps.peek === undefined) {
      return answer([], undefined, {
        stage: 'read',
        message: 'this platform cannot read the topics without a consumer: give sample messages',
      });
    }
    try {
      messages = await deps.peek(consumerGroupOf(common), topics, request.limit);
    } catch (error) {
      return answer([], undefined, { stage: 'read', message: reasonOf(error) });
    }
    from = 'topics';
  }
  return answer(
    messages.map((m) => traceSink(m, pipeline)),
    from,
  );
}

function sampleMessage(sample: SampleMessage, i: number): IncomingMessage {
  return {
    topic: sample.topic,
    body: Buffer.from(sample.value, 'utf8'),
    keys: sample.key === undefined ? [] : [sample.key],
    properties: new Map(Object.entries(sample.headers ?? {})),
    messageId: `sample-${i}`,
  };
}

function traceSink(message: IncomingMessage, pipeline: Pipeline): PreviewedRecord {
  const keyBytes = messageKeyBytes(message);
  const steps: PreviewStep[] = [
    {
      stage: 'message',
      message: {
        topic: message.topic,
        ...(keyBytes && { key: keyBytes.toString('utf8') }),
        ...bodyOf(message.body),
        properties: Object.fromEntries(message.properties),
      },
    },
  ];
  const { converters } = pipeline;
  let key: SchemaAndValue | undefined;
  try {
    key = keyBytes && converters.key.toConnectData(message.topic, keyBytes);
  } catch (error) {
    return failed(steps, 'key.converter', error, converters.keyClass);
  }
  let value: SchemaAndValue;
  try {
    value = converters.value.toConnectData(message.topic, message.body);
  } catch (error) {
    return failed(steps, 'value.converter', error, converters.valueClass);
  }
  const record = fromMessage(message, key, value);
  steps.push({ stage: 'converted', record: viewOf(record) });
  const transformed = runChain(record, pipeline, steps);
  return 'outcome' in transformed ? transformed : { steps, outcome: 'put' };
}

/** The chain, one entry at a time, each step recorded; a drop or a failure ends the record. */
function runChain<R extends ConnectRecord>(
  record: R,
  pipeline: Pipeline,
  steps: PreviewStep[],
): { record: R } | PreviewedRecord {
  let current = record;
  for (const entry of pipeline.chain) {
    const alias = entry.name ?? 'transform';
    const className = pipeline.transformClass(entry);
    let next: R | null;
    try {
      if (!applies(entry, current)) {
        steps.push({
          stage: 'transform',
          alias,
          className,
          skipped: `its predicate ${entry.negate ? 'matched (negate=true)' : 'did not match'}`,
        });
        continue;
      }
      next = entry.transform.apply(current);
    } catch (error) {
      return {
        steps,
        outcome: 'failed',
        error: { stage: 'transform', alias, className, message: reasonOf(error) },
      };
    }
    steps.push({ stage: 'transform', alias, className, record: next && viewOf(next) });
    if (next === null) return { steps, outcome: 'dropped' };
    current = next;
  }
  return { record: current };
}

function applies(entry: ChainEntry, record: ConnectRecord): boolean {
  return !entry.predicate || entry.predicate.test(record) !== (entry.negate ?? false);
}

function failed(
  steps: PreviewStep[],
  stage: 'key.converter' | 'value.converter',
  error: unknown,
  className: string,
): PreviewedRecord {
  return { steps, outcome: 'failed', error: { stage, className, message: reasonOf(error) } };
}

function bodyOf(body: Buffer): Pick<MessageView, 'body' | 'bodyEncoding'> {
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body)
    ? { body: text, bodyEncoding: 'utf8' }
    : { body: body.toString('base64'), bodyEncoding: 'base64' };
}

const SCHEMA_JSON = { decimalFormat: 'numeric', replaceNullWithDefault: false } as const;

/** A record as JSON a person reads. */
export function viewOf(record: ConnectRecord): RecordView {
  const schemaJson = (schema: Schema | undefined) =>
    schema === undefined
      ? undefined
      : (JSON.parse(writeJson(schemaToJson(schema, SCHEMA_JSON))) as unknown);
  return {
    ...(record.topic !== undefined && { topic: record.topic }),
    ...(record.partition !== undefined && { partition: record.partition }),
    ...(record.offset !== undefined && { offset: record.offset }),
    timestamp: record.timestamp,
    key: display(record.keySchema, record.key),
    ...(record.keySchema && { keySchema: schemaJson(record.keySchema) }),
    value: display(record.valueSchema, record.value),
    ...(record.valueSchema && { valueSchema: schemaJson(record.valueSchema) }),
    headers: record.headers.map((h) => [h.key, h.value] as const),
  };
}

/** A Connect value as plain JSON: exact numbers past 2^53 as text, Decimal as its text. */
export function display(schema: Schema | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) {
    const iso = value.toISOString();
    if (schema?.name === LogicalType.DATE) return iso.slice(0, 10);
    if (schema?.name === LogicalType.TIME) return iso.slice(11, 23);
    return iso;
  }
  if (schema?.name === LogicalType.DECIMAL && typeof value === 'object') {
    return decimalText(value as DecimalValue, decimalScale(schema) ?? 0);
  }
  if (Array.isArray(value)) {
    const items = schema?.type === 'ARRAY' ? schema.valueSchema : undefined;
    return value.map((v: unknown) => display(items, v));
  }
  if (value instanceof Map) {
    const values = schema?.type === 'MAP' ? schema.valueSchema : undefined;
    return Object.fromEntries([...value].map(([k, v]) => [String(k), display(values, v)]));
  }
  if (typeof value === 'object') {
    const fields = schema?.type === 'STRUCT' ? schema.fields : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        display(
          fields?.find((f) => f.name === k)?.schema ??
            (schema?.type === 'MAP' ? schema.valueSchema : undefined),
          v,
        ),
      ]),
    );
  }
  return value;
}

function decimalText({ unscaled }: DecimalValue, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}
