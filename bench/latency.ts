/**
 * Latency and failover as a user meets them: `npm start` (the functions under serverless-offline,
 * the coordinator on its schedule, slices dispatched through the Lambda endpoint) and a
 * FileStreamSource -> RocketMQ -> FileStreamSink pipeline made through the REST API, with the
 * connectors' default settings.
 *
 * 1. flowing: lines appended one at a time at a steady rate; for each, the time from its append
 *    to its presence in the sink's file (the file read every 10 ms): p50 / p99 / max.
 * 2. idle to first record: the pipeline left idle for BENCH_IDLE_MS, then one line appended;
 *    repeated BENCH_IDLE_ROUNDS times: p50 / p99 / max.
 * 3. failover: npm start's process tree SIGKILLed while lines flow (the stack's JVMs, started
 *    beforehand, stay up), npm start again: from the new run's banner, the time until a line
 *    appended after it arrives (tasks running again, end to end) and until every line has.
 *
 *   <stack env> npm run stack:up    (npm start reuses a running stack; the bench never stops it)
 *   <stack env> npm run bench:latency
 *   BENCH_IDLE_ROUNDS=5 BENCH_IDLE_MS=20000 BENCH_FLOW_SECONDS=20 BENCH_FLOW_RATE=20 ...
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { appendFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadStackSettings, repoRoot } from '../infra/local/settings.js';
import { stackUp } from '../infra/local/stack.js';
import { RemotingAdmin } from '../lib/rocketmq/remoting/remoting-admin.js';
import { formatGrid, percentile } from './stats.js';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number: ${raw}`);
  return n;
}

const IDLE_ROUNDS = envNumber('BENCH_IDLE_ROUNDS', 5);
const IDLE_MS = envNumber('BENCH_IDLE_MS', 20_000);
const FLOW_SECONDS = envNumber('BENCH_FLOW_SECONDS', 20);
const FLOW_RATE = envNumber('BENCH_FLOW_RATE', 20);
const SKIP_FAILOVER = process.env.BENCH_SKIP_FAILOVER === '1';
/** Longest wait for one line: a little over two of the old one-minute ticks. */
const LINE_TIMEOUT_MS = 150_000;
const START_TIMEOUT_MS = 300_000;

const settings = loadStackSettings();
const suffix = randomBytes(3).toString('hex');
const logFile = path.join(settings.stackDir, `bench-latency-${suffix}.log`);

/** One `npm start`, in its own process group as a terminal runs it. */
class NpmStart {
  readonly output: string[] = [];
  readonly exited: Promise<void>;
  readonly child: ChildProcess;

  constructor() {
    const log = fs.openSync(logFile, 'a');
    this.child = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.output.push(chunk);
        fs.writeSync(log, chunk);
      });
    }
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()));
    void this.exited.then(() => fs.closeSync(log));
  }

  /** Resolves with the API token once the banner is printed. */
  async ready(): Promise<string> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const match = this.output.join('').match(/API token\s+(\S+)/);
      if (match?.[1]) return match[1];
      if (this.child.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`npm start did not come up; see ${logFile}`);
  }

  /** npm start's process and every descendant, read from /proc before any is signalled. */
  tree(): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    }
    const found: number[] = [];
    const visit = (pid: number) => {
      found.push(pid);
      for (const child of children.get(pid) ?? []) visit(child);
    };
    if (this.child.pid !== undefined) visit(this.child.pid);
    return found;
  }

  kill(): void {
    for (const pid of this.tree()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  async stop(): Promise<void> {
    if (this.child.pid !== undefined && this.child.exitCode === null) {
      process.kill(-this.child.pid, 'SIGINT');
    }
    await this.exited;
  }
}

/** The sink's file, read every 10 ms: when each line was first seen. */
class SinkWatch {
  readonly seenAt = new Map<string, number>();
  #position = 0;
  #partial = '';
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(private readonly file: string) {
    this.#done = this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      await this.#read().catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
      await sleep(10);
    }
  }

  async #read(): Promise<void> {
    const handle = await open(this.file, 'r');
    try {
      const { size } = await handle.stat();
      if (size <= this.#position) return;
      const buffer = Buffer.alloc(size - this.#position);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#position);
      this.#position += bytesRead;
      const now = performance.now();
      const lines = (this.#partial + buffer.toString('utf8', 0, bytesRead)).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) if (!this.seenAt.has(line)) this.seenAt.set(line, now);
    } finally {
      await handle.close();
    }
  }

  async waitFor(line: string, timeoutMs = LINE_TIMEOUT_MS): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.seenAt.get(line);
      if (at !== undefined) return at;
      if (Date.now() > deadline) throw new Error(`"${line}" did not arrive in ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
  }
}

/** A REST call; a 504 (the API's Lambda timed out on a loaded machine) is tried again. */
async function api(url: string, token: string, method: string, body?: unknown): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // 409 after a retry: the timed-out attempt did create it.
    if (response.ok || (attempt > 1 && response.status === 409)) return;
    const text = await response.text();
    if (response.status !== 504 || attempt === 3) {
      throw new Error(`${method} ${url}: ${response.status} ${text}`);
    }
  }
}

const stats = (samples: readonly number[]) => [
  String(samples.length),
  percentile(samples, 50).toFixed(0),
  percentile(samples, 99).toFixed(0),
  Math.max(...samples).toFixed(0),
];

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-latency-'));
  const input = path.join(dir, 'input.txt');
  const output = path.join(dir, 'output.txt');
  await writeFile(input, '');
  const apiUrl = `http://127.0.0.1:${settings.functions.apiPort}`;
  const source = `lat-source-${suffix}`;
  const sink = `lat-sink-${suffix}`;
  const topic = `lat-${suffix}`;
  let seq = 0;
  const appendedAt = new Map<string, number>();
  const append = async () => {
    const line = `line ${suffix} ${seq++}`;
    await appendFile(input, `${line}\n`);
    appendedAt.set(line, performance.now());
    return line;
  };

  // The topic first, so the API's create does not wait for it.
  const { info } = await stackUp(settings, (line) => console.log(`[stack] ${line}`));
  const admin = new RemotingAdmin(info.rocketmq);
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.ensureTopic(topic, 'NORMAL');
      break;
    } catch (error) {
      if (attempt === 5) throw error;
      console.log(`creating ${topic} failed (attempt ${attempt}), trying again`);
    }
  }
  console.log(`npm start (log: ${logFile})...`);
  let run = new NpmStart();
  const watch = new SinkWatch(output);
  try {
    let token = await run.ready();
    await api(`${apiUrl}/connectors`, token, 'POST', {
      name: source,
      config: { 'connector.class': 'FileStreamSource', file: input, topic },
    });
    await api(`${apiUrl}/connectors`, token, 'POST', {
      name: sink,
      config: { 'connector.class': 'FileStreamSink', file: output, topics: topic },
    });
    const firstAt = performance.now();
    const first = await append();
    await watch.waitFor(first, START_TIMEOUT_MS);
    console.log(`first line through after ${((performance.now() - firstAt) / 1000).toFixed(1)} s`);

    // 1. Flowing.
    const flowing: string[] = [];
    const gap = 1000 / FLOW_RATE;
    const flowStart = performance.now();
    for (let i = 0; i < FLOW_SECONDS * FLOW_RATE; i++) {
      flowing.push(await append());
      const next = flowStart + (i + 1) * gap;
      await sleep(Math.max(0, next - performance.now()));
    }
    const flowLatencies: number[] = [];
    for (const line of flowing) {
      flowLatencies.push((await watch.waitFor(line)) - (appendedAt.get(line) as number));
    }
    console.log('flowing measured');

    // 2. Idle to first record.
    const idleLatencies: number[] = [];
    for (let round = 0; round < IDLE_ROUNDS; round++) {
      await sleep(IDLE_MS);
      const line = await append();
      idleLatencies.push((await watch.waitFor(line)) - (appendedAt.get(line) as number));
      console.log(`idle round ${round + 1}: ${idleLatencies.at(-1)?.toFixed(0)} ms`);
    }

    const rows = [
      [`flowing (${FLOW_RATE} lines/s, ${FLOW_SECONDS} s)`, ...stats(flowLatencies)],
      [`idle ${IDLE_MS / 1000} s, then one line`, ...stats(idleLatencies)],
    ];

    // 3. Failover: the platform killed mid-flow, started again.
    if (!SKIP_FAILOVER) {
      const beforeKill: string[] = [];
      for (let i = 0; i < 5 * FLOW_RATE; i++) {
        beforeKill.push(await append());
        await sleep(gap);
      }
      run.kill();
      await run.exited;
      for (let i = 0; i < 20; i++) beforeKill.push(await append());
      run = new NpmStart();
      token = await run.ready();
      const upAt = performance.now();
      // A line every 250 ms from the banner on: the first of them to arrive shows both tasks
      // running again.
      let backAt: number | undefined;
      while (backAt === undefined) {
        if (performance.now() - upAt > LINE_TIMEOUT_MS) throw new Error('no line after restart');
        await append();
        await sleep(250);
        backAt = firstSeenSince(watch, appendedAt, upAt);
      }
      let allAt = upAt;
      for (const line of beforeKill) allAt = Math.max(allAt, await watch.waitFor(line));
      rows.push(
        ['failover: banner -> a new line arrives', '1', (backAt - upAt).toFixed(0), '-', '-'],
        ['failover: banner -> every line arrived', '1', (allAt - upAt).toFixed(0), '-', '-'],
      );
    }

    console.log('');
    console.log(formatGrid(['latency (ms)', 'n', 'p50', 'p99', 'max'], rows));
    await api(`${apiUrl}/connectors/${sink}`, token, 'DELETE');
    await api(`${apiUrl}/connectors/${source}`, token, 'DELETE');
  } finally {
    await watch.stop();
    await run.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The earliest arrival of a line appended after `since`. */
function firstSeenSince(
  watch: SinkWatch,
  appendedAt: ReadonlyMap<string, number>,
  since: number,
): number | undefined {
  let first: number | undefined;
  for (const [line, at] of appendedAt) {
    const seen = at >= since ? watch.seenAt.get(line) : undefined;
    if (seen !== undefined) first = Math.min(first ?? seen, seen);
  }
  return first;
}

await main();
