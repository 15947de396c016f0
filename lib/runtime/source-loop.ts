import type { SourceTask } from '../api/connector.js';
import { NonRetriableError } from '../api/errors.js';
import type { SourceRecord } from '../api/record.js';
import { applyChainToRecord, type ChainEntry } from '../api/transform.js';
import type { CommonConfig } from '../config/parse.js';
import type { OffsetEntry } from '../api/source-offsets.js';
import type { DeadLetter, DeadLetterQueue } from './dead-letter.js';
import { buildMessage, type OutgoingMessage } from './message-mapping.js';
import type { MessageProducer } from './messaging.js';
import type { Pipeline } from './pipeline.js';
import { PRODUCER_CLASS, produceAll } from './produce.js';
import { andThen, attempt, isPromiseLike, type Staged, type StageFailure } from './error-policy.js';
import type { SliceEnv } from './slice-context.js';
import { canonicalJson } from '../state/canonical-json.js';
import { jsonText } from '../util/json-text.js';

export interface SourceLoopDeps {
  readonly env: SliceEnv;
  readonly common: CommonConfig;
  readonly task: SourceTask;
  /** The task plugin's class, for the dead-letter context of a failed poll. */
  readonly taskClass: string;
  readonly pipeline: Pipeline;
  readonly producer: MessageProducer;
  readonly deadLetters: DeadLetterQueue;
  /** Commits offsets, fenced on the slice's lease (FencedError when it lost it). */
  readonly commitOffsets: (entries: readonly OffsetEntry[]) => Promise<void>;
}

/** How a loop ended: whether work was left (the next slice should follow at once). */
export interface LoopEnd {
  readonly moreWork: boolean;
}

/**
 * Polls a source task may have ahead of their sends: the next poll (and its transforms and
 * conversions) runs while earlier batches wait for their receipts.
 */
export const MAX_BATCHES_IN_FLIGHT = 4;

/** A polled batch on its way: done once every record is acknowledged, dead-lettered or dropped. */
interface InFlight {
  readonly records: readonly SourceRecord[];
  /** Resolves when the batch is done or failed (never rejects: `state` holds the failure). */
  readonly delivered: Promise<void>;
  state: 'sending' | 'done' | { readonly failure: unknown };
}

/**
 * The source path of a slice: poll -> transforms -> converters -> RocketMQ, until the budget,
 * `slice.max.records`, or the source is idle (a second empty poll after `poll.interval.ms`).
 * Offsets are committed for everything polled once every message of it is acknowledged by
 * RocketMQ (or dead-lettered, or dropped by a transform), every `offset.flush.interval.ms`
 * and at the end; a crash re-sends at most what was sent since the last commit.
 *
 * Polls overlap sends: up to MAX_BATCHES_IN_FLIGHT batches are sent while the next is polled.
 * Batches complete in any order, but only the oldest ones, all of whose records are done, are
 * committable, so an offset never passes a record without its receipt. Under
 * `message.group.by.key` (FIFO topics) a batch is sent only once the one before it is done, so
 * a key's records reach its message group in order.
 */
export async function runSourceLoop(d: SourceLoopDeps): Promise<LoopEnd> {
  const { env, common } = d;
  const uncommitted: SourceRecord[] = [];
  const inFlight: InFlight[] = [];
  const maxInFlight = common.messageGroupByKey ? 1 : MAX_BATCHES_IN_FLIGHT;
  let lastCommitAt = env.clock.now();
  let polledInSlice = 0;
  let wasIdle = false;

  const commitDue = () => env.clock.now() - lastCommitAt >= common.offsetFlushIntervalMs;
  /** Fails the loop once nothing it started is still running. */
  const fail = async (failure: unknown): Promise<never> => {
    await Promise.all(inFlight.map((b) => b.delivered));
    throw failure;
  };
  /** Moves the oldest done batches to `uncommitted`; a failed one fails the loop. */
  const settle = async () => {
    for (let head = inFlight[0]; head && head.state !== 'sending'; head = inFlight[0]) {
      if (head.state !== 'done') {
        inFlight.shift();
        await Promise.all(inFlight.map((b) => b.delivered));
        // The batches before it are committed as they would have been without it.
        if (commitDue()) await commit();
        throw head.state.failure;
      }
      inFlight.shift();
      for (const record of head.records) uncommitted.push(record);
    }
  };
  /** Waits for the oldest batch (for every batch, with `all`), then settles. */
  const waitFor = async (all: boolean) => {
    while (inFlight.length > 0) {
      await (inFlight[0] as InFlight).delivered;
      await settle();
      if (!all) return;
    }
  };
  const commit = async () => {
    if (uncommitted.length === 0) return;
    await d.commitOffsets(lastOffsets(uncommitted));
    env.counters.add('offsetCommits');
    const committed = uncommitted.splice(0);
    lastCommitAt = env.clock.now();
    try {
      await d.task.commit?.(committed);
    } catch (error) {
      // As Kafka: the offsets are committed; the task's own acknowledgement is best effort.
      env.log.warn(`${env.connector}/${env.taskId}: task commit failed: ${String(error)}`);
    }
  };

  for (;;) {
    if (env.clock.now() >= env.deadline || polledInSlice >= common.sliceMaxRecords) {
      await waitFor(true);
      await commit();
      return { moreWork: true };
    }
    if (inFlight.length >= maxInFlight) await waitFor(false);
    const polled = await poll(d).catch(fail);
    await settle();
    if (polled.length === 0) {
      await waitFor(true);
      await commit();
      if (wasIdle) return { moreWork: false };
      wasIdle = true;
      const wait = Math.min(common.pollIntervalMs, env.deadline - env.clock.now());
      if (wait > 0) await env.clock.sleep(wait);
      continue;
    }
    wasIdle = false;
    polledInSlice += polled.length;
    env.counters.add('sourceRecordPoll', polled.length);
    const batch: InFlight = {
      records: polled,
      delivered: deliver(d, polled).then(
        () => {
          batch.state = 'done';
        },
        (failure: unknown) => {
          batch.state = { failure };
        },
      ),
      state: 'sending',
    };
    inFlight.push(batch);
    await settle();
    if (commitDue()) await commit();
  }
}

/** A poll failure has no record to skip: it is retried if retriable, else the task fails. */
async function poll(d: SourceLoopDeps): Promise<SourceRecord[]> {
  const result = await attempt(d.env, 'TASK_POLL', d.taskClass, () => d.task.poll(), {
    ...d.env.policy,
    tolerance: 'none',
  });
  return result.ok ? result.value : [];
}

/**
 * Sends the records (those transforms keep) and dead-letters those that fail a stage; resolves
 * once RocketMQ acknowledged every message, so their offsets may be committed.
 */
async function deliver(d: SourceLoopDeps, records: readonly SourceRecord[]): Promise<void> {
  const { env } = d;
  const letters: DeadLetter[] = [];
  const outgoing: { message: OutgoingMessage; record: SourceRecord }[] = [];
  for (const polled of records) {
    // Addressed before anything runs: transforms route on the topic, and a dead letter names it.
    const record = withConnectorTopic(polled, d.common.topic);
    const pending = prepare(d, record);
    const prepared = isPromiseLike(pending) ? await pending : pending;
    if (prepared === null) env.counters.add('recordFiltered');
    else if ('failure' in prepared) letters.push(letterOf(record, prepared.failure));
    else outgoing.push({ message: prepared, record });
  }
  const sent = await produceAll(
    env,
    d.producer,
    outgoing.map((o) => o.message),
  );
  let written = 0;
  for (const [i, result] of sent.entries()) {
    if (result.ok) written++;
    else letters.push(letterOf((outgoing[i] as (typeof outgoing)[number]).record, result.failure));
  }
  env.counters.add('sourceRecordWrite', written);
  await d.deadLetters.send(letters);
}

type Prepared = OutgoingMessage | null | { failure: StageFailure };

/**
 * One record transformed and converted: its message, null when dropped, or its failure. At once
 * when no stage waits (the usual case), a promise otherwise.
 */
function prepare(d: SourceLoopDeps, record: SourceRecord): Prepared | Promise<Prepared> {
  const { env, pipeline } = d;
  const running: { entry?: ChainEntry } = {};
  const transformed = attempt(
    env,
    'TRANSFORMATION',
    () => pipeline.transformClass(running.entry),
    () => applyChainToRecord(record, pipeline.chain, running),
  );
  return andThen(transformed, (t): Prepared | Promise<Prepared> => {
    if (!t.ok) return t;
    const result = t.value;
    if (result === null) return null;
    const topic = result.topic;
    if (topic === undefined) return noTopic(env);
    const { key: keyConverter, value: valueConverter } = pipeline.converters;
    const hasKey = result.key !== null && result.key !== undefined;
    const key = hasKey
      ? attempt(env, 'KEY_CONVERTER', pipeline.converters.keyClass, () =>
          keyConverter.fromConnectData(topic, result.keySchema, result.key),
        )
      : NO_KEY;
    return andThen(key, (k): Prepared | Promise<Prepared> => {
      if (!k.ok) return k;
      const value = attempt(env, 'VALUE_CONVERTER', pipeline.converters.valueClass, () =>
        valueConverter.fromConnectData(topic, result.valueSchema, result.value),
      );
      return andThen(value, (v) =>
        v.ok
          ? buildMessage(result, {
              key: k.value,
              value: v.value,
              defaultTopic: topic,
              fifo: d.common.messageGroupByKey,
            })
          : v,
      );
    });
  });
}

const NO_KEY: Staged<Uint8Array | undefined> = { ok: true, value: undefined };

/** A record without a topic, judged like any failed stage: counted, logged, tolerated or failing. */
async function noTopic(env: SliceEnv): Promise<{ failure: StageFailure }> {
  const failed = await attempt(env, 'KAFKA_PRODUCE', PRODUCER_CLASS, (): never => {
    throw new NonRetriableError(
      'the record names no topic and the connector has no topic key: set topic (or ' +
        'connect.topicname), or have the task or a transform set one',
    );
  });
  if (failed.ok) throw new Error('unreachable: a stage that always throws passed');
  return failed;
}

/**
 * The record with the connector's `topic` where the task named none. In Kafka every source record
 * names its topic, so transforms and predicates that read it (RegexRouter, TopicNameMatches) must
 * see the one it will be sent to, not nothing.
 */
function withConnectorTopic(record: SourceRecord, topic: string | undefined): SourceRecord {
  if (record.topic !== undefined || topic === undefined) return record;
  if (Object.isFrozen(record)) return { ...record, topic };
  // The task handed the record over: it is the runtime's to address. (A copy of every record
  // was a large share of a FileStreamSource task's CPU, its garbage collection included.)
  (record as { topic?: string }).topic = topic;
  return record;
}

/** A failed source record has no bytes of its own: it is dead-lettered as canonical text. */
function letterOf(record: SourceRecord, failure: StageFailure): DeadLetter {
  return {
    body: Buffer.from(jsonText({ key: record.key, value: record.value }), 'utf8'),
    failure,
    origin: {
      ...(record.topic !== undefined && { topic: record.topic }),
      partition: jsonText(record.partition),
      offset: jsonText(record.offset),
    },
  };
}

/**
 * The last offset of each partition, in the order partitions last appeared; partitions are the
 * same when the state table keys them the same (canonical JSON: key order does not matter).
 */
export function lastOffsets(records: readonly SourceRecord[]): OffsetEntry[] {
  const last = new Map<string, OffsetEntry>();
  // Tasks usually hand the same partition object to every record: encode each object once.
  const keys = new Map<SourceRecord['partition'], string>();
  for (const record of records) {
    let key = keys.get(record.partition);
    if (key === undefined) {
      key = canonicalJson(record.partition, 'source partition');
      keys.set(record.partition, key);
    }
    last.delete(key);
    last.set(key, { partition: record.partition, offset: record.offset });
  }
  return [...last.values()];
}
