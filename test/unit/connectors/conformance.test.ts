import { describe, expect, it } from 'vitest';
import { connectorPlugins, jdbcSink, jdbcSource } from '../../../lib/connectors/index.js';
import { datagenAdapter } from './adapters/datagen.js';
import { fileStreamSinkAdapter } from './adapters/file-stream-sink.js';
import { fileStreamSourceAdapter } from './adapters/file-stream-source.js';
import { jdbcSinkDescriptor } from './adapters/jdbc-sink.js';
import { jdbcSourceDescriptor } from './adapters/jdbc-source.js';
import { describeSinkConformance, describeSourceConformance } from './conformance/describe.js';
import { describeConnectorConformance } from './conformance/descriptor.js';

const sources = [fileStreamSourceAdapter, datagenAdapter];
const sinks = [fileStreamSinkAdapter];
/**
 * Connectors whose behaviour needs a real service: their descriptor checks run here, the whole
 * suite in the integration tier (test/integration/<name>-conformance.test.ts, same adapter).
 */
const withService = [
  { plugin: jdbcSource, descriptor: jdbcSourceDescriptor },
  { plugin: jdbcSink, descriptor: jdbcSinkDescriptor },
];

describe('built-in connectors', () => {
  it('each runs the conformance suite through an adapter and has a distinct name', () => {
    const adapted = [...sources, ...sinks, ...withService].map((a) => a.plugin.className);
    expect(connectorPlugins.map((p) => p.className).sort()).toEqual(adapted.sort());
    const names = connectorPlugins.flatMap((p) => [p.className, ...p.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});

for (const adapter of sources) describeSourceConformance(adapter);
for (const adapter of sinks) describeSinkConformance(adapter);
for (const adapter of withService) describeConnectorConformance(adapter.plugin, adapter.descriptor);
