/**
 * Kafka Connect and ours on the same job, one after the other in one run (the machine is
 * shared and noisy: compare the rows of one run): a file of BENCH_LINES unique lines ->
 * FileStreamSource -> broker -> FileStreamSink -> file, both created through the REST API.
 *
 * - Kafka: Apache Kafka 4.x from Maven Central (bench/peers/pom.xml), a single-node KRaft broker
 *   and Connect standalone (kafka.ts).
 * - Ours: `npm start` on the environment's ports, in a stack folder of its own (ours.ts).
 *
 * Printed per system: lines/s from the source's POST to the last line written, CPU seconds and
 * peak RSS of the workers (Connect's JVM; `npm start`'s process tree without the JVMs) and of
 * the services (Kafka's broker; RocketMQ's and DynamoDB Local's JVMs), the time of the source's
 * POST, duplicates and lost lines; then ours / Kafka per column. Everything it starts it stops,
 * on failure and on Ctrl-C too.
 *
 *   npm run bench:peers
 *   BENCH_LINES=50000 BENCH_ONLY=kafka KAFKA_BROKER_PORT=15092 npm run bench:peers
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadStackSettings } from '../../infra/local/settings.js';
import { ConnectRest } from '../connect-rest.js';
import { appendNumberedLines } from '../line-file-job.js';
import { MIB } from '../process-stats.js';
import { formatGrid } from '../stats.js';
import { runFileJob, type JobResult } from './job.js';
import { startKafka } from './kafka.js';
import { startOurs } from './ours.js';

const port = (fallback: number) => z.coerce.number().int().min(1024).max(65535).default(fallback);
const env = z
  .object({
    BENCH_LINES: z.coerce.number().int().positive().default(200_000),
    // Per system, from the source's POST; today's ours copies about 2,000 lines/s.
    BENCH_TIMEOUT_S: z.coerce.number().int().positive().default(900),
    BENCH_ONLY: z.enum(['kafka', 'ours']).optional(),
    KAFKA_BROKER_PORT: port(9092),
    KAFKA_CONTROLLER_PORT: port(9093),
    // Not 8083, Connect's usual port: that is ours' API_PORT by default.
    KAFKA_CONNECT_PORT: port(8084),
  })
  .parse(process.env);

const print = (line: string) => process.stdout.write(`${line}\n`);
const log = (line: string) => print(`[bench] ${line}`);

/** What is running, to stop in reverse order on the way out, Ctrl-C included. */
const cleanups: { what: string; run: () => Promise<void> }[] = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const { what, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      log(`could not stop ${what}: ${(error as Error).message}`);
    }
  }
}
/** The run's temporary folder: inputs, outputs, the logs of Kafka and npm start. */
let workDir: string | undefined;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping what the bench started...`);
    void cleanUp().then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const settings = loadStackSettings();
  const lines = env.BENCH_LINES;
  const timeoutMs = env.BENCH_TIMEOUT_S * 1000;
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-peers-'));
  workDir = dir;
  const input = path.join(dir, 'input.txt');
  appendNumberedLines(input, 1, lines);
  const topic = `bench-lines-${randomBytes(3).toString('hex')}`;
  log(`${lines} lines in ${input}, topic ${topic}`);
  const results: JobResult[] = [];

  if (env.BENCH_ONLY !== 'ours') {
    const kafkaDir = path.join(dir, 'kafka');
    fs.mkdirSync(kafkaDir);
    const kafka = await startKafka(
      settings,
      {
        broker: env.KAFKA_BROKER_PORT,
        controller: env.KAFKA_CONTROLLER_PORT,
        connectRest: env.KAFKA_CONNECT_PORT,
      },
      kafkaDir,
      log,
    );
    cleanups.push({ what: 'Kafka', run: () => kafka.stop() });
    results.push(
      await runFileJob({
        system: 'Kafka Connect',
        rest: new ConnectRest(kafka.restUrl),
        input,
        lines,
        dir,
        topic,
        groups: () => ({ workers: [kafka.connect.pid], services: [kafka.broker.pid] }),
        timeoutMs,
        log,
      }),
    );
    await cleanups.pop()?.run();
  }

  if (env.BENCH_ONLY !== 'kafka') {
    const ours = await startOurs(settings, dir, log);
    cleanups.push({ what: 'npm start', run: () => ours.stop() });
    results.push(
      await runFileJob({
        system: 'ours (npm start)',
        rest: ours.rest,
        input,
        lines,
        dir,
        topic,
        groups: () => ours.groups(),
        timeoutMs,
        log,
      }),
    );
    await cleanups.pop()?.run();
  }

  print('');
  print(report(results));
  await cleanUp();
  // Kept when a system did not finish: the logs of Kafka and npm start are in it.
  if (results.every((r) => r.seconds !== undefined))
    await rm(dir, { recursive: true, force: true });
  else log(`logs kept in ${dir}`);
}

function report(results: readonly JobResult[]): string {
  const header = [
    'system',
    'lines/s',
    'seconds',
    'first line s',
    'CPU-s workers',
    'CPU-s broker+state',
    'RSS MiB workers',
    'RSS MiB broker+state',
    'create source s',
    'duplicates',
    'lost',
  ];
  const figures = (r: JobResult): (number | undefined)[] => [
    r.seconds === undefined ? undefined : r.lines / r.seconds,
    r.seconds,
    r.firstLineSeconds,
    r.usage.workers.cpuSeconds,
    r.usage.services.cpuSeconds,
    r.usage.workers.peakRssBytes / MIB,
    r.usage.services.peakRssBytes / MIB,
    r.createSourceMs / 1000,
    r.tally.duplicates,
    r.tally.missing,
  ];
  const digits = [0, 1, 1, 1, 1, 0, 0, 2, 0, 0];
  const cell = (n: number | undefined, i: number) =>
    n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits[i] ?? 1);
  const rows = results.map((r) => [r.system, ...figures(r).map(cell)]);
  const [kafka, ours] = results;
  if (kafka && ours && results.length === 2) {
    const k = figures(kafka);
    const o = figures(ours);
    rows.push([
      'ours / Kafka',
      ...o.map((value, i) => {
        const base = k[i];
        if (value === undefined || base === undefined) return '-';
        if (base === 0) return value === 0 ? '1.00x' : 'n/a';
        return `${(value / base).toFixed(2)}x`;
      }),
    ]);
  }
  const foreign = results.filter((r) => r.tally.foreign > 0);
  const notes = foreign.map((r) => `${r.system}: ${r.tally.foreign} lines not of the input`);
  const notDone = results.filter((r) => r.seconds === undefined);
  notes.push(...notDone.map((r) => `${r.system}: not every line arrived within the timeout`));
  return [
    `${results[0]?.lines ?? 0} lines, file -> FileStreamSource -> broker -> FileStreamSink -> file`,
    formatGrid(header, rows),
    ...notes,
  ].join('\n');
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(error);
    await cleanUp();
    if (workDir) log(`logs kept in ${workDir}`);
    process.exit(1);
  },
);
