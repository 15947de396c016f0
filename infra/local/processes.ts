import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What the stack remembers of a process it started. The start time (clock ticks since boot, from
 * /proc) makes sure a stop never signals an unrelated process that reused the PID.
 */
export interface ProcessRecord {
  readonly pid: number;
  readonly startTicks: number;
  readonly command: string;
  readonly logFile: string;
}

/** Starts a detached process whose output goes to a log file, so no terminal or pipe holds it. */
export function spawnDetached(
  command: string,
  args: readonly string[],
  options: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv },
): Promise<ProcessRecord> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        const pid = child.pid;
        const startTicks = pid === undefined ? undefined : readStartTicks(pid);
        if (pid === undefined || startTicks === undefined) {
          reject(new Error(`${command} exited at once; see ${options.logFile}`));
          return;
        }
        resolve({
          pid,
          startTicks,
          command: [command, ...args].join(' '),
          logFile: options.logFile,
        });
      });
    });
  } finally {
    fs.closeSync(log);
  }
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot. */
export function readStartTicks(pid: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseStartTicks(stat);
}

/** Parses /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
export function parseStartTicks(stat: string): number | undefined {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state), so field 22 is at index 19.
  const ticks = Number(afterName[19]);
  return Number.isSafeInteger(ticks) ? ticks : undefined;
}

/** True while the recorded process (same PID and same start time) is alive and not a zombie. */
export function isAlive(record: ProcessRecord): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${record.pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && parseStartTicks(stat) === record.startTicks;
}

/** Sends SIGTERM, waits for a clean exit, then SIGKILL. Only ever signals the recorded process. */
export async function stopProcess(record: ProcessRecord, graceMs = 20_000): Promise<void> {
  if (!isAlive(record)) return;
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) return;
    await sleep(200);
  }
  if (isAlive(record)) process.kill(record.pid, 'SIGKILL');
  while (isAlive(record)) await sleep(100);
}

/** Resolves true when nothing listens on the port (on any address). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Reads and writes one JSON record per managed process, `<name>.pid.json` in a folder. */
export class PidFiles {
  constructor(private readonly dir: string) {}

  read(name: string): ProcessRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(name), 'utf8')) as ProcessRecord;
    } catch {
      return undefined;
    }
  }

  write(name: string, record: ProcessRecord): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(this.file(name), JSON.stringify(record, null, 2));
  }

  /** Every record in the folder, by name. */
  all(): Map<string, ProcessRecord> {
    const records = new Map<string, ProcessRecord>();
    if (!fs.existsSync(this.dir)) return records;
    for (const file of fs.readdirSync(this.dir)) {
      const name = file.replace(/\.pid\.json$/, '');
      const record = file === name ? undefined : this.read(name);
      if (record) records.set(name, record);
    }
    return records;
  }

  remove(name: string): void {
    fs.rmSync(this.file(name), { force: true });
  }

  private file(name: string): string {
    return path.join(this.dir, `${name}.pid.json`);
  }
}

/** The last lines of a log, to show why a service did not come up. */
export function tailOf(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}
