import {
  intValue,
  offsetNumber,
  parsePluginConfig,
  Schemas,
  type ConnectorConfig,
  type SourcePartition,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../api/plugin-kit.js';
import { datagenKeys, TASK_ID_KEY } from './config.js';
import { DATAGEN_VALUE_SCHEMA, generate, type GeneratorOptions } from './generator.js';

const taskSchema = datagenKeys.configSchema.extend({
  [TASK_ID_KEY]: intValue({ min: 0 }).optional(),
});

/** Records returned by one poll at most: big enough for throughput, small enough to stop on time. */
export const DATAGEN_BATCH = 500;

/**
 * Generates records `seq`, `seq + 1`, ... from the committed `{ seq }` of its partition
 * `{ datagen: <connector>, task: <task id> }`.
 */
export class DatagenSourceTask implements SourceTask {
  #options: GeneratorOptions = { seed: 0, task: 0, keys: 1, recordSize: 0 };
  #count = -1;
  #rate = 0;
  #partition: SourcePartition = {};
  #seq = 0;
  /** When this slice's first poll ran, and how many records it has returned since. */
  #startedAt: number | undefined;
  #emitted = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly batchSize = DATAGEN_BATCH,
  ) {}

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    const parsed = parsePluginConfig('Datagen', taskSchema, config);
    const task = parsed[TASK_ID_KEY] ?? context.taskId;
    this.#options = {
      seed: parsed.seed,
      task,
      keys: parsed.keys,
      recordSize: parsed['record.size'],
    };
    this.#count = parsed.count;
    this.#rate = parsed.rate;
    this.#partition = { datagen: context.connector, task };
    const [committed] = await context.offsets.read([this.#partition]);
    this.#seq = committed
      ? offsetNumber(committed.offset['seq'], 'seq', `datagen task ${task}`)
      : 0;
  }

  poll(): Promise<SourceRecord[]> {
    const now = this.clock();
    const n = Math.min(this.batchSize, this.#remaining(), this.#allowed(now));
    const records: SourceRecord[] = [];
    for (let i = 0; i < n; i++) {
      const value = generate(this.#options, this.#seq);
      this.#seq++;
      records.push({
        partition: this.#partition,
        offset: { seq: this.#seq },
        timestamp: now,
        key: value.key,
        keySchema: Schemas.STRING,
        value,
        valueSchema: DATAGEN_VALUE_SCHEMA,
        headers: [],
      });
    }
    this.#emitted += n;
    return Promise.resolve(records);
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  #remaining(): number {
    return this.#count < 0 ? Infinity : Math.max(0, this.#count - this.#seq);
  }

  /**
   * Records the rate allows now. The first record is due at once, so a slice never starts
   * idle; after that, ahead of the rate means none, and the runtime backs off instead of spinning.
   */
  #allowed(now: number): number {
    if (this.#rate === 0) return Infinity;
    this.#startedAt ??= now;
    const due = Math.floor(((now - this.#startedAt) * this.#rate) / 1000) + 1;
    return Math.max(0, due - this.#emitted);
  }
}
