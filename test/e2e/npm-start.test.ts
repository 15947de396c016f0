/**
 * `npm start` as a user runs it from a fresh clone: it starts a stack of its own (its own stack
 * folder and ports, so the suite's shared stack is not touched), the functions under
 * serverless-offline and the state mirror, and prints an example. The example, exactly as
 * printed, copies a file through RocketMQ with FileStreamSource and FileStreamSink; every line
 * arrives within two minutes, the task function invoked through the Lambda endpoint.
 *
 * Then, mid-run, the whole process tree of `npm start` is killed with SIGKILL: npm, tsx, the
 * platform's runner, serverless-offline with its worker threads, and the RocketMQ and DynamoDB
 * Local JVMs it started. A second `npm start` brings everything back from disk; the connectors
 * resume from their checkpoints and every line arrives. Ctrl-C (SIGINT to the process group)
 * then stops everything the run started.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, onTestFailed, onTestFinished, test } from 'vitest';
import { isPortFree } from '../../infra/local/processes.js';
import { repoRoot } from '../../infra/local/settings.js';
import {
  killStackOf,
  NpmStart,
  READY_LINE,
  signal,
  stackPidsOf,
  waitUntilFree,
} from '../../bench/npm-start-process.js';

const PORTS = {
  ROCKETMQ_NAMESRV_PORT: 19876,
  ROCKETMQ_PROXY_PORT: 18081,
  ROCKETMQ_PROXY_REMOTING_PORT: 18080,
  ROCKETMQ_BROKER_PORT: 20911,
  DYNAMODB_PORT: 18000,
  API_PORT: 18083,
  LAMBDA_PORT: 13002,
};
/** Every port the run takes (the broker also takes its port - 2 and + 1). */
const ALL_PORTS = [
  ...Object.values(PORTS),
  PORTS.ROCKETMQ_BROKER_PORT - 2,
  PORTS.ROCKETMQ_BROKER_PORT + 1,
];
const FIRST_LINES = 10_000;
const MORE_LINES = 20_000;
const WHILE_DOWN_LINES = 2_000;
/** A stack of its own (JVMs, Maven's classpaths) on a machine shared with the other tests. */
const START_TIMEOUT_MS = 300_000;
const DELIVERY_TIMEOUT_MS = 120_000;
/** After a kill: the killed slices' leases expire (slice budget + grace), then a schedule tick. */
const RESUME_TIMEOUT_MS = 300_000;

/** The example as npm start printed it: from the `export` line to the `wc -l` line. */
function printedExample(output: string): string {
  const match = output.match(/^export CONNECT_API_URL=[\s\S]*?^wc -l .*$/m);
  if (!match) throw new Error('npm start printed no example');
  return match[0];
}

async function runExample(script: string, demoDir: string): Promise<string> {
  const child = spawn('bash', ['-c', script], {
    env: { ...process.env, DEMO_DIR: demoDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return out;
}

function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

async function readLines(file: string): Promise<string[]> {
  try {
    return linesOf(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Waits until every input line is in the output; answers the output's lines. */
async function waitForEveryLine(
  input: string,
  output: string,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const expected = await readLines(input);
  let lines: string[] = [];
  let missing: string[] = expected;
  while (Date.now() < deadline) {
    lines = await readLines(output);
    const got = new Set(lines);
    missing = expected.filter((line) => !got.has(line));
    if (missing.length === 0) break;
    await sleep(500);
  }
  expect(missing.slice(0, 5), `${missing.length} of ${expected.length} lines missing`).toEqual([]);
  return lines;
}

function numbered(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `line ${from + i}\n`).join('');
}

describe('npm start', () => {
  test(
    'runs the printed example, survives SIGKILL of its whole process tree, and stops on Ctrl-C',
    { timeout: 20 * 60_000 },
    async () => {
      for (const port of ALL_PORTS) {
        expect(await isPortFree(port), `port ${port}, which this test uses, is taken`).toBe(true);
      }
      const stackDir = await mkdtemp(path.join(tmpdir(), 'npm-start-stack-'));
      const demoDir = await mkdtemp(path.join(tmpdir(), 'npm-start-demo-'));
      const logFile = path.join(stackDir, 'npm-start.log');
      // What npm start reads is this test's choice, not the calling shell's.
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...Object.fromEntries(Object.entries(PORTS).map(([k, v]) => [k, String(v)])),
        STACK_DIR: stackDir,
      };
      for (const key of ['CONNECT_API_TOKEN', 'STATE_TABLE_NAME', 'DYNAMODB_DATA']) delete env[key];
      const runs: NpmStart[] = [];
      onTestFailed(() => {
        for (const [i, run] of runs.entries())
          console.log(`--- npm start #${i + 1} ---\n${run.tail()}`);
      });
      onTestFinished(async () => {
        // Whatever happened, nothing of these runs may outlive the test.
        for (const run of runs) {
          if (!run.hasExited) for (const pid of run.tree()) signal(pid, 'SIGKILL');
        }
        killStackOf(stackDir);
        await rm(path.join(repoRoot, `.esbuild-offline-${PORTS.API_PORT}`), {
          recursive: true,
          force: true,
        });
        await rm(demoDir, { recursive: true, force: true });
        if (fs.existsSync(stackDir)) await rm(stackDir, { recursive: true, force: true });
      });

      // 1. A fresh start: the stack of its own, the functions, the banner with the example.
      const first = new NpmStart(env, logFile);
      runs.push(first);
      await first.waitFor(READY_LINE, START_TIMEOUT_MS);
      const banner = first.text();
      expect(banner).toMatch(/\[stack\] namesrv +started/);
      expect(banner).toMatch(/\[stack\] dynamodb +started/);
      const token = banner.match(/API token +(\S+) +\(generated, kept in/)?.[1];
      expect(token).toBeDefined();

      // 2. The example as printed: every line copied within two minutes.
      const example = printedExample(banner);
      expect(example).toContain(`CONNECT_API_URL=http://127.0.0.1:${PORTS.API_PORT}`);
      const created = await runExample(example, demoDir);
      expect(created).toContain('"name":"demo-source"');
      expect(created).toContain('"name":"demo-sink"');
      const input = path.join(demoDir, 'input.txt');
      const output = path.join(demoDir, 'output.txt');
      expect(await readLines(input)).toHaveLength(FIRST_LINES);
      await waitForEveryLine(input, output, DELIVERY_TIMEOUT_MS);
      // Slices ran as invocations of the task function through the Lambda endpoint
      // (serverless-offline reports each one as it ends), the mirror's batches likewise.
      await first.waitFor(/\(λ: task\) RequestId/, DELIVERY_TIMEOUT_MS);
      expect(first.text()).toMatch(/\(λ: mirror\) RequestId/);

      // 3. More lines; once some of them arrived, SIGKILL the whole tree, mid-run.
      await appendFile(input, numbered(FIRST_LINES + 1, MORE_LINES));
      let atKill = 0;
      const killBy = Date.now() + DELIVERY_TIMEOUT_MS;
      while (atKill <= FIRST_LINES + 100) {
        expect(Date.now(), 'the appended lines start arriving').toBeLessThan(killBy);
        await sleep(50);
        atKill = (await readLines(output)).length;
      }
      const tree = first.tree();
      for (const pid of tree) signal(pid, 'SIGKILL');
      await first.exited;
      // The tree held the runner, serverless-offline and the three JVMs the run started.
      const stackPids = stackPidsOf(stackDir);
      expect(Object.keys(stackPids).sort()).toEqual(['dynamodb', 'namesrv', 'npm-start', 'proxy']);
      for (const pid of Object.values(stackPids)) expect(tree).toContain(pid);
      expect(first.text()).toMatch(/\(λ: coordinator\)/);
      for (const port of [PORTS.API_PORT, PORTS.DYNAMODB_PORT, PORTS.ROCKETMQ_PROXY_PORT]) {
        await waitUntilFree(port);
      }
      const afterKill = (await readLines(output)).length;
      expect(afterKill, 'the kill landed mid-run').toBeLessThan(FIRST_LINES + MORE_LINES);
      // Lines written while nothing runs must be picked up too.
      await appendFile(input, numbered(FIRST_LINES + MORE_LINES + 1, WHILE_DOWN_LINES));

      // 4. Start again: the stack comes back from disk, the same token, the same connectors.
      const second = new NpmStart(env, logFile);
      runs.push(second);
      await second.waitFor(READY_LINE, START_TIMEOUT_MS);
      expect(second.text()).toMatch(/\[stack\] dynamodb +started/);
      expect(second.text()).toContain(`API token        ${token}  (kept in`);
      const listed = await fetch(`http://127.0.0.1:${PORTS.API_PORT}/connectors`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await listed.json()) as string[]).sort()).toEqual(['demo-sink', 'demo-source']);

      const total = FIRST_LINES + MORE_LINES + WHILE_DOWN_LINES;
      const lines = await waitForEveryLine(input, output, RESUME_TIMEOUT_MS);
      const duplicates = lines.length - new Set(lines).size;
      console.log(
        `npm start: ${total} lines, ${afterKill} had arrived at the kill, ${duplicates} duplicates after the restart`,
      );
      // Resumed from checkpoints, not from the start of the file: every line of the first part
      // was committed on both sides well before the kill, and none of them comes twice. What
      // was sent or written since the last commits (the crash window: up to
      // offset.flush.interval.ms of the source's sends, the sink's last second of offsets in
      // the killed broker) may come again, and is counted above.
      const seen = new Map<string, number>();
      for (const line of lines) seen.set(line, (seen.get(line) ?? 0) + 1);
      const firstPartTwice = [...seen].filter(
        ([line, n]) => n > 1 && Number(line.slice('line '.length)) <= FIRST_LINES,
      );
      expect(firstPartTwice).toEqual([]);
      expect(new Set(lines).size).toBe(total);

      // 5. Ctrl-C: the terminal signals the whole group; everything this run started stops.
      // (Waits for the lines rather than npm's exit: npm may end before the runner is done.)
      signal(-second.pid, 'SIGINT');
      await second.waitFor(/\[stack\] stopped the local stack/, 120_000);
      await second.exited;
      expect(second.text()).toContain('[stack] stopped the functions');
      expect(second.text()).toContain('[stack] stopped the state mirror');
      for (const port of ALL_PORTS) await waitUntilFree(port);
      expect(await readdir(path.join(stackDir, 'pids'))).toEqual([]);
    },
  );
});
