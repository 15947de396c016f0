import { open, type FileHandle } from 'node:fs/promises';
import {
  offsetNumber,
  parsePluginConfig,
  Schemas,
  type ConnectorConfig,
  type SourcePartition,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../api/plugin-kit.js';
import { fileStreamSourceKeys } from './config.js';
import { LineReader } from './line-reader.js';

/**
 * Kafka's FileStreamSourceTask: partition `{ filename }`, offset `{ position }` (the byte
 * position after the record's line), so offsets carry over between the two platforms. Records
 * name no topic: the runtime sends them to the connector's `topic`.
 */
export class FileStreamSourceTask implements SourceTask {
  #file = '';
  #batchSize = 0;
  #partition: SourcePartition = {};
  #position = 0;
  #handle: FileHandle | undefined;
  #reader: LineReader | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    const parsed = parsePluginConfig('FileStreamSource', fileStreamSourceKeys.configSchema, config);
    this.#file = parsed.file;
    this.#batchSize = parsed['batch.size'];
    this.#partition = { filename: this.#file };
    const [committed] = await context.offsets.read([this.#partition]);
    this.#position = committed
      ? offsetNumber(committed.offset['position'], 'position', `file ${this.#file}`)
      : 0;
  }

  async poll(): Promise<SourceRecord[]> {
    const reader = await this.#openReader();
    if (!reader) return [];
    const lines = await reader.read(this.#batchSize);
    const timestamp = this.now();
    return lines.map((line) => ({
      partition: this.#partition,
      offset: { position: line.end },
      timestamp,
      key: null,
      value: line.text,
      valueSchema: Schemas.STRING,
      headers: [],
    }));
  }

  async stop(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#reader = undefined;
    await handle?.close();
  }

  /** The reader, opening the file on first use; undefined while the file does not exist. */
  async #openReader(): Promise<LineReader | undefined> {
    if (this.#reader) return this.#reader;
    try {
      this.#handle = await open(this.#file, 'r');
    } catch (error) {
      // Kafka waits for a missing file to appear; each poll tries again, quietly.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    this.#reader = new LineReader(this.#handle, this.#position);
    return this.#reader;
  }
}
