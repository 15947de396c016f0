/**
 * Ours as a new user runs it: `npm start`, in a stack folder of its own (seeded with the Maven
 * classpaths of STACK_DIR, so no jar is resolved again) on the ports of the environment. Its
 * process tree splits into the workers (npm, the platform's runner, serverless-offline with the
 * functions' worker threads, the stream poller) and the services (the RocketMQ and DynamoDB
 * Local JVMs, found through the stack folder's pid files).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPortFree } from '../../infra/local/processes.js';
import { listeningPorts, type StackSettings } from '../../infra/local/settings.js';
import { ConnectRest } from '../connect-rest.js';
import {
  killStackOf,
  NpmStart,
  READY_LINE,
  seedStackDir,
  stackPidsOf,
} from '../npm-start-process.js';

/** Generous: on a loaded 2-core machine the stack's JVMs alone can take minutes. */
const START_TIMEOUT_MS = 600_000;

export interface OursRun {
  readonly rest: ConnectRest;
  readonly stackDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** The current `npm start` (a restart replaces it). */
  readonly run: NpmStart;
  groups(): Record<'workers' | 'services', number[]>;
  /** Starts `npm start` again in the same folder (after a kill): the same token and data. */
  restart(): Promise<void>;
  /** Ctrl-C, then SIGKILL to whatever of it is left. */
  stop(): Promise<void>;
}

export async function startOurs(
  settings: StackSettings,
  dir: string,
  log: (line: string) => void,
): Promise<OursRun> {
  const { apiPort, lambdaPort } = settings.functions;
  const ports = [...listeningPorts(settings.ports).map((p) => p.port), apiPort, lambdaPort];
  for (const port of ports) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `port ${port} is taken: the bench starts npm start on the environment's ports; stop what runs there (npm run stack:down)`,
      );
    }
  }
  const stackDir = path.join(dir, 'stack');
  fs.mkdirSync(stackDir, { recursive: true });
  seedStackDir(settings.stackDir, stackDir);
  const token = randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = { ...process.env, STACK_DIR: stackDir, CONNECT_API_TOKEN: token };
  for (const key of ['STATE_TABLE_NAME', 'DYNAMODB_DATA']) delete env[key];
  const logFile = path.join(dir, 'npm-start.log');

  let run: NpmStart | undefined;
  const start = async () => {
    log('starting npm start...');
    run = new NpmStart(env, logFile);
    await run.waitFor(READY_LINE, START_TIMEOUT_MS);
  };
  const current = () => {
    if (!run) throw new Error('npm start is not running');
    return run;
  };
  const handle: OursRun = {
    rest: new ConnectRest(`http://127.0.0.1:${apiPort}`, token),
    stackDir,
    env,
    logFile,
    get run() {
      return current();
    },
    groups() {
      const jvms = Object.entries(stackPidsOf(stackDir))
        .filter(([name]) => name !== 'npm-start')
        .map(([, pid]) => pid);
      const tree = current().tree();
      return {
        workers: tree.filter((pid) => !jvms.includes(pid)),
        services: jvms,
      };
    },
    restart: start,
    async stop() {
      if (run && !run.hasExited) {
        try {
          await run.interrupt();
        } catch (error) {
          log(`npm start did not stop on Ctrl-C (${(error as Error).message}); killing it`);
          await run.killTree();
        }
      }
      // Whatever its stack folder still records (a run that died before its tree was read).
      killStackOf(stackDir);
    },
  };
  try {
    await start();
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}
