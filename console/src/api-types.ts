// The REST API's shapes the console reads: the server's own types (type-only imports, erased
// from the build), so the two cannot drift apart.
import type {
  ConnectorInfo,
  ConnectorMetricsInfo,
  ConnectorStateInfo,
} from '../../lib/http/views.js';
import type { OffsetEntry } from '../../lib/api/source-offsets.js';

export type { PluginInfo } from '../../lib/api/registry.js';
export type { ConfigInfos, ConfigKeyInfo } from '../../lib/config/validate-result.js';
export type {
  ConnectorInfo,
  ConnectorMetricsInfo as ConnectorMetrics,
  ConnectorStateInfo as ConnectorStatus,
  ConnectorType,
  CounterValues as TaskCounters,
  TaskMetricsInfo as TaskMetrics,
} from '../../lib/http/views.js';
export type { RuntimeState } from '../../lib/state/types.js';

/** `GET /connectors?expand=status&expand=info&expand=metrics`. */
export type ExpandedConnectors = Record<
  string,
  {
    readonly status: ConnectorStateInfo;
    readonly info: ConnectorInfo;
    readonly metrics: ConnectorMetricsInfo;
  }
>;

/** `GET /connectors/{name}/offsets` (sources). */
export interface SourceOffsets {
  readonly offsets: readonly OffsetEntry[];
}

export type {
  MessageView,
  PreviewAnswer,
  PreviewError,
  PreviewStep,
  PreviewedRecord,
  RecordView,
} from '../../lib/runtime/preview-answer.js';
