/**
 * CPU seconds and peak memory of groups of processes, read from /proc while they run: what the
 * benches charge to a worker (a JVM, `npm start`'s process tree) over a measured window.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second, the unit of /proc/PID/stat's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const PAGE_BYTES = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** Its own user + system ticks, and those of the children it has waited for. */
  readonly ownTicks: number;
  readonly reapedTicks: number;
  readonly rssBytes: number;
  /** When it started, in ticks after boot (tells a reused PID apart). */
  readonly startTicks: number;
}

/** /proc/PID/stat parsed; undefined once the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces and parentheses), from field 3 on.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(f[n - 3]);
  return {
    pid,
    ppid: field(4),
    ownTicks: field(14) + field(15),
    reapedTicks: field(16) + field(17),
    rssBytes: field(24) * PAGE_BYTES,
    startTicks: field(22),
  };
}

/** The process and all its descendants, found through /proc (before any is signalled). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    found.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  if (fs.existsSync(`/proc/${root}`)) visit(root);
  return found;
}

export interface GroupUsage {
  readonly cpuSeconds: number;
  /** The highest sum of the group's resident memory seen in one sample. */
  readonly peakRssBytes: number;
}

interface Seen {
  readonly startTicks: number;
  readonly ppid: number;
  /** Own + reaped ticks at the first sample that saw it (0 if it started within the window). */
  readonly first: number;
  last: number;
}

/**
 * Samples named groups of processes every `intervalMs` from start() to stop(). A group's CPU is
 * what its processes used in the window: for each, its ticks at the last sample minus its ticks
 * at the first (or since its start, for one started within the window). The ticks include the
 * children a process has waited for, so short-lived children between two samples are counted
 * through their parent; a child that was sampled and then reaped is counted through its parent
 * only (its own samples are dropped), so nothing is counted twice.
 */
export class UsageSampler {
  private readonly seen = new Map<string, Map<number, Seen>>();
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private windowStartTicks = 0;

  constructor(
    /** The processes of each group now; called at every sample. */
    private readonly groups: () => Record<string, readonly number[]>,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.windowStartTicks = uptimeTicks();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Takes a last sample and answers each group's usage over the window. */
  stop(): Record<string, GroupUsage> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const usage: Record<string, GroupUsage> = {};
    for (const [group, processes] of this.seen) {
      let ticks = 0;
      for (const p of processes.values()) ticks += p.last - p.first;
      usage[group] = {
        cpuSeconds: ticks / TICKS_PER_SECOND,
        peakRssBytes: this.peaks.get(group) ?? 0,
      };
    }
    return usage;
  }

  private sample(): void {
    for (const [group, pids] of Object.entries(this.groups())) {
      const processes = this.seen.get(group) ?? new Map<number, Seen>();
      this.seen.set(group, processes);
      let rss = 0;
      const alive = new Set<number>();
      for (const pid of pids) {
        const stat = readProcStat(pid);
        if (!stat) continue;
        alive.add(pid);
        rss += stat.rssBytes;
        const total = stat.ownTicks + stat.reapedTicks;
        const known = processes.get(pid);
        if (known && known.startTicks === stat.startTicks) {
          known.last = total;
        } else {
          const first = stat.startTicks >= this.windowStartTicks ? 0 : total;
          processes.set(pid, { startTicks: stat.startTicks, ppid: stat.ppid, first, last: total });
        }
      }
      // Gone since the last sample and waited for by a parent of the group: the parent's reaped
      // ticks now hold all of its lifetime, so keep only a correction for the part it had used
      // before the window. (Without such a parent, its last sample stands.)
      for (const [pid, p] of processes) {
        if (!alive.has(pid) && alive.has(p.ppid)) p.last = 0;
      }
      this.peaks.set(group, Math.max(this.peaks.get(group) ?? 0, rss));
    }
  }
}

/** Seconds since boot, in clock ticks (the unit of a process's start time). */
function uptimeTicks(): number {
  const seconds = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Math.floor(seconds * TICKS_PER_SECOND);
}

export const MIB = 1024 * 1024;
