/**
 * The local stack's command line: `up`, `down [--purge]`, `status`, and `run` (up, then keep it
 * up until Ctrl-C, then stop what this run started). Used by the npm scripts stack:* and start.
 */
import fs from 'node:fs';
import { StackError } from './jvm.js';
import { startPlatformMirror } from './platform-mirror.js';
import { stackPaths } from './services.js';
import { loadStackSettings, SettingsError, type StackSettings } from './settings.js';
import { deadServices, stackDown, stackStatus, stackUp, type UpResult } from './stack.js';

const log = (line: string) => console.log(`[stack] ${line}`);

async function up(settings: StackSettings): Promise<UpResult> {
  const started = Date.now();
  const result = await stackUp(settings, log);
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
 * `npm start`, until the platform's own functions run locally (serverless-offline): the stack
 * and the state mirror, kept up until Ctrl-C.
 */
async function run(settings: StackSettings): Promise<void> {
  const { outcomes, info } = await up(settings);
  const ours = Object.values(outcomes).some((o) => o === 'started');
  const mirror = await startPlatformMirror(settings, info, log);
  log('the local stack is up; press Ctrl-C to stop it');
  // Signal handlers alone do not keep Node running: a watch on the services does, and says so
  // when one of them dies. Ctrl-C reaches every process of the terminal's group, so tsx relays a
  // second SIGINT: keep listening (not `once`), or that signal would kill us halfway through.
  await new Promise<void>((resolve) => {
    const watch = setInterval(() => {
      for (const dead of deadServices(settings)) log(`${dead} stopped unexpectedly; see its log`);
    }, 5_000);
    let stopping = false;
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      clearInterval(watch);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await mirror.stop();
  if (ours) await down(settings, false);
  else log('leaving the stack running: this run did not start it');
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
      await run(settings);
      return 0;
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
