/**
 * The local stack's command line: `up`, `down [--purge]`, `status`, and `run` (the whole
 * platform until Ctrl-C, then stop what this run started). Used by the npm scripts stack:* and
 * start.
 */
import fs from 'node:fs';
import { FUNCTIONS } from '../aws/package.js';
import { StackError } from './jvm.js';
import { localApiToken, type LocalApiToken } from './api-token.js';
import { exampleCommands } from './example.js';
import { offlineFunctionName, startLocalFunctions, type LocalFunctions } from './functions.js';
import { invokedMirrorHandler } from './mirror-handler.js';
import { ensurePlatformState, startPlatformMirror } from './platform-mirror.js';
import { localLambdaClient } from './probes.js';
import { stackPaths } from './services.js';
import { loadStackSettings, SettingsError, type StackSettings } from './settings.js';
import { deadServices, stackDown, stackStatus, stackUp, type UpResult } from './stack.js';

const log = (line: string) => console.log(`[stack] ${line}`);

async function up(
  settings: StackSettings,
  defaults?: { dynamodbData: 'memory' | 'disk' },
): Promise<UpResult> {
  const started = Date.now();
  const result = await stackUp(settings, log, defaults);
  for (const [name, outcome] of Object.entries(result.outcomes)) {
    const how = {
      started: 'started',
      reused: 'already up, reused',
      external: 'run by another program, reused',
    };
    log(`${name.padEnd(8)} ${how[outcome]}`);
  }
  const { info } = result;
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`RocketMQ proxy (gRPC)  ${info.rocketmq.endpoint}`);
  log(`RocketMQ name server   ${info.rocketmq.namesrv}`);
  log(`DynamoDB Local         ${info.dynamodb.endpoint}`);
  log(`logs                   ${stackPaths(settings.stackDir).logs}`);
  return result;
}

async function status(settings: StackSettings): Promise<number> {
  const statuses = await stackStatus(settings);
  for (const s of statuses) {
    const pid = s.pid === undefined ? (s.ready ? 'not ours' : '-') : `pid ${s.pid}`;
    console.log(
      `${s.name.padEnd(9)} ${(s.ready ? 'ready' : 'DOWN').padEnd(6)} ${pid.padEnd(11)} ${s.detail}`,
    );
  }
  return statuses.every((s) => s.ready) ? 0 : 1;
}

async function down(settings: StackSettings, purge: boolean): Promise<void> {
  const stopped = await stackDown(settings, log);
  log(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'nothing of this stack was running');
  if (purge) {
    fs.rmSync(stackPaths(settings.stackDir).rocketmqStore, { recursive: true, force: true });
    log('removed the broker store');
  }
}

/**
 * `npm start`: the whole platform on this machine, until Ctrl-C. The local stack (reused if up;
 * DynamoDB Local keeps its data on disk when started here), the state table and topics, the four
 * functions under serverless-offline (HTTP API, Lambda invoke endpoint, the coordinator's
 * schedule), and a poller of the table's stream invoking the mirror function. Ctrl-C (or
 * SIGTERM) stops everything this run started, in reverse order.
 */
async function run(settings: StackSettings): Promise<number> {
  // Listen from the start, so a Ctrl-C during startup still stops what was started. Ctrl-C
  // reaches every process of the terminal's group and tsx relays it: keep listening (not `once`),
  // or the second SIGINT would kill us halfway through stopping.
  const stopRequest = new AbortController();
  const onSignal = () => {
    if (stopRequest.signal.aborted) return;
    log('stopping...');
    stopRequest.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopped = new Promise<'stopped'>((resolve) =>
    stopRequest.signal.addEventListener('abort', () => resolve('stopped')),
  );

  const undo: { what: string; stop: () => Promise<void> }[] = [];
  try {
    const { outcomes, info } = await up(settings, { dynamodbData: 'disk' });
    if (Object.values(outcomes).some((o) => o === 'started')) {
      undo.push({ what: 'the local stack', stop: () => down(settings, false) });
    } else {
      log('this run did not start the stack: it stays up after Ctrl-C');
    }
    if (stopRequest.signal.aborted) return 0;

    const { topics } = await ensurePlatformState(settings, info, log);
    const token = localApiToken(settings);
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
      invokedMirrorHandler(lambda, offlineFunctionName('mirror')),
      (line) => console.log(`[mirror] ${line}`),
    );
    undo.push({
      what: 'the state mirror',
      stop: async () => {
        await mirror.stop();
        lambda.destroy();
      },
    });

    printBanner(settings, functions, token, topics);
    const watch = setInterval(() => {
      for (const dead of deadServices(settings)) log(`${dead} stopped unexpectedly; see its log`);
    }, 5_000);
    const ended = await Promise.race([stopped, functions.exited]);
    clearInterval(watch);
    if (ended === 'stopped') return 0;
    log(`serverless-offline exited (code ${ended}) on its own; stopping the rest`);
    return 1;
  } finally {
    for (const { what, stop } of undo.reverse()) {
      try {
        await stop();
        log(`stopped ${what}`);
      } catch (error) {
        log(`could not stop ${what}: ${(error as Error).message}`);
      }
    }
  }
}

function printBanner(
  settings: StackSettings,
  functions: LocalFunctions,
  token: LocalApiToken,
  topics: string[],
): void {
  const origin = {
    env: 'from CONNECT_API_TOKEN',
    generated: `generated, kept in ${token.file}; set CONNECT_API_TOKEN to choose one`,
    kept: `kept in ${token.file}; set CONNECT_API_TOKEN to choose one`,
  }[token.origin];
  const lines = [
    '',
    'RocketMQ Connect runs on this machine.',
    `  REST API         ${functions.apiUrl}`,
    `  API token        ${token.token}  (${origin})`,
    `  Lambda endpoint  ${functions.lambdaEndpoint}  (${FUNCTIONS.map(offlineFunctionName).join(', ')})`,
    `  state            table ${settings.stateTable}, mirrored to ${topics.join(', ')}`,
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const settings = loadStackSettings();
  switch (command) {
    case 'up':
      await up(settings);
      return 0;
    case 'down':
      await down(settings, rest.includes('--purge'));
      return 0;
    case 'status':
      return status(settings);
    case 'run':
      return run(settings);
    default:
      console.error('usage: cli.ts up | down [--purge] | status | run');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StackError || error instanceof SettingsError) {
      console.error(`[stack] error: ${error.message}`);
    } else {
      console.error('[stack] unexpected error:', error);
    }
    process.exit(1);
  },
);
