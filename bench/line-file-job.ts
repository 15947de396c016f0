/**
 * The job the FileStream benches run: an input file of numbered, unique lines (`line 1` ...
 * `line N`), and a tally of the output file as a sink appends to it, so lines that arrived, lost
 * and duplicated are counted exactly, whichever system wrote them.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Writes `line <from>` ... `line <from + count - 1>`, one a line, appended to `file`. */
export function appendNumberedLines(file: string, from: number, count: number): void {
  const chunk = 10_000;
  for (let start = from; start < from + count; start += chunk) {
    const end = Math.min(start + chunk, from + count);
    let text = '';
    for (let i = start; i < end; i++) text += `line ${i}\n`;
    fs.appendFileSync(file, text);
  }
}

export interface Tally {
  /** Lines `line 1` ... `line expected` seen at least once. */
  readonly distinct: number;
  /** Lines seen beyond their first time. */
  readonly duplicates: number;
  /** Expected lines not (yet) seen. */
  readonly missing: number;
  /** Lines that are not `line <n>` with 1 <= n <= expected. */
  readonly foreign: number;
}

/**
 * Counts the lines of an output file that a sink appends to, reading only what was added since
 * the last call (a line without its newline yet waits for the next).
 */
export class OutputTally {
  private readonly counts: Uint8Array;
  private offset = 0;
  private partial = '';
  private distinct = 0;
  private duplicates = 0;
  private foreign = 0;

  constructor(
    private readonly file: string,
    private readonly expected: number,
  ) {
    this.counts = new Uint8Array(expected + 1);
  }

  read(): Tally {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.tally();
      throw error;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size > this.offset) {
        const buffer = Buffer.alloc(size - this.offset);
        const read = fs.readSync(fd, buffer, 0, buffer.length, this.offset);
        this.offset += read;
        this.add(buffer.subarray(0, read).toString('utf8'));
      }
    } finally {
      fs.closeSync(fd);
    }
    return this.tally();
  }

  private add(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^line (\d+)$/.exec(line);
      const n = match ? Number(match[1]) : 0;
      if (n < 1 || n > this.expected) {
        this.foreign++;
      } else if (this.counts[n] === 0) {
        this.counts[n] = 1;
        this.distinct++;
      } else {
        this.duplicates++;
      }
    }
  }

  private tally(): Tally {
    return {
      distinct: this.distinct,
      duplicates: this.duplicates,
      missing: this.expected - this.distinct,
      foreign: this.foreign,
    };
  }
}

/**
 * Polls the tally until every line has arrived, `until` says stop, or the timeout; `progress`
 * sees each poll. Answers the last tally and when it found every line (performance.now()).
 */
export async function waitForEveryLine(
  tally: OutputTally,
  options: {
    readonly timeoutMs: number;
    readonly until?: (t: Tally) => boolean;
    readonly progress?: (t: Tally) => void;
    readonly pollMs?: number;
  },
): Promise<{ readonly tally: Tally; readonly completeAt: number | undefined }> {
  const deadline = Date.now() + options.timeoutMs;
  let completeAt: number | undefined;
  for (;;) {
    const t = tally.read();
    options.progress?.(t);
    if (t.missing === 0) {
      completeAt = performance.now();
      break;
    }
    if (options.until?.(t) || Date.now() > deadline) break;
    await sleep(options.pollMs ?? 200);
  }
  return { tally: tally.read(), completeAt };
}
