import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FunctionName } from '../aws/package.js';
import { SERVERLESS_BIN, serverlessEnv } from '../aws/serverless-cli.js';
import { StackError } from './jvm.js';
import { isPortFree } from './processes.js';
import { repoRoot, type StackSettings } from './settings.js';
import type { LocalStackInfo } from './stack.js';

/** The serverless.yml stage `npm start` runs: its params point the functions at the local stack. */
export const OFFLINE_STAGE = 'offline';

/** A function's name under `npm start`, as Lambda names it: `<service>-<stage>-<function>`. */
export function offlineFunctionName(fn: FunctionName): string {
  return `rocketmq-connect-${OFFLINE_STAGE}-${fn}`;
}

export interface LocalFunctions {
  /** The HTTP API, e.g. `http://127.0.0.1:8083`. */
  readonly apiUrl: string;
  /** The Lambda invoke endpoint, for AWS SDK clients, e.g. `http://127.0.0.1:3002`. */
  readonly lambdaEndpoint: string;
  /** Settles when serverless-offline has ended, whether by stop() or on its own: how it ended. */
  readonly exited: Promise<string>;
  /** Stops serverless-offline (SIGINT, then SIGKILL after 10 s) and waits for it to end. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 10_000;
/** 5xx answers in a row from /health that end the wait. */
const MAX_FAILED_ANSWERS = 10;

/**
 * The platform's functions under serverless-offline, as `npm start` runs them: the HTTP API,
 * the Lambda invoke endpoint (sync and `Event`: the API wakes the coordinator and the
 * coordinator dispatches task slices through it, as in AWS), and the coordinator's schedule.
 * They run the bundles `serverless package` ships (serverless-esbuild builds them first), each
 * invocation in a worker thread with the environment serverless.yml gives it plus the local
 * stack's endpoints. Resolves once the API answers.
 */
export async function startLocalFunctions(options: {
  readonly settings: StackSettings;
  readonly info: LocalStackInfo;
  readonly apiToken: string;
  /** Gives up waiting for the API when aborted (Ctrl-C during startup). */
  readonly signal?: AbortSignal;
  /** Where serverless-offline's own output goes, line by line. */
  readonly output: (line: string) => void;
}): Promise<LocalFunctions> {
  const { settings, info } = options;
  const { apiPort, lambdaPort } = settings.functions;
  for (const [port, variable] of [
    [apiPort, 'API_PORT'],
    [lambdaPort, 'LAMBDA_PORT'],
  ] as const) {
    if (!(await isPortFree(port))) {
      throw new StackError(
        `port ${port} is taken (is another npm start running?); stop that program, or choose another port: ${variable}=<free port> npm start`,
      );
    }
  }
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const lambdaEndpoint = `http://127.0.0.1:${lambdaPort}`;

  const { cpuProfDir } = settings.functions;
  const child = spawn(
    process.execPath,
    [
      ...(cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`]),
      SERVERLESS_BIN,
      'offline',
      'start',
      '--stage',
      OFFLINE_STAGE,
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(apiPort),
      '--lambdaPort',
      String(lambdaPort),
    ],
    {
      cwd: repoRoot,
      env: serverlessEnv(functionsEnv(settings, info, options.apiToken, lambdaEndpoint)),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(signal ? `signal ${signal}` : `exit code ${code}`),
    );
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
  });
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      options.output(line);
    });
  }

  const stop = () => stopChild(child, exited);
  try {
    await waitUntilAnswers(`${apiUrl}/health`, exited, options.signal);
  } catch (error) {
    await stop();
    throw new StackError(
      `the functions did not come up: ${(error as Error).message}\n--- serverless-offline's last lines ---\n${recent.join('\n')}`,
      { cause: error },
    );
  }
  stopIdleBundler(child.pid);
  return { apiUrl, lambdaEndpoint, exited, stop };
}

/**
 * serverless-esbuild keeps esbuild's service process for rebuilds, which npm start never asks
 * for (serverless.yml watches nothing): once the functions answer, the bundles are built and
 * the service only held about 300-450 MB for the whole run. It is stopped; esbuild's API in
 * serverless-offline takes that as a stopped service, which nothing calls again.
 */
function stopIdleBundler(parent: number | undefined): void {
  if (parent === undefined) return;
  for (const pid of childrenOf(parent)) {
    const command = readProc(pid, 'cmdline').split('\0');
    if (command.some((arg) => arg.includes('esbuild')) && command.includes(`--ping`)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
  }
}

/** The pids whose parent is `parent` (Linux /proc; none elsewhere). */
function childrenOf(parent: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => Number(readProc(pid, 'stat').split(') ')[1]?.split(' ')[1]) === parent);
}

function readProc(pid: number, file: 'stat' | 'cmdline'): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * What the functions need beyond serverless.yml's environment (serverless-offline passes this
 * process's environment through: `localEnvironment`): the local stack's endpoints, the admin
 * tool that creates topics, and stand-in credentials, so nothing local ever signs with a real
 * AWS account's keys.
 */
function functionsEnv(
  settings: StackSettings,
  info: LocalStackInfo,
  apiToken: string,
  lambdaEndpoint: string,
): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const key of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete inherited[key];
  return {
    ...inherited,
    // A slice that throws in an `Event` invoke is an unhandled rejection inside
    // serverless-offline, which would end it. Here it is logged, and the coordinator restarts
    // the task from its checkpoint (Lambda would also retry it twice, then record it in the
    // on-failure queue; serverless-offline has neither).
    NODE_OPTIONS: [inherited.NODE_OPTIONS, '--unhandled-rejections=warn'].filter(Boolean).join(' '),
    // The SDK's notice that it will need Node 22 from 2027, once per worker thread: deployed
    // functions run on nodejs22.x already, and the local runtime is the project's Node 20.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    STATE_TABLE_NAME: settings.stateTable,
    ROCKETMQ_ENDPOINT: info.rocketmq.endpoint,
    DYNAMODB_ENDPOINT: info.dynamodb.endpoint,
    LAMBDA_ENDPOINT: lambdaEndpoint,
    CONNECT_API_TOKEN: apiToken,
    // The API creates topics where it has the name server (lib/rocketmq/README.md).
    ROCKETMQ_NAMESRV: info.rocketmq.namesrv,
    ROCKETMQ_CLUSTER: info.rocketmq.cluster,
    ESBUILD_WORK_FOLDER: `.esbuild-offline-${settings.functions.apiPort}`,
  };
}

async function waitUntilAnswers(
  url: string,
  exited: Promise<string>,
  signal: AbortSignal | undefined,
): Promise<void> {
  let ended: string | undefined;
  void exited.then((how) => (ended = how));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  let failures = 0;
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`serverless-offline ended (${ended})`);
    signal?.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${url} answered ${response.status}: ${await response.text()}`;
      // The API answers, but fails (say, a setting it refuses at cold start): no use waiting.
      if (response.status >= 500 && ++failures >= MAX_FAILED_ANSWERS) throw new Error(last);
    } catch (error) {
      if (failures >= MAX_FAILED_ANSWERS) throw error;
      last = `${url}: ${(error as Error).message}`;
    }
    await sleep(500);
  }
  throw new Error(`nothing answered within ${READY_TIMEOUT_MS / 1000} s (${last})`);
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
