import { readFile } from 'node:fs/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PluginRegistry } from '../../lib/api/registry.js';
import { InProcessSliceDispatcher } from '../../lib/coordinator/dispatch.js';
import { runCoordinator, type CoordinatorReport } from '../../lib/coordinator/runner.js';
import type { SliceRequest } from '../../lib/runtime/slice-request.js';
import { taskConfigsFromRegistry } from '../../lib/coordinator/task-configs.js';
import { envOnlyProviders } from '../../lib/config/provider-adapters.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import type { LocalRocketMq } from './fixtures.js';
import { systemClock } from '../../lib/runtime/slice-context.js';
import { taskMessagingOf } from '../../lib/platform/topic-admin.js';
import type { Messaging } from '../../lib/runtime/messaging.js';
import { runSlice, type SliceDeps, type SliceOutcome } from '../../lib/runtime/slice-runner.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';

/**
 * The platform in one process, on the real local stack: the coordinator and task slices with
 * the same code the functions run, slices started through an in-process dispatcher (continuations
 * included). `tick()` is one scheduled coordinator run.
 */
export class LocalPlatform {
  readonly store: DynamoStateStore;
  readonly clients: ClientCache;
  readonly dispatcher: InProcessSliceDispatcher;
  readonly outcomes: { request: SliceRequest; outcome: SliceOutcome }[] = [];
  readonly sliceDeps: SliceDeps;
  #slices = 0;

  constructor(
    dynamo: DynamoDBClient,
    table: string,
    rocketmq: LocalRocketMq,
    readonly registry: PluginRegistry = createBuiltinRegistry(),
    options: {
      leaseGraceMs?: number;
      remainingMs?: number;
      /** Wraps the slices' RocketMQ port, for a test that observes what they send and ack. */
      messaging?: (inner: Messaging) => Messaging;
    } = {},
  ) {
    this.store = new DynamoStateStore(dynamo, table);
    this.clients = new ClientCache(rocketmq);
    const quiet = { info: () => undefined, warn: () => undefined };
    this.dispatcher = new InProcessSliceDispatcher(async (request) => {
      const outcome = await runSlice(
        request,
        { holderId: `slice-${++this.#slices}`, remainingMs: options.remainingMs ?? 900_000 },
        this.sliceDeps,
      );
      this.outcomes.push({ request, outcome });
      return outcome;
    });
    this.sliceDeps = {
      store: this.store,
      registry,
      // As the task function reaches RocketMQ where it has the name server (remoting).
      messaging: (options.messaging ?? ((m) => m))(
        taskMessagingOf(
          { ROCKETMQ_NAMESRV: rocketmq.namesrv, ROCKETMQ_CLUSTER: rocketmq.cluster },
          this.clients,
        ),
      ),
      providers: envOnlyProviders(process.env),
      dispatcher: this.dispatcher,
      clock: systemClock,
      log: quiet,
      ...(options.leaseGraceMs !== undefined && { leaseGraceMs: options.leaseGraceMs }),
    };
  }

  /** One coordinator run, as the schedule or a config change would start it. */
  tick(): Promise<CoordinatorReport> {
    return runCoordinator({
      store: this.store,
      dispatcher: this.dispatcher,
      taskConfigsFor: taskConfigsFromRegistry(this.registry),
      holderId: `coordinator-${Date.now()}`,
    });
  }

  /** A coordinator run that writes task configs and statuses but starts no slice. */
  plan(): Promise<CoordinatorReport> {
    return runCoordinator({
      store: this.store,
      dispatcher: { dispatch: () => Promise.resolve() },
      taskConfigsFor: taskConfigsFromRegistry(this.registry),
      holderId: `planner-${Date.now()}`,
    });
  }

  /** Ticks every `everyMs` until `done()` holds, or fails after `timeoutMs`. */
  async runUntil(
    done: () => Promise<boolean>,
    { timeoutMs, everyMs = 1_000 }: { timeoutMs: number; everyMs?: number },
  ): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.tick();
      if (await done()) return;
      if (Date.now() > until) throw new Error(`not done within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.drain().catch(() => undefined);
    await this.clients.close();
  }
}

/** The non-empty lines of a file a sink writes; none while it does not exist yet. */
export async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l.length > 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
