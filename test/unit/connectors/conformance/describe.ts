// The conformance suite as vitest tests: the descriptor checks, then one test per behavioural
// check. A connector's tests call one of these with its adapter (unit tier, or integration tier
// against its real local service).
import { describe, expect, it } from 'vitest';
import type { SinkConformanceAdapter, SourceConformanceAdapter } from './adapter.js';
import { describeConnectorConformance } from './descriptor.js';
import { sinkChecks } from './sink-checks.js';
import { sourceChecks } from './source-checks.js';
import type { Check } from './verdict.js';

/** A check waits on real time (idle window, long polls, handles closing): room for a slow machine. */
const CHECK_TIMEOUT_MS = 30_000;

function describeChecks<A>(title: string, checks: readonly Check<A>[], adapter: A): void {
  describe(`${title}`, () => {
    for (const check of checks) {
      it(
        `${check.name}`,
        () => expect(check.run(adapter)).resolves.toBeUndefined(),
        CHECK_TIMEOUT_MS,
      );
    }
  });
}

/**
 * The whole suite for a source connector.
 *
 * @example
 * describeSourceConformance(fileStreamSourceAdapter);
 */
export function describeSourceConformance(adapter: SourceConformanceAdapter): void {
  describeConnectorConformance(adapter.plugin, adapter.descriptor);
  describeChecks(`${adapter.plugin.className} as a source`, sourceChecks, adapter);
}

/** The whole suite for a sink connector. */
export function describeSinkConformance(adapter: SinkConformanceAdapter): void {
  describeConnectorConformance(adapter.plugin, adapter.descriptor);
  describeChecks(`${adapter.plugin.className} as a sink`, sinkChecks, adapter);
}
