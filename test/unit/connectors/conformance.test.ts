import { describe, expect, it } from 'vitest';
import { connectorPlugins } from '../../../lib/connectors/index.js';
import { datagenAdapter } from './adapters/datagen.js';
import { fileStreamSinkAdapter } from './adapters/file-stream-sink.js';
import { fileStreamSourceAdapter } from './adapters/file-stream-source.js';
import { describeSinkConformance, describeSourceConformance } from './conformance/describe.js';

const sources = [fileStreamSourceAdapter, datagenAdapter];
const sinks = [fileStreamSinkAdapter];

describe('built-in connectors', () => {
  it('each runs the conformance suite through an adapter and has a distinct name', () => {
    const adapted = [...sources, ...sinks].map((a) => a.plugin.className);
    expect(connectorPlugins.map((p) => p.className).sort()).toEqual(adapted.sort());
    const names = connectorPlugins.flatMap((p) => [p.className, ...p.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});

for (const adapter of sources) describeSourceConformance(adapter);
for (const adapter of sinks) describeSinkConformance(adapter);
