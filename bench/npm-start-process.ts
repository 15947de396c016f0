/**
 * `npm start` driven as a child, as a user runs it in a terminal: its own process group (so a
 * Ctrl-C reaches all of it), its output kept and logged, its process tree found through /proc.
 * Shared by the end-to-end test of `npm start` and the benches that run the platform whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, isPortFree, PidFiles } from '../infra/local/processes.js';
import { stackPaths } from '../infra/local/services.js';
import { repoRoot } from '../infra/local/settings.js';
import { processTree } from './process-stats.js';

/** What `npm start` prints once everything runs. */
export const READY_LINE = /Ctrl-C stops everything this run started/;

export class NpmStart {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  hasExited = false;
  private readonly child: ChildProcess;

  constructor(env: NodeJS.ProcessEnv, logFile: string) {
    const log = fs.openSync(logFile, 'a');
    // Its own process group, as a terminal gives a command: Ctrl-C signals the whole group.
    this.child = spawn('npm', ['start'], {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        this.output.push(chunk);
        fs.writeSync(log, chunk);
      });
    }
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.hasExited = true;
        resolve(code);
      }),
    );
    // Output may still come after 'exit'; 'close' is after the last of it.
    this.child.once('close', () => fs.closeSync(log));
  }

  get pid(): number {
    return this.child.pid!;
  }

  text(): string {
    return this.output.join('');
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let endedAt: number | undefined;
    void this.exited.then(() => (endedAt = Date.now()));
    while (Date.now() < deadline) {
      const match = this.text().match(pattern);
      if (match) return match;
      // The runner's last lines may come after npm itself has ended (it ends on Ctrl-C at once).
      if (endedAt !== undefined && Date.now() - endedAt > 30_000) {
        throw new Error(`npm start exited before printing ${pattern}:\n${this.tail()}`);
      }
      await sleep(250);
    }
    throw new Error(`npm start did not print ${pattern} in time:\n${this.tail()}`);
  }

  tail(lines = 60): string {
    return this.text().split('\n').slice(-lines).join('\n');
  }

  /** The process and all its descendants, found through /proc before any is signalled. */
  tree(): number[] {
    return processTree(this.pid);
  }

  /** SIGKILL to the whole tree at once, as a crash of the machine's processes would. */
  async killTree(): Promise<void> {
    for (const pid of this.tree()) signal(pid, 'SIGKILL');
    await this.exited;
  }

  /** Ctrl-C as a terminal sends it (to the group), then waits for the runner's last line. */
  async interrupt(timeoutMs = 120_000): Promise<void> {
    signal(-this.pid, 'SIGINT');
    await this.waitFor(
      /\[stack\] (stopped the local stack|stopped during startup)|this run did not start the stack/,
      timeoutMs,
    );
    await this.exited;
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

export async function waitUntilFree(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isPortFree(port))) {
    if (Date.now() > deadline) throw new Error(`port ${port} is still taken`);
    await sleep(200);
  }
}

/** The processes a run's stack folder records (the JVMs and the npm start runner), by name. */
export function stackPidsOf(stackDir: string): Record<string, number> {
  const records = new PidFiles(stackPaths(stackDir).pids).all();
  return Object.fromEntries([...records].map(([name, record]) => [name, record.pid]));
}

/** SIGKILLs what a run's stack folder records as running (a run may die before its tree is read). */
export function killStackOf(stackDir: string): void {
  for (const record of new PidFiles(stackPaths(stackDir).pids).all().values()) {
    if (isAlive(record)) signal(record.pid, 'SIGKILL');
  }
}

/**
 * Seeds a fresh stack folder with the Maven classpaths and native library of `from` when it has
 * them, so a run in a new folder does not resolve the jars again.
 */
export function seedStackDir(from: string, to: string): void {
  for (const sub of ['classpath', 'native']) {
    const source = `${from}/${sub}`;
    if (fs.existsSync(source)) fs.cpSync(source, `${to}/${sub}`, { recursive: true });
  }
}
