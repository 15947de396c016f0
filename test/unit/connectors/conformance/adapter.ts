// What a connector gives the conformance suite: its plugin, and how to drive the external system
// behind it. Each check sets up a fresh fixture and tears it down, so checks never share data.
import type { SinkConnectorPlugin, SourceConnectorPlugin } from '../../../../lib/api/connector.js';
import type { ConnectorConfig } from '../../../../lib/api/connector-config.js';
import type { SourceRecord } from '../../../../lib/api/record.js';
import type { ConformanceFixture } from './descriptor.js';
import type { Check } from './verdict.js';

/** An external system prepared for one check, empty at first. */
export interface Fixture {
  /**
   * The task config (as `taskConfigs` gives it, `${...}` resolved), read at each task start, so
   * a fixture may change it between slices (datagen's `count` grows as records are appended).
   */
  config(): ConnectorConfig;
  /** Releases what `setUp` made: files, tables, connections. */
  tearDown(): Promise<void>;
}

/** Runs `use` on a fresh fixture, always torn down after. */
async function withFixture<F extends { tearDown(): Promise<void> }, T>(
  setUp: () => Promise<F>,
  use: (fixture: F) => Promise<T>,
): Promise<T> {
  const fixture = await setUp();
  try {
    return await use(fixture);
  } finally {
    await fixture.tearDown();
  }
}

/**
 * A check whose `body` runs on a fresh fixture (torn down after) and throws ConformanceError
 * when the connector breaks the rule. Every check applies to every connector of its kind: an
 * adapter cannot opt out, so no rule goes unchecked.
 */
export function fixtureCheck<F extends Fixture, A extends { readonly setUp: () => Promise<F> }>(
  name: string,
  body: (adapter: A, fixture: F) => Promise<void>,
): Check<A> {
  return {
    name,
    run: (adapter) => withFixture(adapter.setUp, (fixture) => body(adapter, fixture)),
  };
}

export interface SourceFixture extends Fixture {
  /** Adds `n` new records to the source system, after every record added before. */
  append(n: number): Promise<void>;
}

/**
 * How the suite drives a source connector.
 *
 * @example
 * describeSourceConformance({
 *   plugin: fileStreamSource,
 *   descriptor: { validConfig, badConfigs },
 *   setUp: async () => { const dir = await mkdtemp(...); return { config, append, tearDown }; },
 * });
 */
export interface SourceConformanceAdapter {
  readonly plugin: SourceConnectorPlugin;
  /** The descriptor checks' fixture: configs it accepts and rejects. */
  readonly descriptor: ConformanceFixture;
  /** An empty source system, and a config that reads it. */
  readonly setUp: () => Promise<SourceFixture>;
  /**
   * What makes two deliveries the same record; by default its topic, partition, offset, key and
   * value (never the timestamp, which may be the time of the poll).
   */
  identity?(record: SourceRecord): unknown;
  /**
   * Empty polls in a row after which the source is taken to have nothing more for now (default
   * 3): more for a source whose data reaches the task asynchronously (a broker's prefetch).
   */
  readonly emptyPollsWhenDrained?: number;
  /** How long an idle poll may wait for data (a long poll) before it answers `[]`; default 0. */
  readonly longPollMs?: number;
}

/** The records the suite hands a sink: record `i` has key `key-i` and this value. */
export interface SuiteValue {
  readonly id: number;
  readonly text: string;
}

export interface SinkFixture extends Fixture {
  /** What the target holds now, one item per record written, as `adapter.written` gives them. */
  read(): Promise<readonly unknown[]>;
  /** Makes the target refuse writes, so that `flush` fails; resolves to what heals it. */
  breakTarget(): Promise<() => Promise<void>>;
}

/** How the suite drives a sink connector. */
export interface SinkConformanceAdapter {
  readonly plugin: SinkConnectorPlugin;
  readonly descriptor: ConformanceFixture;
  /**
   * An empty target, and a config that writes to it. The suite adds `topics`, the converters
   * (keys as strings, values as schemaless JSON) and the `errors.*` keys it needs.
   */
  readonly setUp: () => Promise<SinkFixture>;
  /** How record `key`/`value` reads back from the target (an item of `fixture.read()`). */
  written(key: string, value: SuiteValue): unknown;
  /**
   * Whether delivering a batch twice leaves the target as delivering it once does; when false,
   * a batch delivered twice must still leave every record, and only copies of them, in it.
   */
  readonly idempotent: boolean;
  /** A value the target refuses (besides bytes the converter refuses), if it refuses any. */
  readonly refusedValue?: SuiteValue;
}
