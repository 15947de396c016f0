import { open, type FileHandle } from 'node:fs/promises';
import {
  parsePluginConfig,
  type ConnectorConfig,
  type SinkRecord,
  type SinkTask,
} from '../../api/plugin-kit.js';
import { fileStreamSinkKeys } from './config.js';
import { jsonText } from '../../util/json-text.js';

/**
 * A value as one line of text. Kafka prints `value.toString()` (so null is "null"); a struct or
 * an array here is a plain object, which `String` would print as "[object Object]", so those
 * are written as JSON instead.
 */
export function lineOf(value: unknown): string {
  if (typeof value !== 'object' || value === null || value instanceof Date) return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return jsonText(value);
}

/**
 * A slice killed in the middle of a write leaves a last line without its newline. Those records
 * were never flushed, so they were never acked and will come again: the torn part is cut, so
 * that the next line does not run on from it.
 */
async function cutTornLine(handle: FileHandle): Promise<void> {
  const { size } = await handle.stat();
  if (size === 0) return;
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const slice = chunk.subarray(0, bytesRead);
    if (end === size && slice[bytesRead - 1] === NEWLINE) return; // whole lines only
    const lastNewline = slice.lastIndexOf(NEWLINE);
    if (lastNewline >= 0) {
      await handle.truncate(start + lastNewline + 1);
      return;
    }
    end = start;
  }
  await handle.truncate(0); // one torn line and nothing before it
}

const NEWLINE = 0x0a;

/**
 * Kafka's FileStreamSinkTask: `put` buffers, `flush` appends and fsyncs, since the runtime acks
 * the messages as soon as `flush` resolves.
 */
export class FileStreamSinkTask implements SinkTask {
  #handle: FileHandle | undefined;
  #buffered: string[] = [];

  async start(config: ConnectorConfig): Promise<void> {
    const { file } = parsePluginConfig('FileStreamSink', fileStreamSinkKeys.configSchema, config);
    // Opened (and created) now, as Kafka does, so a path that cannot be written fails the start.
    this.#handle = await open(file, 'a+');
    await cutTornLine(this.#handle);
  }

  put(records: readonly SinkRecord[]): Promise<void> {
    for (const record of records) this.#buffered.push(lineOf(record.value));
    return Promise.resolve();
  }

  async flush(): Promise<void> {
    if (!this.#handle) throw new Error('FileStreamSinkTask.flush called before start');
    if (this.#buffered.length === 0) return;
    // One write, so a task's batch stays together when several tasks append to the file.
    await this.#handle.write(this.#buffered.map((line) => `${line}\n`).join(''));
    await this.#handle.sync();
    // Dropped only once durable: a failed flush is retried with the same lines.
    this.#buffered = [];
  }

  async stop(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#buffered = [];
    await handle?.close();
  }
}
