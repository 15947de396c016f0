/**
 * Writes Timestamp records through JdbcSinkTask in a process of its own, so that the test can
 * choose the process's TZ (`node --import tsx test/integration/jdbc-sink-worker.ts '<json>'`).
 * The argument: `{ config, table, instants: [epochMs…] }`; row i gets id i and instant i.
 */
import { SchemaBuilder, type SinkRecord } from '../../lib/api/plugin-kit.js';
import { JdbcSinkTask } from '../../lib/connectors/jdbc-sink/task.js';
import { WarmResourceCache } from '../../lib/runtime/warm-resource-cache.js';

export interface WorkerInput {
  readonly config: Record<string, string>;
  readonly topic: string;
  readonly instants: readonly number[];
}

export const timestampSchema = SchemaBuilder.struct()
  .field('id', SchemaBuilder.int32())
  .field('at', SchemaBuilder.timestamp())
  .build();

/** Record i: id i, `at` instant i. */
export function timestampRecords(topic: string, instants: readonly number[]): SinkRecord[] {
  return instants.map((ms, id) => ({
    topic,
    partition: undefined,
    offset: undefined,
    timestamp: 0,
    key: null,
    value: { id, at: new Date(ms) },
    valueSchema: timestampSchema,
    headers: [],
  }));
}

async function main(input: WorkerInput): Promise<void> {
  const cache = new WarmResourceCache();
  const slice = cache.forSlice();
  const task = new JdbcSinkTask();
  try {
    await task.start(input.config, {
      connector: 'tz-worker',
      taskId: 0,
      signal: new AbortController().signal,
      resources: slice.resources,
    });
    await task.put(timestampRecords(input.topic, input.instants));
    await task.flush();
  } finally {
    await task.stop();
    slice.release();
    await cache.closeAll();
  }
}

if (process.argv[2] !== undefined) {
  main(JSON.parse(process.argv[2]) as WorkerInput).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
