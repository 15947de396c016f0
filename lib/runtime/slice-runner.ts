import type {
  ConnectorPlugin,
  SinkConnectorPlugin,
  SourceConnectorPlugin,
} from '../api/connector.js';
import { ConfigError } from '../api/errors.js';
import type { PluginRegistry } from '../api/registry.js';
import type { WarmResources } from '../api/warm-resources.js';
import { consumerGroupOf, parseConnectorConfig, type CommonConfig } from '../config/parse.js';
import { resolveConfig, type ConfigProviders } from '../config/providers.js';
import { FencedError } from '../state/errors.js';
import { MAX_COMMIT_ENTRIES } from '../state/offsets.js';
import type { AcquiredLease, StateStore, TaskCounters, TaskStatus } from '../state/types.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import type { OffsetEntry } from '../api/source-offsets.js';
import { jsonText } from '../util/json-text.js';
import { DeadLetterQueue } from './dead-letter.js';
import type { Messaging } from './messaging.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { SliceCounters } from './slice-counters.js';
import { runStage } from './error-policy.js';
import type { Clock, Logger, SliceEnv } from './slice-context.js';
import { runSinkLoop } from './sink-loop.js';
import type { SliceDispatcher, SliceRequest } from './slice-request.js';
import { runSourceLoop, type LoopEnd } from './source-loop.js';
import { WarmResourceCache } from './warm-resource-cache.js';
import { LeaseKeeper, SLICE_LEASE_TTL_MS } from './lease-keeper.js';

/** What a slice reads and writes in the state table. */
export type SliceStore = Pick<
  StateStore,
  | 'getTaskConfigs'
  | 'acquireLease'
  | 'readOffsets'
  | 'commitOffsets'
  | 'renewLease'
  | 'releaseLease'
>;

export interface SliceDeps {
  readonly store: SliceStore;
  readonly registry: PluginRegistry;
  readonly messaging: Messaging;
  readonly providers: ConfigProviders;
  /** Where the continuation goes when work is left (the task function itself, asynchronously). */
  readonly dispatcher: SliceDispatcher;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Told the lease's epoch as soon as the slice holds it, before the task runs: the task
   * function adds it to the keys of every log line of the slice.
   */
  readonly onLease?: (epoch: number) => void;
  /**
   * How long past the slice's budget its lease (and a sink's received messages) stay its own:
   * time to finish a long poll, flush, ack and report.
   */
  readonly leaseGraceMs?: number;
  /**
   * The longest the lease runs ahead of the slice (renewed while it works): a killed slice's
   * task is free again this soon. Default SLICE_LEASE_TTL_MS.
   */
  readonly leaseTtlMs?: number;
  /**
   * An idle slice keeps polling (a sink long-polling) until its budget, then hands over to the
   * next slice, so new data is picked up within a poll while the connector is RUNNING. The task
   * function sets it; without it an idle slice ends and the coordinator starts the next one
   * (tests that wait for every slice to end).
   */
  readonly stayWhileIdle?: boolean;
  /**
   * The container's warm resources (one per process), lent to each slice's task. Without it
   * each slice gets a cache of its own, closed when it ends: nothing stays warm, nothing leaks.
   */
  readonly resources?: WarmResourceCache;
}

/** One invocation of the task function. */
export interface SliceInvocation {
  /** Unique per invocation, kept by Lambda's own retries of it (the request id). */
  readonly holderId: string;
  /** Time the function has left (Lambda's getRemainingTimeInMillis). */
  readonly remainingMs: number;
}

export type SliceOutcome =
  /** The task configs moved on, the connector is not RUNNING, or another slice holds the task. */
  | { readonly kind: 'skipped'; readonly reason: string }
  /** Another invocation took the task over (or the coordinator fenced it) mid-slice. */
  | { readonly kind: 'fenced' }
  | {
      readonly kind: 'ran';
      readonly status: TaskStatus;
      readonly moreWork: boolean;
      /** What the slice did, as reported with its release (the task function's metrics). */
      readonly counters: TaskCounters;
    };

export const DEFAULT_LEASE_GRACE_MS = 15_000;
/** Work stops this long before the function would time out, to report and release in time. */
export const FUNCTION_TIME_MARGIN_MS = 10_000;

/**
 * Runs one slice of one task (DESIGN.md "A slice"): lease -> load -> loop -> fenced commits ->
 * report and release -> continuation when work is left. Never throws for what the task, its
 * config or RocketMQ does wrong (that is a FAILED status with its trace); throws only when the
 * state table cannot be read or written, so that the invocation is retried.
 */
export async function runSlice(
  request: SliceRequest,
  invocation: SliceInvocation,
  deps: SliceDeps,
): Promise<SliceOutcome> {
  const { store, clock } = deps;
  const startedAt = clock.now();
  const taskConfigs = await store.getTaskConfigs(request.connector);
  if (taskConfigs?.generation !== request.generation) {
    return { kind: 'skipped', reason: `task configs are not at generation ${request.generation}` };
  }
  const taskConfig = taskConfigs.tasks[request.taskId];
  if (!taskConfig) return { kind: 'skipped', reason: `no task ${request.taskId}` };
  const loaded = load(request.connector, taskConfig, deps.registry);

  const sliceMaxMs = loaded.ok ? loaded.common.sliceMaxMs : 0;
  const budgetMs = Math.max(
    0,
    Math.min(sliceMaxMs, invocation.remainingMs - FUNCTION_TIME_MARGIN_MS),
  );
  const graceMs = deps.leaseGraceMs ?? DEFAULT_LEASE_GRACE_MS;
  const ttlMs = deps.leaseTtlMs ?? SLICE_LEASE_TTL_MS;
  const deadline = startedAt + budgetMs;
  const lease = await store.acquireLease(
    request.connector,
    request.taskId,
    invocation.holderId,
    request.generation,
    startedAt,
    LeaseKeeper.ttlFor(startedAt, ttlMs, deadline, graceMs),
  );
  if (!lease)
    return { kind: 'skipped', reason: 'the task is leased elsewhere, failed, or not running' };
  deps.onLease?.(lease.epoch);

  // Renewed while the slice works; once a renewal finds it taken, the task is told to stop
  // (its signal) and every loop sees its budget spent, so the slice stops within one poll.
  const lost = new AbortController();
  const keeper = new LeaseKeeper(store, lease, clock, {
    ttlMs,
    graceMs,
    deadline,
    log: deps.log,
    onLost: () => lost.abort(),
  });
  const counters = new SliceCounters();
  let status: TaskStatus;
  let moreWork = false;
  try {
    if (!loaded.ok) throw loaded.error;
    const env: SliceEnv = {
      connector: request.connector,
      taskId: request.taskId,
      policy: loaded.common.errors,
      clock,
      get deadline() {
        return keeper.lost ? 0 : deadline;
      },
      counters,
      log: deps.log,
    };
    const resolved = await resolveConfig(taskConfig, deps.providers);
    ({ moreWork } = await runTask(
      deps,
      keeper,
      lease,
      env,
      loaded,
      resolved,
      graceMs,
      lost.signal,
      taskConfigs.tasks.length,
    ));
    keeper.check();
    // A clean slice that moved records shows the task healthy again: its restart count starts
    // over. One that moved nothing proves little (a sink's poison message may still be hidden
    // from it), so the count, and with it the backoff of the next failure, stays.
    const progressed = counters.get('sourceRecordPoll') + counters.get('sinkRecordRead') > 0;
    status = {
      state: 'RUNNING',
      restartCount: progressed ? 0 : lease.restartCount,
      updatedAt: clock.now(),
    };
  } catch (error) {
    // A failure after the lease was lost (a retry cut short by the spent budget) is the
    // fencing's doing, not the task's: nothing is written.
    if (error instanceof FencedError || keeper.lost) return { kind: 'fenced' };
    status = {
      state: 'FAILED',
      trace: traceOf(error),
      restartCount: lease.restartCount,
      updatedAt: clock.now(),
    };
    deps.log.warn(`${request.connector}/${request.taskId} FAILED: ${status.trace ?? ''}`);
  } finally {
    await keeper.stop();
  }
  // Outside the try: a state table that cannot take the report is the invocation's failure
  // (retried), never the task's.
  counters.add('slices');
  const endedAt = clock.now();
  counters.add('sliceMillis', Math.max(0, endedAt - startedAt));
  const report = counters.snapshot();
  await store.releaseLease(lease, { status, startedAt, endedAt, ...report });
  if (moreWork) await continueWith(deps, request);
  return { kind: 'ran', status, moreWork, counters: report.counters };
}

type Loaded =
  { ok: true; common: CommonConfig; plugin: ConnectorPlugin } | { ok: false; error: unknown };

/** The task config parsed as the coordinator stored it (references still unresolved). */
function load(connector: string, taskConfig: ConnectorConfig, registry: PluginRegistry): Loaded {
  try {
    const { common, plugin } = parseConnectorConfig({ ...taskConfig, name: connector }, registry);
    return { ok: true, common, plugin };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Starts the task, runs its loop, and always stops the task and closes the pipeline. */
async function runTask(
  deps: SliceDeps,
  keeper: LeaseKeeper,
  lease: AcquiredLease,
  env: SliceEnv,
  loaded: { common: CommonConfig; plugin: ConnectorPlugin },
  resolved: ConnectorConfig,
  graceMs: number,
  lost: AbortSignal,
  taskCount: number,
): Promise<LoopEnd> {
  const { common, plugin } = loaded;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, env.deadline - env.clock.now()));
  const pipeline = createPipeline(common, deps.registry);
  const deadLetters = new DeadLetterQueue(
    env,
    common.errors.deadLetterQueueTopic,
    common.errors.deadLetterQueueContextHeaders,
    () => deps.messaging.producer([]),
  );
  // What the task acquires is given back when the slice ends, however it ends.
  const cache = deps.resources ?? new WarmResourceCache();
  const lent = cache.forSlice();
  const run: TaskRun = {
    deps,
    lease,
    env,
    common,
    pipeline,
    deadLetters,
    resolved,
    signal: AbortSignal.any([abort.signal, lost]),
    resources: lent.resources,
    graceMs,
    keeper,
    taskCount,
  };
  try {
    return plugin.type === 'source' ? await runSource(run, plugin) : await runSink(run, plugin);
  } finally {
    clearTimeout(timer);
    pipeline.close();
    lent.release();
    if (cache !== deps.resources) await cache.closeAll();
  }
}

/** What both loops start from: one slice's task, ready to run. */
interface TaskRun {
  readonly deps: SliceDeps;
  readonly lease: AcquiredLease;
  readonly env: SliceEnv;
  readonly common: CommonConfig;
  readonly pipeline: Pipeline;
  readonly deadLetters: DeadLetterQueue;
  /** The task config with its `${...}` references resolved. */
  readonly resolved: ConnectorConfig;
  /** Aborted at the budget's end. */
  readonly signal: AbortSignal;
  readonly resources: WarmResources;
  readonly graceMs: number;
  readonly keeper: LeaseKeeper;
  /** How many tasks the connector has (sinks share the topics' queues among them). */
  readonly taskCount: number;
}

/** An idle loop that came back sooner than this waits the rest, so a quiet slice never spins. */
const MIN_IDLE_ROUND_MS = 200;

/**
 * Runs a loop; with `stayWhileIdle`, a loop that ended idle runs again (the same task, lease and
 * clients) with what is left of `slice.max.records`, until the budget: then the slice hands over
 * to the next one (more work), so a RUNNING connector always has a slice polling.
 */
async function untilBudget(
  run: TaskRun,
  counted: 'sourceRecordPoll' | 'sinkRecordRead',
  loop: (common: CommonConfig) => Promise<LoopEnd>,
): Promise<LoopEnd> {
  const { env, common } = run;
  for (;;) {
    const left = common.sliceMaxRecords - env.counters.get(counted);
    if (left <= 0) return { moreWork: true };
    const startedAt = env.clock.now();
    const end = await loop({ ...common, sliceMaxRecords: left });
    if (end.moreWork || run.deps.stayWhileIdle !== true) return end;
    const now = env.clock.now();
    if (now >= env.deadline) return { moreWork: true };
    const rest = Math.min(MIN_IDLE_ROUND_MS - (now - startedAt), env.deadline - now);
    if (rest > 0) await env.clock.sleep(rest);
  }
}

async function runSource(run: TaskRun, plugin: SourceConnectorPlugin): Promise<LoopEnd> {
  const { deps, lease, env, common, pipeline, deadLetters, resolved, signal, resources, keeper } =
    run;
  const producer = await deps.messaging
    .producer(common.topic === undefined ? [] : [common.topic])
    .catch(cannot(`start a producer for ${common.topic ?? 'RocketMQ'} (does the topic exist?)`));
  const task = await plugin.createTask();
  let seq = 0;
  const commitOffsets = async (entries: readonly OffsetEntry[]) => {
    // One transaction holds at most MAX_COMMIT_ENTRIES partitions; each chunk has its own seq.
    for (let i = 0; i < entries.length; i += MAX_COMMIT_ENTRIES) {
      keeper.check();
      seq += 1;
      await deps.store.commitOffsets(
        lease,
        seq,
        entries.slice(i, i + MAX_COMMIT_ENTRIES),
        env.clock.now(),
      );
    }
  };
  await startTask(run, () =>
    task.start(resolved, {
      connector: env.connector,
      taskId: env.taskId,
      signal,
      resources,
      offsets: { read: (partitions) => deps.store.readOffsets(env.connector, partitions) },
    }),
  );
  try {
    return await untilBudget(run, 'sourceRecordPoll', (left) =>
      runSourceLoop({
        env,
        common: left,
        task,
        taskClass: plugin.className,
        pipeline,
        producer,
        deadLetters,
        commitOffsets,
      }),
    );
  } finally {
    await stopQuietly(task, env);
  }
}

async function runSink(run: TaskRun, plugin: SinkConnectorPlugin): Promise<LoopEnd> {
  const { deps, env, common, pipeline, deadLetters, resolved, signal, resources, graceMs, keeper } =
    run;
  if (common.topics === undefined) {
    throw new ConfigError(
      'topics.regex',
      'topics.regex is not supported yet: RocketMQ consumers subscribe to named topics, so list them in topics',
    );
  }
  const group = consumerGroupOf(common);
  const consumer = await deps.messaging
    .consumer(group, common.topics, { index: env.taskId, count: run.taskCount })
    .catch(
      cannot(
        `receive from ${common.topics.join(', ')} in consumer group ${group} (does each topic exist?)`,
      ),
    );
  const task = await plugin.createTask();
  await startTask(run, () =>
    task.start(resolved, { connector: env.connector, taskId: env.taskId, signal, resources }),
  );
  try {
    return await untilBudget(run, 'sinkRecordRead', (left) =>
      runSinkLoop({
        env,
        common: left,
        task,
        taskClass: plugin.className,
        pipeline,
        consumer,
        deadLetters,
        invisibleMs: () => env.deadline - env.clock.now() + graceMs,
        // The fencing check before acks: the lease renewed (up to the deadline plus grace).
        renewLease: () => keeper.renew(),
      }),
    );
  } finally {
    await stopQuietly(task, env);
  }
}

/**
 * A task's start, retried with backoff under `errors.retry.timeout` while it fails retriably (a
 * database not reachable yet, a connection refused), as Kafka's worker retries a task whose
 * start throws RetriableException; then the task goes FAILED with the last error.
 */
async function startTask(run: TaskRun, start: () => Promise<void>): Promise<void> {
  const { env } = run;
  const outcome = await runStage(
    'TASK_START',
    { ...env.policy, tolerance: 'none' },
    env.clock,
    start,
    env.deadline,
  );
  env.counters.retried(outcome.attempts);
}

/** Rethrows a client's start failure saying what could not be done, the cause kept. */
function cannot(what: string): (error: unknown) => never {
  return (error) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot ${what}: ${reason}`, { cause: error });
  };
}

async function stopQuietly(task: { stop(): Promise<void> }, env: SliceEnv): Promise<void> {
  try {
    await task.stop();
  } catch (error) {
    env.log.warn(`${env.connector}/${env.taskId}: stop failed: ${String(error)}`);
  }
}

/** The next slice, at once. If the dispatch fails, the coordinator's next tick starts one. */
async function continueWith(deps: SliceDeps, request: SliceRequest): Promise<void> {
  try {
    await deps.dispatcher.dispatch(request);
  } catch (error) {
    deps.log.warn(
      `${request.connector}/${request.taskId}: continuation not dispatched: ${String(error)}`,
    );
  }
}

/** A failure as people read it in the task status: the stack, then each cause, as Java prints. */
export function traceOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const text =
      current instanceof Error
        ? (current.stack ?? `${current.name}: ${current.message}`)
        : typeof current === 'string'
          ? current
          : jsonText(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}
