import { FUNCTIONS } from '../aws/package.js';
import { invokeCoordinator } from '../../lib/coordinator/dispatch.js';
import { localApiToken, type LocalApiToken } from './api-token.js';
import { exampleCommands } from './example.js';
import { offlineFunctionName, startLocalFunctions, type LocalFunctions } from './functions.js';
import { invokedMirrorHandler } from './mirror-handler.js';
import { freeLeftoverLeases } from './leftover-leases.js';
import { ensurePlatformState, startPlatformMirror, withStateStore } from './platform-mirror.js';
import { localLambdaClient } from './probes.js';
import { isAlive, PidFiles, readStartTicks } from './processes.js';
import { stackPaths } from './services.js';
import type { StackSettings } from './settings.js';
import { deadServices, StartStopped, type UpResult } from './stack.js';
import { StackError } from './jvm.js';

/** How `npm start` brings the stack up and down (cli.ts, which also prints what happened). */
export interface StackSteps {
  up(options: { dynamodbData: 'disk'; signal: AbortSignal }): Promise<UpResult>;
  down(): Promise<void>;
}

/** A second Ctrl-C this long after the first gives up stopping in order. */
const FORCE_AFTER_MS = 1_000;

/**
 * `npm start`: the whole platform on this machine, until Ctrl-C. The local stack (reused if up;
 * DynamoDB Local keeps its data on disk when started here), the state table and topics, the four
 * functions under serverless-offline (HTTP API, Lambda invoke endpoint, the coordinator's
 * schedule), and a poller of the table's stream invoking the mirror function. Ctrl-C, SIGTERM or
 * SIGHUP stops everything this run started, in reverse order, during startup too.
 */
export async function runPlatform(
  settings: StackSettings,
  stack: StackSteps,
  log: (line: string) => void,
): Promise<number> {
  const stopRequest = new AbortController();
  let firstSignalAt = 0;
  // Ctrl-C reaches every process of the terminal's group, and npm relays it once more: keep
  // listening (not `once`), and force only on a signal that comes well after the first.
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopRequest.signal.aborted) {
      firstSignalAt = Date.now();
      log(`${signal}: stopping what this run started (Ctrl-C again to quit at once)...`);
      stopRequest.abort();
    } else if (Date.now() - firstSignalAt > FORCE_AFTER_MS) {
      log('quitting at once; `npm run stack:down` stops the stack if it is still up');
      process.exit(130);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  const stopped = new Promise<'stopped'>((resolve) =>
    stopRequest.signal.addEventListener('abort', () => resolve('stopped')),
  );

  const runLock = takeRunLock(settings);
  const undo: { what: string; stop: () => Promise<void> }[] = [];
  try {
    const { outcomes, info, dynamodbData } = await stack.up({
      dynamodbData: 'disk',
      signal: stopRequest.signal,
    });
    if (Object.values(outcomes).some((o) => o === 'started')) {
      undo.push({ what: 'the local stack', stop: () => stack.down() });
    } else {
      log('this run did not start the stack: it stays up after Ctrl-C');
    }
    if (dynamodbData !== 'disk') {
      log(
        `DynamoDB Local ${dynamodbData === 'memory' ? 'keeps its data in memory' : 'is run by another program'}: ` +
          'connectors and offsets are gone when it stops. To keep them on disk, stop it ' +
          '(npm run stack:down) and run npm start again.',
      );
    }

    stopRequest.signal.throwIfAborted();
    const { topics } = await ensurePlatformState(settings, info, log);
    const freed = await withStateStore(settings, info, (store) =>
      freeLeftoverLeases(store, Date.now()),
    );
    if (freed > 0) log(`freed ${freed} task lease(s) a previous run left behind`);
    const token = localApiToken(settings);
    stopRequest.signal.throwIfAborted();
    log('building and starting the functions (serverless-offline)...');
    const functions = await startLocalFunctions({
      settings,
      info,
      apiToken: token.token,
      signal: stopRequest.signal,
      output: (line) => console.log(`[functions] ${line}`),
    });
    undo.push({ what: 'the functions', stop: () => functions.stop() });

    const lambda = localLambdaClient(functions.lambdaEndpoint);
    const mirror = await startPlatformMirror(
      settings,
      info,
      invokedMirrorHandler(lambda, offlineFunctionName('mirror'), stopRequest.signal),
      (line) => console.log(`[mirror] ${line}`),
    );
    undo.push({
      what: 'the state mirror',
      stop: async () => {
        await mirror.stop();
        lambda.destroy();
      },
    });

    // The coordinator at once, not at the schedule's next minute: tasks a killed run left
    // behind restart as soon as their short leases expire (its fast ticks see that).
    await invokeCoordinator(lambda, offlineFunctionName('coordinator'), { reason: 'start' }).catch(
      (error: unknown) => log(`could not start the coordinator: ${(error as Error).message}`),
    );
    printBanner(settings, functions, token, topics, dynamodbData);
    const watch = setInterval(() => {
      for (const dead of deadServices(settings)) log(`${dead} stopped unexpectedly; see its log`);
    }, 5_000);
    const ended = await Promise.race([stopped, functions.exited]);
    clearInterval(watch);
    if (ended === 'stopped') return 0;
    log(`serverless-offline ended on its own (${ended}); stopping the rest`);
    return 1;
  } catch (error) {
    // Ctrl-C during startup makes the step under way fail (its processes got the signal too):
    // that is the user's wish, not an error.
    if (stopRequest.signal.aborted || error instanceof StartStopped) {
      log('stopped during startup');
      return 0;
    }
    throw error;
  } finally {
    for (const { what, stop } of undo.reverse()) {
      try {
        await stop();
        log(`stopped ${what}`);
      } catch (error) {
        log(`could not stop ${what}: ${(error as Error).message}`);
      }
    }
    runLock.release();
  }
}

/**
 * One `npm start` per stack folder: two would both mirror the table's stream (every change
 * published twice) into one checkpoint file, and both run the coordinator's schedule.
 */
export function takeRunLock(settings: StackSettings): { release(): void } {
  const pids = new PidFiles(stackPaths(settings.stackDir).pids);
  const holder = pids.read('npm-start');
  if (holder && isAlive(holder)) {
    throw new StackError(
      `npm start (pid ${holder.pid}) already runs the platform of ${settings.stackDir}; stop it, or give this one its own STACK_DIR and ports`,
    );
  }
  const startTicks = readStartTicks(process.pid);
  if (startTicks === undefined) throw new StackError('cannot read this process in /proc');
  pids.write('npm-start', {
    pid: process.pid,
    startTicks,
    command: process.argv.join(' '),
    logFile: '-',
  });
  return { release: () => pids.remove('npm-start') };
}

function printBanner(
  settings: StackSettings,
  functions: LocalFunctions,
  token: LocalApiToken,
  topics: string[],
  dynamodbData: UpResult['dynamodbData'],
): void {
  const origin = {
    env: 'from CONNECT_API_TOKEN',
    generated: `generated, kept in ${token.file}; set CONNECT_API_TOKEN to choose one`,
    kept: `kept in ${token.file}; set CONNECT_API_TOKEN to choose one`,
  }[token.origin];
  const data = {
    disk: `on disk in ${stackPaths(settings.stackDir).dynamodbData}`,
    memory: 'in memory (gone when DynamoDB Local stops)',
    undefined: 'in a DynamoDB Local run by another program',
  }[String(dynamodbData) as 'disk' | 'memory' | 'undefined'];
  const lines = [
    '',
    'RocketMQ Connect runs on this machine.',
    `  Web console      ${functions.apiUrl}/  (sign in with the token below)`,
    `  REST API         ${functions.apiUrl}`,
    `  API token        ${token.token}  (${origin})`,
    `  Lambda endpoint  ${functions.lambdaEndpoint}  (${FUNCTIONS.map(offlineFunctionName).join(', ')})`,
    `  state            table ${settings.stateTable} ${data}, mirrored to ${topics.join(', ')}`,
    '',
    'Try it: paste this in another terminal (a file copied through RocketMQ by two connectors).',
    '',
    exampleCommands(functions.apiUrl, token.token),
    '',
    'Ctrl-C stops everything this run started.',
    '',
  ];
  console.log(lines.join('\n'));
}
