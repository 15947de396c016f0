import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;
const CR = 0x0d;

/** One complete line and the byte position just after its '\n'. */
export interface Line {
  readonly text: string;
  readonly end: number;
}

/**
 * Reads complete lines from a file handle, from a byte position, a chunk at a time. Lines are
 * cut on the '\n' byte before decoding: no byte of a multi-byte UTF-8 character is 0x0a, so a
 * character split between two reads is whole again by the time its line is decoded.
 */
export class LineReader {
  /** Bytes read but not yet returned: the start of a line whose '\n' has not been seen. */
  #pending: Buffer = Buffer.alloc(0);
  /** The file position of `#pending`'s first byte. */
  #start: number;

  constructor(
    private readonly handle: FileHandle,
    position: number,
    private readonly chunkSize = 64 * 1024,
  ) {
    this.#start = position;
  }

  /**
   * Up to `max` complete lines. A trailing line without '\n' stays pending until it is
   * completed (it may still be being written); an empty result means end of file for now.
   */
  async read(max: number): Promise<Line[]> {
    const lines: Line[] = [];
    for (;;) {
      this.#takeLines(lines, max);
      if (lines.length >= max) return lines;
      const chunk = Buffer.allocUnsafe(this.chunkSize);
      const readAt = this.#start + this.#pending.length;
      const { bytesRead } = await this.handle.read(chunk, 0, chunk.length, readAt);
      if (bytesRead === 0) return lines;
      this.#pending = Buffer.concat([this.#pending, chunk.subarray(0, bytesRead)]);
    }
  }

  #takeLines(into: Line[], max: number): void {
    let from = 0;
    while (into.length < max) {
      const nl = this.#pending.indexOf(NEWLINE, from);
      if (nl < 0) break;
      // "\r\n" ends a line as "\n" does; the '\r' is not part of the text.
      const textEnd = nl > from && this.#pending[nl - 1] === CR ? nl - 1 : nl;
      into.push({
        text: this.#pending.toString('utf8', from, textEnd),
        end: this.#start + nl + 1,
      });
      from = nl + 1;
    }
    if (from > 0) {
      // A copy, so the consumed bytes (possibly a whole chunk) are not kept alive by a view.
      this.#pending = Buffer.from(this.#pending.subarray(from));
      this.#start += from;
    }
  }
}
