import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SliceOutcome } from '../runtime/slice-runner.js';
import { serviceNameOf } from './logging.js';

/** The CloudWatch namespace of the platform's metrics. */
export const METRICS_NAMESPACE = 'RocketMQConnect';

/** One metric of one slice, as CloudWatch gets it. */
export interface SliceMetric {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  readonly value: number;
}

const count = (name: string, value: number): SliceMetric => ({ name, unit: 'Count', value });

/**
 * What a slice did, as metrics, from the counters it reported. Every outcome has at least one,
 * so that no invocation publishes an empty set (Powertools warns of each).
 */
export function sliceMetricsOf(outcome: SliceOutcome): SliceMetric[] {
  switch (outcome.kind) {
    case 'ran': {
      const c = outcome.counters;
      return [
        count('RecordsIn', c.sourceRecordPoll + c.sinkRecordRead),
        count('RecordsOut', c.sourceRecordWrite + c.sinkRecordSend),
        count('Errors', c.recordErrors),
        count('DeadLettered', c.deadLettered),
        { name: 'SliceDuration', unit: 'Milliseconds', value: c.sliceMillis },
        count('FailedSlices', outcome.status.state === 'FAILED' ? 1 : 0),
      ];
    }
    case 'skipped':
      return [count('SkippedSlices', 1)];
    case 'fenced':
      return [count('FencedSlices', 1)];
  }
}

/**
 * The task function's metrics, in CloudWatch's embedded metric format (one JSON line on stdout
 * per invocation, which CloudWatch Logs turns into metrics; locally, just a line). Its own
 * warnings go to the function's logger.
 */
export function sliceMetrics(logger: Logger): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: serviceNameOf('task'), logger });
}

/** Adds a slice's metrics, per connector and task; `logMetrics` publishes them after it. */
export function addSliceMetrics(
  metrics: Metrics,
  task: { readonly connector: string; readonly taskId: number },
  outcome: SliceOutcome,
): void {
  metrics.addDimensions({ connector: task.connector, task: String(task.taskId) });
  for (const metric of sliceMetricsOf(outcome)) {
    metrics.addMetric(metric.name, MetricUnit[metric.unit], metric.value);
  }
}

/**
 * A system check's metrics (a check request, not a slice): one check, and the problems it
 * found. No connector dimension: a config being validated may not have a name yet.
 */
export function addCheckMetrics(metrics: Metrics, problems: readonly unknown[]): void {
  metrics.addMetric('SystemChecks', MetricUnit.Count, 1);
  metrics.addMetric('SystemCheckProblems', MetricUnit.Count, problems.length);
}
