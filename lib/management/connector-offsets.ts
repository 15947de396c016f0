import type { PluginRegistry } from '../api/registry.js';
import type { OffsetEntry, SourceOffset, SourcePartition } from '../api/source-offsets.js';
import { topicPattern } from '../config/common-parse.js';
import { consumerGroupOf, parseConnectorConfig, type CommonConfig } from '../config/parse.js';
import { ConnectorNotFoundError } from '../state/errors.js';
import type { StateStore } from '../state/types.js';
import { NotApplicableError } from './errors.js';
import { sinkOffsetEntries, sinkOffsetMoves, type ConsumerGroupOffsets } from './sink-offsets.js';

export interface ConnectorOffsetsDeps {
  readonly store: StateStore;
  readonly registry: PluginRegistry;
  /** Sink connectors' consumer groups; absent where the API has no name server to ask. */
  readonly groupOffsets?: ConsumerGroupOffsets;
  readonly now: () => number;
}

type Entries = readonly { partition: SourcePartition; offset: SourceOffset | null }[];

/** What a sink reads: its consumer group, and its topics (or the regex that picks them). */
interface SinkReads {
  readonly group: string;
  readonly common: CommonConfig;
}

/**
 * Kafka Connect's offsets API (KIP-875) for both kinds of connector. A source's offsets are
 * in the state table; a sink's are its consumer group's positions on the brokers. Changes are
 * made only while the connector is STOPPED, and only after every task lease is fenced, so no
 * slice still running can commit (a source) over the change; a sink's brokers are changed
 * after that fence.
 */
export class ConnectorOffsets {
  constructor(private readonly deps: ConnectorOffsetsDeps) {}

  async read(name: string): Promise<OffsetEntry[]> {
    const sink = await this.sinkOf(name, 'read its offsets');
    if (!sink) return this.deps.store.readOffsets(name);
    const groups = this.groups(name, sink);
    return sinkOffsetEntries(await groups.positions(sink.group, await topicsOf(groups, sink)));
  }

  /** Replaces (or, with a null offset, removes or rewinds) offsets; only while STOPPED. */
  async alter(name: string, entries: Entries): Promise<void> {
    const sink = await this.sinkOf(name, 'alter its offsets');
    if (!sink) {
      await this.deps.store.alterOffsets(name, { kind: 'alter', entries }, this.deps.now());
      return;
    }
    const groups = this.groups(name, sink);
    const moves = sinkOffsetMoves(entries);
    await this.fenceStopped(name);
    await groups.moveTo(sink.group, moves);
  }

  /** Every offset removed (a source) or every queue rewound to its earliest (a sink). */
  async reset(name: string): Promise<void> {
    const sink = await this.sinkOf(name, 'reset its offsets');
    if (!sink) {
      await this.deps.store.alterOffsets(name, { kind: 'reset' }, this.deps.now());
      return;
    }
    const groups = this.groups(name, sink);
    await this.fenceStopped(name);
    const positions = await groups.positions(sink.group, await topicsOf(groups, sink));
    await groups.moveTo(
      sink.group,
      positions.map((p) => ({ queue: p, offset: 'earliest' as const })),
    );
  }

  /**
   * The state store's offsets change with no entries: refused unless the connector is
   * STOPPED, and fencing every task's lease.
   */
  private fenceStopped(name: string): Promise<void> {
    return this.deps.store.alterOffsets(name, { kind: 'alter', entries: [] }, this.deps.now());
  }

  private groups(name: string, sink: SinkReads): ConsumerGroupOffsets {
    if (!this.deps.groupOffsets) {
      throw new NotApplicableError(
        `${JSON.stringify(name)} is a sink connector, whose offsets are RocketMQ consumer group ${sink.group}'s positions, and this API has no name server to ask (ROCKETMQ_NAMESRV); see them with mqadmin consumerProgress -g ${sink.group}`,
      );
    }
    return this.deps.groupOffsets;
  }

  /** The sink's group and topics; undefined for a source (or a config that no longer parses). */
  private async sinkOf(name: string, action: string): Promise<SinkReads | undefined> {
    const record = await this.deps.store.getConnector(name);
    if (!record) throw new ConnectorNotFoundError(name, action);
    let common: CommonConfig;
    try {
      common = parseConnectorConfig(record.config, this.deps.registry).common;
    } catch {
      return undefined; // a plugin gone: its source offsets may still need managing
    }
    return common.type === 'sink' ? { group: consumerGroupOf(common), common } : undefined;
  }
}

/** The topics a sink reads: those it names, or those its `topics.regex` matches now. */
async function topicsOf(groups: ConsumerGroupOffsets, sink: SinkReads): Promise<string[]> {
  const { topics, topicsRegex } = sink.common;
  if (topics !== undefined) return [...topics];
  if (topicsRegex === undefined) return [];
  const pattern = topicPattern(topicsRegex);
  return (await groups.listTopics()).filter((t) => pattern.test(t));
}
