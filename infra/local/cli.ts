/**
 * The local stack's command line: `up`, `down [--purge]`, `status`, and `run` (the whole
 * platform until Ctrl-C, then stop what this run started). Used by the npm scripts stack:* and
 * start, through `node --import tsx`: the `tsx` command relays a Ctrl-C to its child and
 * SIGKILLs it if it does not answer within 60 ms, which a busy run would not, leaving the JVMs
 * it started behind.
 */
import fs from 'node:fs';
import { EnvError } from '../../lib/platform/env.js';
import { TopicAdminError } from '../../lib/rocketmq/topic-admin.js';
import { StackError } from './jvm.js';
import { runPlatform } from './platform-run.js';
import { stackPaths } from './services.js';
import { loadStackSettings, SettingsError, type StackSettings } from './settings.js';
import { stackDown, stackStatus, stackUp, type UpResult } from './stack.js';

const log = (line: string) => console.log(`[stack] ${line}`);

async function up(
  settings: StackSettings,
  options?: Parameters<typeof stackUp>[2],
): Promise<UpResult> {
  const started = Date.now();
  const result = await stackUp(settings, log, options);
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
      return runPlatform(
        settings,
        {
          up: (options) => up(settings, options),
          down: () => down(settings, false),
        },
        log,
      );
    default:
      console.error('usage: cli.ts up | down [--purge] | status | run');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // What the user can fix gets one clear line; anything else, its stack trace.
    if (
      error instanceof StackError ||
      error instanceof SettingsError ||
      error instanceof EnvError ||
      error instanceof TopicAdminError
    ) {
      console.error(`[stack] error: ${error.message}`);
    } else {
      console.error('[stack] unexpected error:', error);
    }
    process.exit(1);
  },
);
