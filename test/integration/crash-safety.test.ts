/**
 * Crash safety: during a 50,000-record run (datagen -> RocketMQ -> FileStreamSink), slices are
 * killed with SIGKILL (the process, not an exception) at random points 30+ times; afterwards
 * every record has arrived, duplicates are at most one batch per kill, and the committed offsets
 * never went backwards.
 *
 * Each task runs in a worker process (crash-worker.ts) that runs slices back to back with the
 * functions' code, as continuations would. A kill replaces the worker by a warm standby, which
 * either retries the killed invocation (same holder id: it retakes the lease at once, with a new
 * epoch) or is a new invocation (it waits for the killed slice's lease to expire).
 *
 * CRASH_SAFETY_DEBUG=1 prints progress every 2 s and the kills; =2 also every worker event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MIN_INVISIBLE_DURATION_MS } from '../../lib/rocketmq/clients.js';
import { describe, expect, onTestFinished } from 'vitest';
import { runCoordinator } from '../../lib/coordinator/runner.js';
import { taskConfigsFromRegistry } from '../../lib/coordinator/task-configs.js';
import { DATAGEN_BATCH } from '../../lib/connectors/datagen/task.js';
import { generate, type GeneratorOptions } from '../../lib/connectors/datagen/generator.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import { RECEIVE_BATCH } from '../../lib/runtime/sink-loop.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import type { Go, WorkerEvent, WorkerSettings } from './crash-worker.js';
import { test, uniqueName } from './fixtures.js';

const COUNT = 50_000;
/**
 * Records per second of the datagen task (counted from the start of each slice): about what
 * one producer sends on the 2-core test machine shared with the stack's JVMs.
 */
const RATE = 1_500;
const KEYS = 100;
const RECORD_SIZE = 20;
const SLICE_MAX_MS = 2_000;
const FLUSH_MS = 200;
const LEASE_GRACE_MS = 1_500;
const MIN_KILLS = 30;
/** Kills planned, half of them of source slices and half of sink slices. */
const KILLS = 34;
/**
 * Kills land at record positions in this range: from early on to 90% of the run, so that the
 * messages of the last killed sink slices (invisible for 10 s) are back before the run ends.
 */
const KILL_RANGE: readonly [number, number] = [500, COUNT * 0.9];
/** Once a kill's position is reached, it waits this long, then for a slice holding its lease. */
const KILL_DELAY_MS: readonly [number, number] = [0, 1_000];
/**
 * Every record must have arrived by then: 2.5 to 4.7 minutes on the test machine, which shares
 * its 2 cores with the other test files (their topic creations each start a JVM). The deadline
 * only tells a stall from slow progress.
 */
const RUN_TIMEOUT_MS = 480_000;
/**
 * Longest a killed sink slice's messages stay invisible: the proxy's least invisible duration
 * (the runtime's RocketMQ adapter asks for no less), longer than the slice's budget + grace.
 */
const LONGEST_HOLD_MS = Math.max(MIN_INVISIBLE_DURATION_MS, SLICE_MAX_MS + LEASE_GRACE_MS);

/** Concurrent receives of a sink slice (DEFAULT_RECEIVERS in lib/runtime/sink-loop.ts). */
const SINK_RECEIVERS = 4;
/** Records the rate lets the source poll in one `offset.flush.interval.ms`. */
const PER_FLUSH_INTERVAL = Math.ceil((RATE * FLUSH_MS) / 1000);
/**
 * One batch of the source: a killed slice's successor sends again what was sent since the last
 * commit. A commit follows the first delivery that ends `offset.flush.interval.ms` after the
 * previous one, so a batch is what the rate lets the task poll in that interval, plus the poll
 * (DATAGEN_BATCH at most) whose delivery crosses it.
 */
const SOURCE_BATCH = PER_FLUSH_INTERVAL + DATAGEN_BATCH;
/**
 * One batch of the sink: a killed slice's messages come back unless acked, and only those
 * already written are duplicates, which is one flush (the next flush waits for the acks of the
 * last). A flush holds the receive rounds of one `offset.flush.interval.ms`, which bring what
 * the source sends meanwhile, plus the round (4 receivers x 32 messages) that crosses it.
 * (A sink catching up on a backlog flushes more at once; the kills' own figures show that.)
 */
const SINK_BATCH = PER_FLUSH_INTERVAL + SINK_RECEIVERS * RECEIVE_BATCH;

const generatorOptions: GeneratorOptions = {
  seed: 42,
  task: 0,
  keys: KEYS,
  recordSize: RECORD_SIZE,
};

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const workerScript = join(here, 'crash-worker.ts');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = ([low, high]: readonly [number, number]) => low + Math.random() * (high - low);

type Kind = 'source' | 'sink';

const STANDBY_NICE = 10;
/** Giving a process its priority back takes root (CAP_SYS_NICE); without, standbys are not lowered. */
const lowerStandbys = process.getuid?.() === 0;

/** One worker process and what it reported. */
class Worker {
  readonly child: ChildProcess;
  /** leased: inside a slice that holds the task's lease (a kill interrupts real work). */
  state: 'standby' | 'between' | 'leased' = 'standby';
  /** Holder id of the current (or last) slice: what a retry of that invocation reuses. */
  holder = '';
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  exitCode: number | null | undefined;
  killed = false;
  readonly stderr: string[] = [];
  // What a kill now would leave behind (see WorkerEvent).
  sentSinceCommit = 0;
  receivedSinceFlush = 0;
  unackedFlush = 0;

  constructor(
    readonly kind: Kind,
    settings: WorkerSettings,
    onEvent: (worker: Worker, event: WorkerEvent) => void,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
      cwd: repoRoot,
      env: { ...process.env, CRASH_WORKER: JSON.stringify(settings) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A standby starts at a low priority, so that starting it (a second of CPU) does not slow
    // down the running slices on a small machine; go() gives it the normal priority back.
    if (lowerStandbys) setPriority(this.child.pid ?? 0, STANDBY_NICE);
    // 'close': the process is gone and everything it wrote is read (so atStake is current).
    this.exited = new Promise((done) =>
      this.child.once('close', (code) => {
        this.exitCode = code;
        done();
      }),
    );
    let isReady: () => void = () => undefined;
    this.ready = new Promise((done) => (isReady = done));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let event: WorkerEvent;
      try {
        event = JSON.parse(line) as WorkerEvent;
      } catch {
        return; // not an event (a library printing on stdout)
      }
      this.#track(event);
      if (event.e === 'ready') isReady();
      onEvent(this, event);
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 50) this.stderr.shift();
    });
  }

  #track(event: WorkerEvent): void {
    switch (event.e) {
      case 'slice':
        this.holder = event.holder;
        this.state = 'between';
        break;
      case 'leased':
        this.state = 'leased';
        this.sentSinceCommit = 0;
        this.receivedSinceFlush = 0;
        this.unackedFlush = 0;
        break;
      case 'outcome':
        this.state = 'between';
        break;
      case 'sent':
        this.sentSinceCommit = event.sinceCommit;
        break;
      case 'commit':
        this.sentSinceCommit = 0;
        break;
      case 'received':
        this.receivedSinceFlush = event.sinceFlush;
        break;
      case 'flush':
        this.unackedFlush = event.messages;
        this.receivedSinceFlush = 0;
        break;
      case 'acked':
        this.unackedFlush = 0;
        break;
      default:
        break;
    }
  }

  /**
   * The most records a kill now can duplicate. Source: those sent since the last commit (they
   * are sent again from the committed offset). Sink: the messages written but not acked, which
   * are either the last flush's while its acks run, or, once the next flush is written (it waits
   * for those acks first), the messages received since: never both.
   */
  get atStake(): number {
    return this.kind === 'source'
      ? this.sentSinceCommit
      : Math.max(this.receivedSinceFlush, this.unackedFlush);
  }

  go(go: Go): void {
    if (lowerStandbys) setPriority(this.child.pid ?? 0, 0);
    this.child.stdin?.write(`${JSON.stringify(go)}\n`);
  }

  async kill(): Promise<void> {
    this.killed = true;
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Finishes the slice it runs, then exits (SIGKILL if it takes too long). */
  async stop(timeoutMs: number): Promise<void> {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The sink file, read as it grows: its lines as datagen records by seq, checked against the generator. */
class SinkFile {
  /** Lines per datagen seq. */
  readonly counts = new Uint16Array(COUNT);
  distinct = 0;
  lines = 0;
  /** Lines that are no datagen value: torn by a kill mid-write. */
  torn = 0;
  /** Lines that parse but are not the value generated for their seq: corruption. */
  wrong = 0;
  readonly wrongSamples: string[] = [];
  size = 0;
  #partial = '';

  constructor(readonly path: string) {}

  /** Reads what was appended since the last read; a last line without its newline waits. */
  async read(): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.size) return;
      const bytes = Buffer.alloc(size - this.size);
      let length = 0;
      while (length < bytes.length) {
        const { bytesRead } = await handle.read(
          bytes,
          length,
          bytes.length - length,
          this.size + length,
        );
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      this.size += length;
      const lines = (this.#partial + bytes.toString('utf8', 0, length)).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) this.#add(line);
    } finally {
      await handle.close();
    }
  }

  /** Once the sinks are stopped: a last line without its newline is torn. */
  finish(): void {
    if (this.#partial.length > 0) this.#add(this.#partial);
    this.#partial = '';
  }

  #add(line: string): void {
    if (line.length === 0) return;
    this.lines++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.torn++;
      return;
    }
    const seq = (value as { seq?: unknown } | null)?.seq;
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq >= COUNT) {
      this.torn++;
      return;
    }
    const expected = generate(generatorOptions, seq);
    const got = value as Record<string, unknown>;
    if (
      got['id'] !== expected.id ||
      got['key'] !== expected.key ||
      got['payload'] !== expected.payload
    ) {
      this.wrong++;
      if (this.wrongSamples.length < 5) this.wrongSamples.push(line);
      return;
    }
    if (this.counts[seq] === 0) this.distinct++;
    this.counts[seq] = (this.counts[seq] ?? 0) + 1;
  }
}

interface Kill {
  readonly kind: Kind;
  /** The record position (committed offset or records in the file) it waited for. */
  readonly at: number;
  /** What the killed slice had at stake (Worker.atStake). */
  readonly atStake: number;
  /** Whether the replacement reused the killed slice's holder id. */
  readonly reused: boolean;
  readonly time: number;
}

describe('crash safety', () => {
  test(
    `${COUNT} records through RocketMQ to a file while slices are killed ${MIN_KILLS}+ times`,
    { timeout: RUN_TIMEOUT_MS + 60_000 },
    async ({ stack, dynamo, table, topics }) => {
      const startedAt = Date.now();
      const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
      const debug = process.env['CRASH_SAFETY_DEBUG'];
      const store = new DynamoStateStore(dynamo, table);
      const registry = createBuiltinRegistry();
      const dir = await mkdtemp(join(tmpdir(), 'crash-safety-'));
      const output = join(dir, 'out.jsonl');
      const topic = await topics.topic('NORMAL', 'crash');
      const source = uniqueName('crash-in');
      const sink = uniqueName('crash-out');
      const consumerGroup = `${sink}-group`;
      const workers = new Set<Worker>();
      let watching = true;
      let watcher: Promise<void> = Promise.resolve();
      let stopKilling = false;
      let killers: Promise<unknown> = Promise.resolve();
      onTestFinished(async () => {
        stopKilling = true;
        watching = false;
        await Promise.all([...workers].map((w) => w.kill()));
        await Promise.allSettled([watcher, killers]);
        await rm(dir, { recursive: true, force: true });
      });

      // --- What the workers report.
      const commitBatches: number[] = [];
      const flushes: number[] = [];
      const failures: string[] = [];
      const errors: string[] = [];
      const warnings: string[] = [];
      let slicesRan = 0;
      const onEvent = (worker: Worker, event: WorkerEvent) => {
        if (debug === '2') console.log(`${elapsed()} ${worker.kind} ${JSON.stringify(event)}`);
        switch (event.e) {
          case 'commit':
            commitBatches.push(event.records);
            break;
          case 'flush':
            flushes.push(event.messages);
            break;
          case 'outcome':
            if (event.kind === 'ran') slicesRan++;
            if (event.state === 'FAILED') failures.push(`${worker.kind}: ${event.detail ?? ''}`);
            break;
          case 'error':
            errors.push(`${worker.kind}: ${event.message}`);
            break;
          case 'warn':
            warnings.push(`${worker.kind}: ${event.message}`);
            break;
          default:
            break;
        }
      };

      // --- Workers: one running per task, and one warm standby per task to replace it at once.
      // The first standbys start now, while the connectors are created.
      const spawnWorker = (kind: Kind) => {
        const worker = new Worker(
          kind,
          {
            kind,
            dynamoEndpoint: stack.dynamodb.endpoint,
            table,
            rocketmqEndpoint: stack.rocketmq.endpoint,
            rocketmqNamesrv: stack.rocketmq.namesrv,
            connector: kind === 'source' ? source : sink,
            taskId: 0,
            topic,
            consumerGroup,
            leaseGraceMs: LEASE_GRACE_MS,
          },
          onEvent,
        );
        workers.add(worker);
        return worker;
      };
      const standby: Record<Kind, Worker> = {
        source: spawnWorker('source'),
        sink: spawnWorker('sink'),
      };
      let activations = 0;
      const activate = async (kind: Kind, firstHolderId?: string): Promise<Worker> => {
        const worker = standby[kind];
        await Promise.race([
          worker.ready,
          worker.exited.then(() => {
            throw new Error(`a ${kind} worker exited: ${worker.stderr.join('\n')}`);
          }),
        ]);
        const prefix = `${kind}-${++activations}-${randomBytes(3).toString('hex')}`;
        worker.go({
          generation: generations.get(kind === 'source' ? source : sink) as number,
          firstHolderId: firstHolderId ?? `${prefix}-0`,
          holderPrefix: prefix,
        });
        standby[kind] = spawnWorker(kind);
        return worker;
      };
      // --- The connectors.
      const now = Date.now();
      await store.createConnector(
        source,
        {
          'connector.class': 'datagen',
          count: String(COUNT),
          rate: String(RATE),
          keys: String(KEYS),
          'record.size': String(RECORD_SIZE),
          topic,
          'slice.max.ms': String(SLICE_MAX_MS),
          'offset.flush.interval.ms': String(FLUSH_MS),
          'poll.interval.ms': '50',
        },
        'RUNNING',
        now,
      );
      await store.createConnector(
        sink,
        {
          'connector.class': 'FileStreamSink',
          file: output,
          topics: topic,
          'consumer.group': consumerGroup,
          'slice.max.ms': String(SLICE_MAX_MS),
          'offset.flush.interval.ms': String(FLUSH_MS),
        },
        'RUNNING',
        now,
      );
      // The coordinator writes the task configs; its dispatches are left to the workers.
      const generations = new Map<string, number>();
      for (let run = 0; run < 5 && generations.size < 2; run++) {
        await runCoordinator({
          store,
          dispatcher: { dispatch: () => Promise.resolve() },
          taskConfigsFor: taskConfigsFromRegistry(registry),
          holderId: `coordinator-${run}-${Date.now()}`,
        });
        for (const name of [source, sink]) {
          const configs = await store.getTaskConfigs(name);
          if (configs?.tasks.length === 1) generations.set(name, configs.generation);
        }
      }
      expect(generations.size).toBe(2);

      const current: Record<Kind, Worker> = {
        source: await activate('source'),
        sink: await activate('sink'),
      };

      // --- Committed offsets, watched from outside: they must never go back.
      const offsetsSeen: number[] = [];
      const backwards: string[] = [];
      let reads = 0;
      watcher = (async () => {
        let last = 0;
        while (watching) {
          const entries = await store.readOffsets(source);
          reads++;
          const entry = entries.find((e) => e.partition['datagen'] === source);
          const seq = entry ? Number(entry.offset['seq']) : 0;
          if (seq < last) backwards.push(`${last} -> ${seq}`);
          if (offsetsSeen.at(-1) !== seq) offsetsSeen.push(seq);
          last = Math.max(last, seq);
          await sleep(50);
        }
      })();

      // --- Kills. Each at a random point of the run (a random record position, reached by the
      // source's committed offset or by the records in the file), then at a random moment of a
      // slice that holds its lease. Placed by progress rather than by the clock, so that on a
      // slow or busy machine the kills still spread over the whole run and the run still ends.
      const file = new SinkFile(output);
      const progress: Record<Kind, () => number> = {
        source: () => offsetsSeen.at(-1) ?? 0,
        sink: () => file.distinct,
      };
      const plan: Record<Kind, number[]> = { source: [], sink: [] };
      for (let i = 0; i < KILLS; i++) {
        const at = Math.floor(between(KILL_RANGE));
        plan[i % 2 === 0 ? 'source' : 'sink'].push(at);
      }
      for (const positions of Object.values(plan)) positions.sort((a, b) => a - b);
      const kills: Kill[] = [];
      let lastKillAt = 0;
      const killer = async (kind: Kind) => {
        for (const at of plan[kind]) {
          while (!stopKilling && progress[kind]() < at) await sleep(50);
          await sleep(between(KILL_DELAY_MS));
          while (!stopKilling && current[kind].state !== 'leased') await sleep(between([50, 400]));
          if (stopKilling) return;
          const victim = current[kind];
          await victim.kill();
          // Half the time a retry of the same invocation (same holder: retakes the lease at
          // once), else a new invocation (waits for the killed slice's lease to expire).
          const reused = Math.random() < 0.5;
          kills.push({ kind, at, atStake: victim.atStake, reused, time: Date.now() });
          lastKillAt = Date.now();
          workers.delete(victim);
          current[kind] = await activate(kind, reused ? victim.holder : undefined);
        }
      };
      let killersDone = false;
      let killerFailure: Error | undefined;
      killers = Promise.all([killer('source'), killer('sink')]).then(
        () => (killersDone = true),
        (error: unknown) =>
          (killerFailure = error instanceof Error ? error : new Error(String(error))),
      );

      // --- Until every record is in the file and every planned kill happened.
      let lastReport = Date.now();
      const runDeadline = startedAt + RUN_TIMEOUT_MS;
      try {
        while (file.distinct < COUNT || !killersDone) {
          if (Date.now() > runDeadline) {
            throw new Error(
              `after ${elapsed()}, ${file.distinct} of ${COUNT} records arrived; ` +
                `${kills.length} kills, committed ${offsetsSeen.at(-1)}; ` +
                `errors ${errors.slice(0, 3).join(' | ')}`,
            );
          }
          if (failures.length > 0) throw new Error(`a task FAILED: ${failures.join(' | ')}`);
          if (killerFailure !== undefined) throw killerFailure;
          for (const worker of Object.values(current)) {
            if (worker.exitCode !== undefined && !worker.killed) {
              throw new Error(
                `a ${worker.kind} worker exited (${worker.exitCode}): ${worker.stderr.join('\n')}`,
              );
            }
          }
          await sleep(300);
          await file.read();
          if (debug && Date.now() - lastReport >= 2_000) {
            lastReport = Date.now();
            console.log(
              `${elapsed()}: ${file.distinct} records, ${file.lines} lines, committed ` +
                `${offsetsSeen.at(-1)}, kills ${kills.length}`,
            );
          }
        }
      } finally {
        stopKilling = true;
      }
      await killers;
      const arrivedAfter = elapsed();

      // --- No more kills: let the last redeliveries and re-sends land, then stop the workers.
      let size = file.size;
      let quietSince = Date.now();
      while (Date.now() - quietSince < 2_000 || Date.now() - lastKillAt < LONGEST_HOLD_MS + 3_000) {
        await sleep(250);
        await file.read();
        if (file.size !== size) {
          size = file.size;
          quietSince = Date.now();
        }
      }
      await Promise.all(
        [...Object.values(current), ...Object.values(standby)].map((w) =>
          w.stop(SLICE_MAX_MS + 10_000),
        ),
      );
      watching = false;
      await watcher;
      const committed = await store.readOffsets(source);
      await file.read();
      file.finish();

      // --- Figures.
      const duplicates = file.lines - file.torn - file.wrong - file.distinct;
      const killsOf = (kind: Kind) => kills.filter((k) => k.kind === kind);
      const sourceKills = killsOf('source').length;
      const sinkKills = killsOf('sink').length;
      const bound = sourceKills * SOURCE_BATCH + sinkKills * SINK_BATCH;
      const atStake = kills.reduce((sum, k) => sum + k.atStake, 0);
      const largestAtStake = (kind: Kind) => Math.max(0, ...killsOf(kind).map((k) => k.atStake));
      const reused = (kind: Kind) => killsOf(kind).filter((k) => k.reused).length;
      const maxCopies = file.counts.reduce((m, c) => Math.max(m, c), 0);
      const killSpan = (kills.at(-1)?.time ?? 0) - (kills[0]?.time ?? 0);
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      console.log(
        [
          `crash safety: ${COUNT} records, ${kills.length} kills (${sourceKills} source, ` +
            `${sinkKills} sink; ${reused('source')} + ${reused('sink')} replacements reused the ` +
            `killed holder id; a kill every ${seconds(killSpan / Math.max(1, kills.length - 1))})`,
          `  duplicates ${duplicates} (at most ${maxCopies} copies of one record), torn lines ` +
            `${file.torn}, ${file.lines} lines in all`,
          `  bound ${bound} = ${sourceKills} source kills x ${SOURCE_BATCH} (${RATE}/s x ` +
            `${FLUSH_MS} ms + one poll of ${DATAGEN_BATCH}) + ${sinkKills} sink kills x ` +
            `${SINK_BATCH} (${RATE}/s x ${FLUSH_MS} ms + one round of ` +
            `${SINK_RECEIVERS} x ${RECEIVE_BATCH})`,
          `  batches the kills interrupted: ${atStake} records in all, largest ` +
            `${largestAtStake('source')} (source) and ${largestAtStake('sink')} (sink)`,
          `  ${slicesRan} slices ran to their end; source commits ${commitBatches.length} ` +
            `(largest ${Math.max(0, ...commitBatches)} records), sink flushes ${flushes.length} ` +
            `(largest ${Math.max(0, ...flushes)} messages)`,
          `  committed offset read ${reads} times, ${offsetsSeen.length} distinct values, ` +
            `${backwards.length} backwards`,
          `  every record in the file after ${arrivedAfter}; wall time ${elapsed()}; ` +
            `slice errors ${errors.length}, warnings ${warnings.length}`,
        ].join('\n'),
      );
      if (errors.length > 0) console.log(`first slice errors:\n${errors.slice(0, 3).join('\n')}`);
      if (warnings.length > 0) console.log(`first warnings:\n${warnings.slice(0, 5).join('\n')}`);
      if (debug) console.log(kills.map((k) => JSON.stringify(k)).join('\n'));

      // --- Checks.
      expect(failures).toEqual([]);
      expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
      // Every record arrived, as generated.
      expect(file.wrongSamples).toEqual([]);
      expect(file.distinct).toBe(COUNT);
      // Duplicates: no more than what the kills interrupted, and at most one batch per kill.
      expect(duplicates).toBeLessThanOrEqual(atStake);
      expect(duplicates).toBeLessThanOrEqual(bound);
      // Committed offsets never went back, and end at the last record.
      expect(backwards).toEqual([]);
      expect(offsetsSeen.length).toBeGreaterThan(10);
      expect(committed.map((e) => e.offset)).toEqual([{ seq: COUNT }]);
    },
  );
});
