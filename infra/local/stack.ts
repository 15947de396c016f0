import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemotingAdmin } from '../../lib/rocketmq/remoting/remoting-admin.js';
import { checkJava, ensureClasspaths, StackError } from './jvm.js';
import {
  isAlive,
  isPortFree,
  PidFiles,
  spawnDetached,
  stopProcess,
  tailOf,
  type ProcessRecord,
} from './processes.js';
import { dynamoAnswers, HEALTH_TOPIC, rocketMqRoundTrip } from './probes.js';
import {
  CLUSTER,
  serviceSpecs,
  stackPaths,
  type ServiceName,
  type ServiceSpec,
} from './services.js';
import { listeningPorts, type StackSettings } from './settings.js';

/** Everything a test, benchmark or the local platform needs to talk to the stack. */
export interface LocalStackInfo {
  readonly rocketmq: {
    readonly endpoint: string;
    readonly namesrv: string;
    readonly cluster: string;
  };
  readonly dynamodb: { readonly endpoint: string };
}

/** started: by this call; reused: ours, already up; external: a stack someone else runs. */
export type Outcome = 'started' | 'reused' | 'external';

export interface UpResult {
  readonly info: LocalStackInfo;
  readonly outcomes: Readonly<Record<ServiceName, Outcome>>;
  /** Where DynamoDB Local keeps its data; undefined when another program runs it. */
  readonly dynamodbData: 'memory' | 'disk' | undefined;
}

type Out = (line: string) => void;

/** Stop order: the proxy (and its broker) before the name server it registers with. */
const STOP_ORDER: readonly ServiceName[] = ['proxy', 'namesrv', 'dynamodb'];

/**
 * Brings the stack up, or reuses it when it is already up, and waits until it is really ready:
 * a message round trip through the proxy and a DynamoDB ListTables.
 */
export async function stackUp(
  settings: StackSettings,
  out: Out = () => undefined,
  options: {
    /** Where DynamoDB Local keeps its data if this call starts it (DYNAMODB_DATA overrides). */
    readonly dynamodbData?: 'memory' | 'disk';
    /** Gives up waiting when aborted (Ctrl-C during `npm start`). */
    readonly signal?: AbortSignal;
  } = {},
): Promise<UpResult> {
  checkJava(settings);
  const paths = stackPaths(settings.stackDir);
  fs.mkdirSync(settings.stackDir, { recursive: true });
  const { signal } = options;
  return withLock(paths.lock, async () => {
    const classpaths = ensureClasspaths(settings, out);
    const dynamodbData = settings.dynamodbData ?? options.dynamodbData ?? 'memory';
    const specs = new Map(serviceSpecs(settings, classpaths, dynamodbData).map((s) => [s.name, s]));
    const info = stackInfo(settings);
    const pids = new PidFiles(paths.pids);
    const deadline = Date.now() + settings.readyTimeoutMs;
    const outcomes: Partial<Record<ServiceName, Outcome>> = {};
    const start = async (name: ServiceName, answers: () => Promise<boolean>) => {
      throwIfStopped(signal);
      outcomes[name] = await bringUp(specs.get(name), settings, pids, answers);
      return outcomes[name];
    };
    try {
      await start('dynamodb', () => dynamoAnswers(info.dynamodb.endpoint));
      const namesrv = await start('namesrv', () => portAnswers(settings.ports.namesrv));
      if (namesrv === 'started') {
        await waitFor('namesrv', pids, deadline, signal, () => portAnswers(settings.ports.namesrv));
      }
      await start('proxy', () =>
        rocketMqRoundTrip(info.rocketmq.endpoint, 15_000).then(
          () => true,
          () => false,
        ),
      );

      out('waiting for DynamoDB Local to answer ListTables...');
      await waitFor('dynamodb', pids, deadline, signal, () =>
        dynamoAnswers(info.dynamodb.endpoint),
      );
      out('waiting for a message round trip through the RocketMQ proxy...');
      await waitForRocketMq(info, pids, deadline, signal);
    } catch (error) {
      // Leave nothing half up: what this call started, it stops.
      for (const name of STOP_ORDER) {
        const record = pids.read(name);
        if (outcomes[name] !== 'started' || !record) continue;
        if (isAlive(record)) await stopProcess(record);
        pids.remove(name);
      }
      throw error;
    }
    const { namesrv, proxy, dynamodb } = outcomes as Record<ServiceName, Outcome>;
    fs.writeFileSync(paths.info, JSON.stringify(info, null, 2));
    return { info, outcomes: { namesrv, proxy, dynamodb }, dynamodbData: dynamodbDataOf(pids) };
  });
}

/** Stops exactly the processes this stack folder started (by PID and start time). */
export async function stackDown(
  settings: StackSettings,
  out: Out = () => undefined,
): Promise<ServiceName[]> {
  const paths = stackPaths(settings.stackDir);
  const pids = new PidFiles(paths.pids);
  const stopped: ServiceName[] = [];
  for (const name of STOP_ORDER) {
    const record = pids.read(name);
    if (!record) continue;
    if (isAlive(record)) {
      out(`stopping ${name} (pid ${record.pid})...`);
      await stopProcess(record);
      stopped.push(name);
    }
    pids.remove(name);
  }
  fs.rmSync(paths.info, { force: true });
  return stopped;
}

/** Services this stack folder started whose process has since exited. */
export function deadServices(settings: StackSettings): ServiceName[] {
  const pids = new PidFiles(stackPaths(settings.stackDir).pids);
  return STOP_ORDER.filter((name) => {
    const record = pids.read(name);
    return record !== undefined && !isAlive(record);
  });
}

export interface ServiceStatus {
  readonly name: ServiceName;
  readonly pid?: number;
  readonly running: boolean;
  readonly ready: boolean;
  readonly detail: string;
}

/** What runs, and whether each part passes its readiness check right now. */
export async function stackStatus(settings: StackSettings): Promise<ServiceStatus[]> {
  const pids = new PidFiles(stackPaths(settings.stackDir).pids);
  const { ports } = settings;
  const endpoint = `127.0.0.1:${ports.proxyGrpc}`;
  const dynamoEndpoint = `http://127.0.0.1:${ports.dynamodb}`;
  // Each check resolves to a description when the service is ready, and throws when it is not.
  const checks: Record<ServiceName, () => Promise<string>> = {
    namesrv: async () => {
      if (!(await portAnswers(ports.namesrv)))
        throw new Error(`nothing answers on port ${ports.namesrv}`);
      return `127.0.0.1:${ports.namesrv} answers`;
    },
    proxy: async () => {
      const started = Date.now();
      await rocketMqRoundTrip(endpoint, 15_000);
      return `${endpoint} (broker ${ports.broker}), round trip in ${Date.now() - started} ms`;
    },
    dynamodb: async () => {
      if (!(await dynamoAnswers(dynamoEndpoint)))
        throw new Error(`ListTables on ${dynamoEndpoint} failed`);
      return `${dynamoEndpoint}, ListTables ok`;
    },
  };
  const statuses: ServiceStatus[] = [];
  for (const name of ['namesrv', 'proxy', 'dynamodb'] as const) {
    const record = pids.read(name);
    const running = record !== undefined && isAlive(record);
    const check = await checks[name]().then(
      (detail) => ({ ready: true, detail }),
      (error: unknown) => ({
        ready: false,
        detail: error instanceof Error ? error.message : String(error),
      }),
    );
    statuses.push({ name, ...(running ? { pid: record.pid } : {}), running, ...check });
  }
  return statuses;
}

/** The stack's endpoints from the settings alone (for a stack that is already up). */
export function stackInfo(settings: StackSettings): LocalStackInfo {
  const namesrv = `127.0.0.1:${settings.ports.namesrv}`;
  return {
    rocketmq: { endpoint: `127.0.0.1:${settings.ports.proxyGrpc}`, namesrv, cluster: CLUSTER },
    dynamodb: { endpoint: `http://127.0.0.1:${settings.ports.dynamodb}` },
  };
}

async function bringUp(
  spec: ServiceSpec | undefined,
  settings: StackSettings,
  pids: PidFiles,
  answers: () => Promise<boolean>,
): Promise<Outcome> {
  if (!spec) throw new Error('unknown service');
  const record = pids.read(spec.name);
  if (record && isAlive(record)) return 'reused';
  pids.remove(spec.name);

  const taken: number[] = [];
  for (const port of spec.ports) if (!(await isPortFree(port))) taken.push(port);
  if (taken.length > 0) {
    // Something else holds the ports: fine if it is a working stack (say, another checkout's).
    if (taken.length === spec.ports.length && (await answers())) return 'external';
    const variables = listeningPorts(settings.ports)
      .filter((p) => taken.includes(p.port))
      .map((p) => `${p.port} (${p.variable})`);
    throw new StackError(
      `cannot start ${spec.name}: port ${variables.join(', ')} is taken by another program. ` +
        `Stop that program, or choose other ports with the variable named, e.g. ${listeningPorts(settings.ports).find((p) => p.port === taken[0])?.variable ?? 'the port variable'}=<free port> npm run stack:up`,
    );
  }
  const logFile = `${stackPaths(settings.stackDir).logs}/${spec.name}.log`;
  const started = await spawnDetached(settings.javaBin, spec.args, {
    cwd: settings.stackDir,
    logFile,
  });
  pids.write(spec.name, started);
  return 'started';
}

/** Polls a readiness check until it passes; fails fast with the log when our process died. */
async function waitFor(
  name: ServiceName,
  pids: PidFiles,
  deadline: number,
  signal: AbortSignal | undefined,
  ready: () => Promise<boolean>,
): Promise<void> {
  while (Date.now() < deadline) {
    throwIfStopped(signal);
    if (await ready()) return;
    assertStillRunning(name, pids.read(name));
    await sleep(500);
  }
  throw notReady(name, pids.read(name), 'it did not answer in time');
}

async function waitForRocketMq(
  info: LocalStackInfo,
  pids: PidFiles,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const admin = new RemotingAdmin(info.rocketmq);
  let topicCreated = false;
  let lastError: unknown;
  while (Date.now() < deadline) {
    throwIfStopped(signal);
    assertStillRunning('namesrv', pids.read('namesrv'));
    assertStillRunning('proxy', pids.read('proxy'));
    try {
      await rocketMqRoundTrip(info.rocketmq.endpoint, Math.min(20_000, deadline - Date.now()));
      return;
    } catch (error) {
      lastError = error;
    }
    // A new store has no health topic; the broker must have registered before it can be made.
    if (!topicCreated) {
      try {
        await admin.ensureTopic(HEALTH_TOPIC, 'NORMAL');
        topicCreated = true;
        continue;
      } catch (error) {
        lastError = error;
      }
    }
    await sleep(1_000);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw notReady('proxy', pids.read('proxy'), `no message round trip: ${reason}`);
}

/** Thrown when a start is given up on purpose (Ctrl-C): not a failure of the stack. */
export class StartStopped extends StackError {
  constructor() {
    super('stopped while starting');
  }
}

function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StartStopped();
}

/**
 * Where the DynamoDB Local this stack folder started keeps its data, read from the command it
 * was started with; undefined when another program runs it.
 */
function dynamodbDataOf(pids: PidFiles): 'memory' | 'disk' | undefined {
  const command = pids.read('dynamodb')?.command;
  if (command === undefined) return undefined;
  return command.includes('-dbPath') ? 'disk' : 'memory';
}

function assertStillRunning(name: ServiceName, record: ProcessRecord | undefined): void {
  if (record && !isAlive(record)) throw notReady(name, record, 'its process exited');
}

function notReady(name: ServiceName, record: ProcessRecord | undefined, why: string): StackError {
  const log = record ? `\n--- last lines of ${record.logFile} ---\n${tailOf(record.logFile)}` : '';
  return new StackError(
    `${name} did not come up: ${why}. Run 'npm run stack:down' and try again; if it keeps failing, read the log.${log}`,
  );
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Serializes `up` calls on one stack folder (two terminals, or a test run next to `npm start`),
 * so the second one reuses what the first started instead of racing it for the ports.
 */
async function withLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (!Number.isInteger(holder) || !pidExists(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new StackError(
          `another stack:up (pid ${holder}) holds ${lockFile}; wait for it or stop it`,
        );
      }
      await sleep(500);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
