/**
 * Failover of the whole platform: `npm start` runs a FileStreamSource -> RocketMQ ->
 * FileStreamSink pipeline of BENCH_LINES unique lines; once BENCH_KILL_AT of them have arrived,
 * its whole process tree (npm, the runner, serverless-offline, the RocketMQ and DynamoDB Local
 * JVMs) is SIGKILLed, as a crash would, and `npm start` is run again in the same stack folder.
 *
 * Printed, from the restart (the second `npm start` spawned) and from the moment it was back
 * (its banner): when every task was RUNNING under a slice that started after the kill (a
 * worker_id, the lease holder, not seen before the kill), when the first line after the restart
 * arrived, and when every line had; duplicates (a crash allows them: counted) and lost lines
 * (must be 0).
 *
 *   npm run bench:failover
 *   BENCH_LINES=50000 BENCH_KILL_AT=0.4 npm run bench:failover
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { listeningPorts, loadStackSettings } from '../infra/local/settings.js';
import { fileStreamPair, type ConnectRest } from './connect-rest.js';
import { appendNumberedLines, OutputTally, waitForEveryLine } from './line-file-job.js';
import { waitUntilFree } from './npm-start-process.js';
import { startOurs, type OursRun } from './peers/ours.js';
import { formatGrid } from './stats.js';

const env = z
  .object({
    BENCH_LINES: z.coerce.number().int().positive().default(200_000),
    BENCH_KILL_AT: z.coerce.number().gt(0).lt(1).default(0.4),
    // Until the kill, and again after the restart.
    BENCH_TIMEOUT_S: z.coerce.number().int().positive().default(900),
  })
  .parse(process.env);

const CONNECTORS = ['failover-source', 'failover-sink'] as const;
const print = (line: string) => process.stdout.write(`${line}\n`);
const log = (line: string) => print(`[bench] ${line}`);

let ours: OursRun | undefined;
let workDir: string | undefined;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping what the bench started...`);
    void (ours?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

/** Every worker_id (a slice's lease holder) the connectors' status showed. */
async function holders(rest: ConnectRest): Promise<{ ids: string[]; allRunning: boolean }> {
  const ids: string[] = [];
  let allRunning = true;
  for (const name of CONNECTORS) {
    const status = await rest.status(name);
    if (!status || status.tasks.length === 0) allRunning = false;
    for (const task of status?.tasks ?? []) {
      if (task.worker_id !== null) ids.push(task.worker_id);
      if (task.state !== 'RUNNING') allRunning = false;
    }
  }
  return { ids, allRunning };
}

async function main(): Promise<void> {
  const settings = loadStackSettings();
  const lines = env.BENCH_LINES;
  const timeoutMs = env.BENCH_TIMEOUT_S * 1000;
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-failover-'));
  workDir = dir;
  const input = path.join(dir, 'input.txt');
  const output = path.join(dir, 'output.txt');
  appendNumberedLines(input, 1, lines);
  const run = await startOurs(settings, dir, log);
  ours = run;
  const topic = `failover-lines-${randomBytes(3).toString('hex')}`;
  const configs = fileStreamPair({ input, output, topic });
  await run.rest.create(CONNECTORS[0], configs.source);
  await run.rest.create(CONNECTORS[1], configs.sink);

  // 1. Until the kill: note every lease holder seen, the last just before the kill.
  const tally = new OutputTally(output, lines);
  const killAt = Math.ceil(lines * env.BENCH_KILL_AT);
  const seen = new Set<string>();
  let lastStatus = 0;
  const before = await waitForEveryLine(tally, {
    timeoutMs,
    pollMs: 100,
    until: (t) => t.distinct >= killAt,
    progress: () => {
      if (Date.now() - lastStatus < 1_000) return;
      lastStatus = Date.now();
      void holders(run.rest).then(
        (h) => h.ids.forEach((id) => seen.add(id)),
        () => undefined,
      );
    },
  });
  if (before.tally.distinct < killAt)
    throw new Error(`only ${before.tally.distinct} lines arrived`);
  for (const id of (await holders(run.rest)).ids) seen.add(id);
  await run.run.killTree();
  const atKill = tally.read();
  log(`SIGKILLed npm start's whole tree with ${atKill.distinct} of ${lines} lines arrived`);
  const { apiPort, lambdaPort } = settings.functions;
  for (const p of [...listeningPorts(settings.ports).map((l) => l.port), apiPort, lambdaPort]) {
    await waitUntilFree(p);
  }

  // 2. npm start again: when it is back, when every task runs a new slice, when every line is in.
  const restarted = performance.now();
  await run.restart();
  const back = performance.now();
  let tasksLiveAt: number | undefined;
  let firstNewLineAt: number | undefined;
  const liveWatch = (async () => {
    while (tasksLiveAt === undefined && performance.now() - restarted < timeoutMs) {
      try {
        const h = await holders(run.rest);
        if (h.allRunning && h.ids.length > 0 && h.ids.every((id) => !seen.has(id))) {
          tasksLiveAt = performance.now();
        }
      } catch {
        // The API may not answer for a moment; ask again.
      }
      await sleep(250);
    }
  })();
  const after = await waitForEveryLine(tally, {
    timeoutMs,
    pollMs: 100,
    progress: (t) => {
      if (firstNewLineAt === undefined && t.distinct > atKill.distinct) {
        firstNewLineAt = performance.now();
      }
    },
  });
  await liveWatch;
  await sleep(3_000);
  const final = tally.read();
  await run.stop();
  ours = undefined;

  const s = (at: number | undefined, from: number) =>
    at === undefined ? '-' : ((at - from) / 1000).toFixed(1);
  print('');
  print(
    `${lines} lines; npm start's whole tree SIGKILLed with ${atKill.distinct} arrived ` +
      `(${((100 * atKill.distinct) / lines).toFixed(0)}%), then npm start again`,
  );
  print(
    formatGrid(
      ['seconds until', 'from the restart', 'from npm start back'],
      [
        ['npm start back (banner)', s(back, restarted), '0.0'],
        ['every task RUNNING, new slice', s(tasksLiveAt, restarted), s(tasksLiveAt, back)],
        ['first line after the restart', s(firstNewLineAt, restarted), s(firstNewLineAt, back)],
        ['every line arrived', s(after.completeAt, restarted), s(after.completeAt, back)],
      ],
    ),
  );
  print(`duplicates ${final.duplicates} (a crash allows them), lost ${final.missing} (must be 0)`);
  if (final.foreign > 0) print(`${final.foreign} lines not of the input`);
  await rm(dir, { recursive: true, force: true });
  if (final.missing > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  async (error: unknown) => {
    console.error(error);
    await ours?.stop();
    if (workDir) log(`logs kept in ${workDir}`);
    process.exit(1);
  },
);
