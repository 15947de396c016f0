import { SchemaBuilder, Schemas } from '../../api/plugin-kit.js';

/** The schema of every generated value. */
export const DATAGEN_VALUE_SCHEMA = SchemaBuilder.struct()
  .name('rocketmq.connect.datagen.Record')
  .field('id', Schemas.INT64)
  .field('key', Schemas.STRING)
  .field('seq', Schemas.INT64)
  .field('payload', Schemas.STRING)
  .build();

export interface DatagenValue {
  /** Unique across the connector's tasks: the task id above bit 40, the sequence below. */
  readonly id: number;
  readonly key: string;
  readonly seq: number;
  readonly payload: string;
}

export interface GeneratorOptions {
  readonly seed: number;
  readonly task: number;
  readonly keys: number;
  readonly recordSize: number;
}

const TWO_32 = 2 ** 32;
const TWO_40 = 2 ** 40;

/** A 32-bit integer finaliser (Chris Wellons' lowbias32): small input changes flip many bits. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds a safe integer (which may exceed 32 bits, or be negative) into a running hash. */
function fold(h: number, n: number): number {
  return mix32(mix32(h ^ n) ^ Math.floor(n / TWO_32));
}

/**
 * Record `seq` of a task: a pure function of (seed, task, seq), with no state carried from one
 * record to the next, so a slice resuming from any offset regenerates byte-identical records.
 */
export function generate(options: GeneratorOptions, seq: number): DatagenValue {
  const h = fold(fold(fold(0x9e3779b9, options.seed), options.task), seq);
  const key = `key-${h % options.keys}`;
  // Two hashes give 14 base-36 characters; repeating them is cheaper than drawing every byte
  // and is enough for payloads whose job is to weigh something.
  const token =
    h.toString(36).padStart(7, '0') +
    mix32(h ^ 0x85ebca6b)
      .toString(36)
      .padStart(7, '0');
  const payload = token
    .repeat(Math.ceil(options.recordSize / token.length))
    .slice(0, options.recordSize);
  return { id: options.task * TWO_40 + seq, key, seq, payload };
}
