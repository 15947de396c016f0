/**
 * Peak RSS of a task invocation at full speed, to choose the task function's memorySize
 * (serverless.yml). One file of BENCH_LINES lines (100 characters each) goes through a
 * FileStreamSource (file -> topic), then a FileStreamSink (topic -> file, a consumer group of its
 * own). Each case runs in a child process of its own (bench/task-memory-child.ts) that does what
 * one warm task container does: deps built as functions/task.ts builds them (taskMessagingOf's
 * RemotingMessaging on the local name server, DynamoStateStore on DynamoDB Local, the built-in
 * registry, the system clock), then slices back to back until the whole file went through. The
 * child reports its peak RSS (process.resourceUsage().maxRSS), its RSS before the first slice,
 * records, seconds and CPU seconds; this process prints them as a table.
 *
 * Connectors: slice.max.ms 60000, every other key at its default (JsonConverter with schemas on
 * both sides, the source's batch.size, the sink's receivers and batch).
 *
 *   npm run bench:task-memory            (brings the local stack up, or reuses it)
 *   BENCH_LINES=50000 npm run bench:task-memory
 *
 * A stack this run started is stopped at the end unless STACK_KEEP=1; one it reused is left.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackDown, stackUp, type LocalStackInfo } from '../infra/local/stack.js';
import type { ConnectorConfig } from '../lib/api/connector-config.js';
import type { PluginRegistry } from '../lib/api/registry.js';
import { taskConfigsFromRegistry } from '../lib/coordinator/task-configs.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { RemotingAdmin } from '../lib/rocketmq/remoting/remoting-admin.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';
import { createStateTable } from '../lib/state/table.js';
import { formatGrid } from './stats.js';
import type { ChildReport, ChildRequest } from './task-memory-child.js';

function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer: ${raw}`);
  return n;
}

const LINES = envCount('BENCH_LINES', 200_000);
const LINE_CHARS = 100;
const SLICE_MAX_MS = 60_000;
/** The task function's memorySize in serverless.yml. */
const TASK_MEMORY_MB = 1024;
/** A child that has not reported by then is killed. */
const CHILD_TIMEOUT_MS = 20 * 60_000;
const CHILD = fileURLToPath(new URL('./task-memory-child.ts', import.meta.url));
const suffix = randomBytes(4).toString('hex');

/** Creates a RUNNING connector and its task configs as the coordinator would; its generation. */
async function createConnector(
  store: DynamoStateStore,
  registry: PluginRegistry,
  name: string,
  config: ConnectorConfig,
): Promise<number> {
  const record = await store.createConnector(name, config, 'RUNNING', Date.now());
  const tasks = taskConfigsFromRegistry(registry)(record);
  if (tasks instanceof Error) throw tasks;
  const written = await store.writeTaskConfigs(record, tasks, -1, Date.now());
  return written.generation;
}

/** The task function's environment (functions/task.ts reads it), pointed at the local stack. */
function taskEnv(info: LocalStackInfo, table: string): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const key of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete inherited[key];
  return {
    ...inherited,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Local stand-ins answer any credentials: never a real account's.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    STATE_TABLE_NAME: table,
    DYNAMODB_ENDPOINT: info.dynamodb.endpoint,
    TASK_FUNCTION_NAME: 'bench-task-memory',
    ROCKETMQ_ENDPOINT: info.rocketmq.endpoint,
    ROCKETMQ_NAMESRV: info.rocketmq.namesrv,
    ROCKETMQ_CLUSTER: info.rocketmq.cluster,
  };
}

/** Runs one case in a child process; its report. Kills the child if this process gives up. */
function runChild(request: ChildRequest, env: NodeJS.ProcessEnv): Promise<ChildReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(request)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const stop = () => child.kill('SIGKILL');
  process.once('exit', stop);
  return new Promise<ChildReport>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', stop);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || last === '') {
        reject(new Error(`${request.kind} child ended with ${signal ?? `code ${code}`}: ${last}`));
        return;
      }
      resolve(JSON.parse(last) as ChildReport);
    });
  });
}

async function lineCount(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  }
  return n;
}

const mib = (n: number) => n.toFixed(0);

function cells(label: string, r: ChildReport): string[] {
  return [
    label,
    String(r.records),
    String(r.slices),
    r.seconds.toFixed(2),
    (r.records / r.seconds).toFixed(0),
    mib(r.rssStartMiB),
    mib(r.peakRssMiB),
    mib(r.rssEndMiB),
    r.cpuSeconds.toFixed(2),
  ];
}

async function main(): Promise<void> {
  const settings = loadStackSettings();
  const { info, outcomes } = await stackUp(settings, (line) => console.log(`[stack] ${line}`));
  const startedHere = Object.values(outcomes).includes('started');
  const admin = new RemotingAdmin(info.rocketmq);
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const table = `bench-task-memory-${suffix}`;
  const dir = await mkdtemp(join(tmpdir(), 'bench-task-memory-'));
  let tableCreated = false;
  try {
    const topic = `bench-task-memory-${suffix}`;
    const group = `bench-task-memory-${suffix}`;
    await admin.ensureTopic(topic, 'NORMAL');
    await admin.ensureConsumerGroup(group);
    await createStateTable(dynamo, table);
    tableCreated = true;
    const store = new DynamoStateStore(dynamo, table);
    const registry = createBuiltinRegistry();

    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    const line = (n: number) => `line ${n} `.padEnd(LINE_CHARS, 'x');
    await writeFile(input, Array.from({ length: LINES }, (_, n) => `${line(n)}\n`).join(''));
    const sliceMaxMs = String(SLICE_MAX_MS);
    const cases: { label: string; request: ChildRequest }[] = [];
    for (const [kind, label, config] of [
      [
        'source',
        'FileStreamSource: file -> RocketMQ',
        { 'connector.class': 'FileStreamSource', file: input, topic, 'slice.max.ms': sliceMaxMs },
      ],
      [
        'sink',
        'FileStreamSink: RocketMQ -> file',
        {
          'connector.class': 'FileStreamSink',
          file: output,
          topics: topic,
          'consumer.group': group,
          'slice.max.ms': sliceMaxMs,
        },
      ],
    ] as const) {
      const connector = `bench-task-memory-${kind}-${suffix}`;
      const generation = await createConnector(store, registry, connector, config);
      cases.push({ label, request: { kind, connector, generation, records: LINES } });
    }

    console.log(
      `running: ${LINES} lines of ${LINE_CHARS} characters, file -> RocketMQ -> file, ` +
        'each task in a process of its own...',
    );
    const env = taskEnv(info, table);
    const rows: string[][] = [];
    for (const { label, request } of cases) {
      const report = await runChild(request, env);
      rows.push(cells(label, report));
    }
    const written = await lineCount(output);
    if (written < LINES) throw new Error(`the sink wrote ${written} of ${LINES} lines`);

    console.log(
      `\ntask memory on ${new Date().toISOString()} (${process.version}, ${process.platform}; ` +
        'local stack, one machine)\n',
    );
    console.log(
      formatGrid(
        [
          'case',
          'records',
          'slices',
          's',
          'records/s',
          'RSS at start MiB',
          'peak RSS MiB',
          'RSS at end MiB',
          'CPU s',
        ],
        rows,
      ),
    );
    console.log(
      [
        '',
        `Each case: a fresh node process (--import tsx) built as functions/task.ts builds its ` +
          'deps; "RSS at start" is after its imports and clients,',
        'before the first slice (the cold start\'s init); "peak RSS" is process.resourceUsage()' +
          '.maxRSS over its whole life; seconds and CPU over the slices.',
        `Connectors: slice.max.ms ${SLICE_MAX_MS}, other keys default; the sink wrote ` +
          `${written} lines (${written - LINES} duplicates).`,
        `The task function's memorySize (serverless.yml: ${TASK_MEMORY_MB} MB) should leave ` +
          "headroom over the peak, plus the Lambda Node runtime's own overhead",
        '(its bootstrap and runtime client). This is a local Node process (with the tsx loader, ' +
          'not the bundle), not the Lambda runtime: treat it as an estimate.',
      ].join('\n'),
    );
  } finally {
    admin.close();
    if (tableCreated) {
      await dynamo.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    }
    dynamo.destroy();
    await rm(dir, { recursive: true, force: true });
    if (startedHere && !settings.keepAfterTests) {
      await stackDown(settings, (line) => console.log(`[stack] ${line}`));
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
