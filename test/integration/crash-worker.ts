/**
 * One "function container" for the crash-safety test, run as its own process
 * (`node --import tsx test/integration/crash-worker.ts`) so that the test can SIGKILL it.
 *
 * It starts as a warm standby: modules loaded, state store and RocketMQ client started, then
 * `ready` on stdout. The first line on stdin (a JSON Go) starts it: it runs slices of one task
 * back to back, as Lambda runs the continuations, each slice a new invocation with its own
 * holder id, except the first, which may reuse the holder id of a killed worker (a Lambda retry
 * of the same invocation). It never stops on its own; when its stdin closes it finishes the
 * current slice and exits.
 *
 * Settings come in the CRASH_WORKER environment variable (JSON WorkerSettings). Events go to
 * stdout, one JSON WorkerEvent a line (pipes are written synchronously on Linux, so every event
 * written before a SIGKILL reaches the test).
 */
import { createInterface } from 'node:readline';
import type { SliceDispatcher } from '../../lib/runtime/slice-request.js';
import { envOnlyProviders } from '../../lib/config/provider-adapters.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import { taskMessagingOf } from '../../lib/platform/topic-admin.js';
import { systemClock } from '../../lib/runtime/slice-context.js';
import type { Messaging } from '../../lib/runtime/messaging.js';
import {
  runSlice,
  traceOf,
  type SliceDeps,
  type SliceStore,
} from '../../lib/runtime/slice-runner.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { localDynamoClient } from '../../infra/local/probes.js';

export interface WorkerSettings {
  readonly kind: 'source' | 'sink';
  readonly dynamoEndpoint: string;
  readonly table: string;
  readonly rocketmqEndpoint: string;
  /** The name server: slices reach RocketMQ as the task function does (remoting). */
  readonly rocketmqNamesrv: string;
  readonly connector: string;
  readonly taskId: number;
  /** The topic the source writes or the sink reads, to start the client before `ready`. */
  readonly topic: string;
  /** The sink's consumer group (its `consumer.group`). */
  readonly consumerGroup?: string;
  readonly leaseGraceMs: number;
}

/** The line on stdin that starts a standby worker. */
export interface Go {
  /** The task-config generation to run slices for (known once the coordinator wrote them). */
  readonly generation: number;
  /** The holder id of the first slice; later slices get `<holderPrefix>-<n>`. */
  readonly firstHolderId: string;
  readonly holderPrefix: string;
}

export type WorkerEvent =
  | { readonly e: 'ready' }
  /** A slice is starting with this holder id (the id a retry of this invocation would reuse). */
  | { readonly e: 'slice'; readonly holder: string }
  /** The slice took the lease: from here until `outcome`, a kill interrupts real work. */
  | { readonly e: 'leased'; readonly holder: string; readonly epoch: number }
  /** Source: records handed to the producer since the slice's last commit. */
  | { readonly e: 'sent'; readonly sinceCommit: number }
  /** Source: a commit, and how many records (offset delta) it covered. */
  | { readonly e: 'commit'; readonly records: number; readonly seq: number }
  /** Sink: messages received since the last flush. */
  | { readonly e: 'received'; readonly sinceFlush: number }
  /** Sink: a flush was written (its lease renewal, just before the acks): messages it covered. */
  | { readonly e: 'flush'; readonly messages: number }
  /** Sink: every message of the last flush is acked. */
  | { readonly e: 'acked' }
  | {
      readonly e: 'outcome';
      readonly kind: string;
      readonly state?: string;
      readonly moreWork?: boolean;
      readonly detail?: string;
    }
  | { readonly e: 'warn'; readonly message: string }
  | { readonly e: 'error'; readonly message: string };

const emit = (event: WorkerEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The worker's own loop starts the next slice, so continuations need not go anywhere. */
const noDispatch: SliceDispatcher = { dispatch: () => Promise.resolve() };

/** The store and messaging of a slice, reporting what the test needs to see. */
function instrumented(store: DynamoStateStore, base: Messaging) {
  let lastSeq = 0;
  let sentSinceCommit = 0;
  let receivedSinceFlush = 0;
  let unacked = 0;
  const sliceStore: SliceStore = {
    getTaskConfigs: (name) => store.getTaskConfigs(name),
    releaseLease: (token, report) => store.releaseLease(token, report),
    async readOffsets(name, partitions) {
      // The datagen task reads its partition's offset once, at start: where the slice resumes.
      const entries = await store.readOffsets(name, partitions);
      const seq = entries[0]?.offset['seq'];
      lastSeq = typeof seq === 'number' ? seq : 0;
      return entries;
    },
    async acquireLease(name, taskId, holder, generation, now, ttlMs) {
      const lease = await store.acquireLease(name, taskId, holder, generation, now, ttlMs);
      if (lease) {
        sentSinceCommit = 0;
        receivedSinceFlush = 0;
        emit({ e: 'leased', holder, epoch: lease.epoch });
      }
      return lease;
    },
    async commitOffsets(token, seq, entries, now) {
      await store.commitOffsets(token, seq, entries, now);
      const next = Number(entries[0]?.offset['seq']);
      emit({ e: 'commit', records: next - lastSeq, seq: next });
      lastSeq = next;
      sentSinceCommit = 0;
    },
    async renewLease(token, now, ttlMs) {
      // The sink loop renews only in flush, once the batch is written and right before acking
      // every message received since the previous flush (no receive runs meanwhile).
      emit({ e: 'flush', messages: receivedSinceFlush });
      unacked = receivedSinceFlush;
      receivedSinceFlush = 0;
      await store.renewLease(token, now, ttlMs);
    },
  };
  const messaging: Messaging = {
    async producer(topics) {
      const producer = await base.producer(topics);
      return {
        send(messages) {
          sentSinceCommit += messages.length;
          emit({ e: 'sent', sinceCommit: sentSinceCommit });
          return producer.send(messages);
        },
      };
    },
    async consumer(group, topics, member) {
      const consumer = await base.consumer(group, topics, member);
      return {
        async receive(max, invisibleMs) {
          const messages = await consumer.receive(max, invisibleMs);
          receivedSinceFlush += messages.length;
          if (messages.length > 0) emit({ e: 'received', sinceFlush: receivedSinceFlush });
          return messages;
        },
        async ack(messages) {
          const outcomes = await consumer.ack(messages);
          unacked -= outcomes.filter((o) => o.ok).length;
          if (unacked === 0) emit({ e: 'acked' });
          return outcomes;
        },
      };
    },
  };
  return { sliceStore, messaging };
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env['CRASH_WORKER'] ?? '') as WorkerSettings;
  const store = new DynamoStateStore(localDynamoClient(settings.dynamoEndpoint), settings.table);
  const clients = new ClientCache({
    endpoints: settings.rocketmqEndpoint,
    logger: {
      warn: (...args: unknown[]) => emit({ e: 'warn', message: args.map(String).join(' ') }),
      error: (...args: unknown[]) => emit({ e: 'warn', message: args.map(String).join(' ') }),
    },
  });
  const base = taskMessagingOf(
    { ROCKETMQ_NAMESRV: settings.rocketmqNamesrv, ROCKETMQ_CLUSTER: 'DefaultCluster' },
    clients,
  );
  const { sliceStore, messaging } = instrumented(store, base);
  const deps: SliceDeps = {
    store: sliceStore,
    registry: createBuiltinRegistry(),
    messaging,
    providers: envOnlyProviders(process.env),
    dispatcher: noDispatch,
    clock: systemClock,
    log: {
      info: () => undefined,
      warn: (message: string) => emit({ e: 'warn', message }),
    },
    leaseGraceMs: settings.leaseGraceMs,
  };
  // Warm: the client the slices will use (cached), and a first round trip to the table.
  if (settings.kind === 'source') await base.producer([settings.topic]);
  else await base.consumer(settings.consumerGroup ?? '', [settings.topic], { index: 0, count: 1 });
  await store.getTaskConfigs(settings.connector);

  let stopping = false;
  const go = new Promise<Go | undefined>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', (line) => resolve(JSON.parse(line) as Go));
    lines.once('close', () => {
      stopping = true;
      resolve(undefined);
    });
  });
  emit({ e: 'ready' });
  const started = await go;

  if (started) {
    const request = {
      connector: settings.connector,
      taskId: settings.taskId,
      generation: started.generation,
    };
    let holder = started.firstHolderId;
    for (let n = 1; !stopping; n++) {
      emit({ e: 'slice', holder });
      try {
        const outcome = await runSlice(request, { holderId: holder, remainingMs: 900_000 }, deps);
        if (outcome.kind === 'ran') {
          emit({
            e: 'outcome',
            kind: outcome.kind,
            state: outcome.status.state,
            moreWork: outcome.moreWork,
            ...(outcome.status.trace !== undefined && { detail: outcome.status.trace }),
          });
          if (!outcome.moreWork) await sleep(100);
        } else {
          emit({
            e: 'outcome',
            kind: outcome.kind,
            ...(outcome.kind === 'skipped' && { detail: outcome.reason }),
          });
          await sleep(100);
        }
      } catch (error) {
        // Lambda would retry the invocation: the same holder id again.
        emit({ e: 'error', message: traceOf(error) });
        await sleep(200);
        continue;
      }
      holder = `${started.holderPrefix}-${n}`;
    }
  }
  await clients.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  emit({ e: 'error', message: traceOf(error) });
  process.exit(1);
});
