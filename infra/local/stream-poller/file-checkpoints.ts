import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointStore, ShardCheckpoint } from './stream-poller.js';

/**
 * A local poller's checkpoints in a JSON file, one entry per stream. Written to a temporary
 * file and renamed, so a poller killed mid-write leaves the previous checkpoint whole. The file
 * is read once: one poller writes it.
 */
export class FileCheckpointStore implements CheckpointStore {
  #all: Promise<Record<string, Record<string, ShardCheckpoint>>> | undefined;

  constructor(private readonly file: string) {}

  async load(streamArn: string): Promise<Record<string, ShardCheckpoint>> {
    return (await this.#read())[streamArn] ?? {};
  }

  async save(streamArn: string, shards: Readonly<Record<string, ShardCheckpoint>>): Promise<void> {
    const all = { ...(await this.#read()), [streamArn]: shards };
    this.#all = Promise.resolve(all);
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(all, null, 2));
    await rename(temporary, this.file);
  }

  #read(): Promise<Record<string, Record<string, ShardCheckpoint>>> {
    this.#all ??= this.#readFile();
    return this.#all;
  }

  async #readFile(): Promise<Record<string, Record<string, ShardCheckpoint>>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<
        string,
        Record<string, ShardCheckpoint>
      >;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`checkpoint file ${this.file} is unreadable: ${String(error)}`, {
        cause: error,
      });
    }
  }
}
