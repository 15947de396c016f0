/**
 * One warm task container, for bench/task-memory.ts (which spawns it, one process per case):
 * builds its deps as functions/task.ts does at cold start, from the environment the parent
 * gives (the task function's variables, pointed at the local stack), then runs slices of one
 * task back to back until `records` records went through (a source's sends acknowledged, a
 * sink's records flushed), and prints one JSON line (`ChildReport`) on stdout.
 *
 * What differs from the task function: the dispatcher only records continuations (this process
 * runs the next slice at once), the log is quiet (warnings to stderr), no middy or Powertools
 * (logger, metrics), and `stayWhileIdle` is off, so that the slice holding the end of the data
 * ends once idle instead of polling on to its budget; while records flow the loops are the same.
 *
 *   node --import tsx bench/task-memory-child.ts '{"kind":"source","connector":...}'
 */
import { functionConfigProviders } from '../lib/config/provider-adapters.js';
import { stateStoreOf } from '../lib/platform/aws-clients.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { awsClientOptions, loadTaskEnv, rocketMqEndpointOf } from '../lib/platform/env.js';
import { taskMessagingOf } from '../lib/platform/topic-admin.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import { RemotingMessaging } from '../lib/rocketmq/remoting/remoting-messaging.js';
import { systemClock, type Logger } from '../lib/runtime/slice-context.js';
import type { SliceDispatcher, SliceRequest } from '../lib/runtime/slice-request.js';
import { runSlice, type SliceDeps } from '../lib/runtime/slice-runner.js';
import { WarmResourceCache } from '../lib/runtime/warm-resource-cache.js';

/** What the parent asks: which task, and how many records make "the whole file". */
export interface ChildRequest {
  readonly kind: 'source' | 'sink';
  readonly connector: string;
  readonly generation: number;
  readonly records: number;
}

/** The one JSON line the child prints at the end. */
export interface ChildReport {
  readonly kind: 'source' | 'sink';
  /** Records through: sends acknowledged (source), records flushed (sink). */
  readonly records: number;
  readonly slices: number;
  /** From the first slice's start to the last slice's end. */
  readonly seconds: number;
  /** This process's user + system CPU seconds over the slices. */
  readonly cpuSeconds: number;
  /** RSS after the imports and clients (the cold start's init), before the first slice. */
  readonly rssStartMiB: number;
  /** process.resourceUsage().maxRSS: the process's peak RSS, imports included. */
  readonly peakRssMiB: number;
  /** RSS after the last slice. */
  readonly rssEndMiB: number;
  readonly continuations: number;
}

const MIB = 1024 * 1024;
/** Gives up if the records have not all gone through by then. */
const TIMEOUT_MS = 15 * 60_000;
/** Slices in a row that move nothing before the child gives up (the data should be there). */
const MAX_EMPTY_SLICES = 3;

class RecordingDispatcher implements SliceDispatcher {
  readonly requests: SliceRequest[] = [];
  dispatch(request: SliceRequest): Promise<void> {
    this.requests.push(request);
    return Promise.resolve();
  }
}

const quiet: Logger = {
  info: () => undefined,
  warn: (message) => console.error(`[task ${process.pid}] ${message}`),
};

// Built as functions/task.ts builds them at cold start.
const asked = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
const env = loadTaskEnv();
const clients = new ClientCache(rocketMqEndpointOf(env));
const messaging = taskMessagingOf(env, clients);
if (!(messaging instanceof RemotingMessaging)) {
  throw new Error('taskMessagingOf did not choose remoting: is ROCKETMQ_NAMESRV set?');
}
const resources = new WarmResourceCache({ log: quiet });
const dispatcher = new RecordingDispatcher();
const deps: SliceDeps = {
  store: stateStoreOf(env),
  registry: createBuiltinRegistry(),
  messaging,
  providers: functionConfigProviders(process.env, awsClientOptions(env, undefined)),
  dispatcher,
  clock: systemClock,
  log: quiet,
  resources,
  stayWhileIdle: false,
};
const rssStart = process.memoryUsage.rss();

async function main(): Promise<ChildReport> {
  const request: SliceRequest = {
    connector: asked.connector,
    taskId: 0,
    generation: asked.generation,
  };
  const deadline = Date.now() + TIMEOUT_MS;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let records = 0;
  let slices = 0;
  let empty = 0;
  while (records < asked.records) {
    if (Date.now() > deadline) {
      throw new Error(`${asked.connector}: ${records} of ${asked.records} records in time`);
    }
    const outcome = await runSlice(
      request,
      { holderId: `bench-task-memory-${process.pid}-${++slices}`, remainingMs: 900_000 },
      deps,
    );
    if (outcome.kind !== 'ran') {
      const why = outcome.kind === 'skipped' ? `: ${outcome.reason}` : '';
      throw new Error(`${asked.connector}: slice ${outcome.kind}${why}`);
    }
    if (outcome.status.state !== 'RUNNING') {
      throw new Error(`${asked.connector}: ${outcome.status.state}\n${outcome.status.trace ?? ''}`);
    }
    const { sourceRecordWrite, sinkRecordSend } = outcome.counters;
    const moved = asked.kind === 'source' ? sourceRecordWrite : sinkRecordSend;
    records += moved;
    empty = moved === 0 ? empty + 1 : 0;
    if (empty >= MAX_EMPTY_SLICES) {
      throw new Error(`${asked.connector}: ${empty} slices in a row moved nothing`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    kind: asked.kind,
    records,
    slices,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    rssStartMiB: rssStart / MIB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    rssEndMiB: process.memoryUsage.rss() / MIB,
    continuations: dispatcher.requests.length,
  };
}

void main()
  .then(
    (report) => {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    },
    (error: unknown) => {
      console.error(error);
      return 1;
    },
  )
  .then(async (code) => {
    messaging.close();
    await Promise.all([clients.close(), resources.closeAll()]).catch(() => undefined);
    process.exit(code);
  });
