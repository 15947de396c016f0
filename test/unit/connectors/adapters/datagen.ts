// Datagen through the conformance suite: "appending" raises `count`, which the next task reads.
import { datagenSource } from '../../../../lib/connectors/index.js';
import type { SourceConformanceAdapter } from '../conformance/adapter.js';

const base = { name: 'c1', topic: 'out' };

export const datagenAdapter: SourceConformanceAdapter = {
  plugin: datagenSource,
  descriptor: {
    validConfig: { ...base, count: '1000', rate: '10', 'record.size': '64', keys: '5' },
    badConfigs: [
      { config: { ...base, count: '-2' }, key: 'count' },
      { config: { ...base, rate: '1.5' }, key: 'rate' },
      { config: { ...base, 'record.size': 'big' }, key: 'record.size' },
      { config: { ...base, keys: '0' }, key: 'keys' },
      { config: { ...base, seed: '4e2' }, key: 'seed' },
    ],
  },
  setUp() {
    let count = 0;
    return Promise.resolve({
      config: () => ({ ...base, count: String(count), 'record.size': '16', keys: '5' }),
      append: (n: number) => {
        count += n;
        return Promise.resolve();
      },
      tearDown: () => Promise.resolve(),
    });
  },
};
