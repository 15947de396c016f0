import { describe, expect, it } from 'vitest';
import { connectorPlugins } from '../../../lib/connectors/index.js';
import { describeConnectorConformance, type ConformanceFixture } from './conformance.js';

const base = { name: 'c1', topic: 'out' };

const fixtures: Record<string, ConformanceFixture> = {
  'org.apache.kafka.connect.file.FileStreamSourceConnector': {
    validConfig: { ...base, file: '/tmp/in.txt', 'batch.size': '10' },
    badConfigs: [
      { config: base, key: 'file' },
      { config: { ...base, file: '  ' }, key: 'file' },
      { config: { ...base, file: '/f', 'batch.size': '10x' }, key: 'batch.size' },
      { config: { ...base, file: '/f', 'batch.size': '0' }, key: 'batch.size' },
    ],
  },
  'org.apache.kafka.connect.file.FileStreamSinkConnector': {
    validConfig: { name: 'c1', topics: 'in', file: '/tmp/out.txt' },
    badConfigs: [{ config: { name: 'c1' }, key: 'file' }],
  },
  'rocketmq.connect.datagen.DatagenSourceConnector': {
    validConfig: { ...base, count: '1000', rate: '10', 'record.size': '64', keys: '5' },
    badConfigs: [
      { config: { ...base, count: '-2' }, key: 'count' },
      { config: { ...base, rate: '1.5' }, key: 'rate' },
      { config: { ...base, 'record.size': 'big' }, key: 'record.size' },
      { config: { ...base, keys: '0' }, key: 'keys' },
      { config: { ...base, seed: '4e2' }, key: 'seed' },
    ],
  },
};

describe('built-in connectors', () => {
  it('each has a conformance fixture and a distinct name', () => {
    expect(connectorPlugins.map((p) => p.className).sort()).toEqual(Object.keys(fixtures).sort());
    const names = connectorPlugins.flatMap((p) => [p.className, ...p.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});

for (const plugin of connectorPlugins) {
  const fixture = fixtures[plugin.className];
  if (fixture) describeConnectorConformance(plugin, fixture);
}
