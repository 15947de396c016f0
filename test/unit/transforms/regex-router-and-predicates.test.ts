import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/api/errors.js';
import type { SinkRecord } from '../../../lib/api/record.js';
import { applyChain, type ChainEntry } from '../../../lib/api/transform.js';
import { predicatePlugins, transformPlugins } from '../../../lib/transforms/index.js';
import { HasHeaderKey, TopicNameMatches } from '../../../lib/transforms/predicates.js';
import { RegexRouter } from '../../../lib/transforms/regex-router.js';

const record = (topic: string, headers: SinkRecord['headers'] = []): SinkRecord => ({
  topic,
  partition: undefined,
  offset: undefined,
  timestamp: 0,
  key: null,
  value: 'v',
  headers,
});

function router(regex: string, replacement: string) {
  const t = new RegexRouter();
  t.configure({ regex, replacement });
  return t;
}

describe('RegexRouter', () => {
  it('rewrites a wholly matching topic with Java-style group references', () => {
    const t = router('(\\w+)-(\\d+)', '$2_$1-copy');
    expect(t.apply(record('orders-7'))?.topic).toBe('7_orders-copy');
    expect(router('(?<name>\\w+)\\.v1', 'x_${name}').apply(record('orders.v1'))?.topic).toBe(
      'x_orders',
    );
    expect(router('a', '\\$1').apply(record('a'))?.topic).toBe('$1');
  });

  it('leaves topics that match only in part unchanged', () => {
    expect(router('orders', 'x').apply(record('orders-eu'))?.topic).toBe('orders-eu');
  });

  it('reads $12 as group 1 then "2" when the regex has fewer than 12 groups', () => {
    expect(router('(a)', '$12').apply(record('a'))?.topic).toBe('a2');
  });

  it('refuses a bad regex or replacement with a ConfigError naming the key', () => {
    expect(() => router('(', 'x')).toThrow(ConfigError);
    expect(() => router('(', 'x')).toThrow(/"regex"/);
    expect(() => router('(a)', '$2')).toThrow(/replacement refers to group 2, but regex has 1/);
    expect(() => new RegexRouter().configure({ regex: 'a' })).toThrow(
      /Missing required configuration "replacement"/,
    );
  });
});

describe('predicates', () => {
  const routeAll = router('(.*)', 'routed-$1');

  it('TopicNameMatches with negate applies the transform to other topics only', () => {
    const predicate = new TopicNameMatches();
    predicate.configure({ pattern: 'audit.*' });
    const chain: ChainEntry[] = [{ transform: routeAll, predicate, negate: true }];
    const out = applyChain([record('orders'), record('audit-log')], chain);
    expect(out.map((r) => r.topic)).toEqual(['routed-orders', 'audit-log']);
  });

  it('HasHeaderKey applies the transform to records with the header', () => {
    const predicate = new HasHeaderKey();
    predicate.configure({ name: 'route' });
    const chain: ChainEntry[] = [{ transform: routeAll, predicate }];
    const out = applyChain([record('a', [{ key: 'route', value: '' }]), record('b')], chain);
    expect(out.map((r) => r.topic)).toEqual(['routed-a', 'b']);
  });

  it('refuses a bad pattern with a ConfigError naming the key', () => {
    expect(() => new TopicNameMatches().configure({ pattern: '[' })).toThrow(/"pattern"/);
  });
});

describe('plugins', () => {
  it("are registered under Kafka's class names", () => {
    const names = [...transformPlugins, ...predicatePlugins].map((p) => p.className);
    // RocketMQ Connect's own transforms (lib/transforms/rocketmq) are listed there.
    expect(names.filter((n) => !n.startsWith('org.apache.rocketmq.'))).toEqual([
      'org.apache.kafka.connect.transforms.InsertField$Key',
      'org.apache.kafka.connect.transforms.InsertField$Value',
      'org.apache.kafka.connect.transforms.RegexRouter',
      'org.apache.kafka.connect.transforms.ValueToKey',
      'org.apache.kafka.connect.transforms.ExtractField$Key',
      'org.apache.kafka.connect.transforms.ExtractField$Value',
      'org.apache.kafka.connect.transforms.MaskField$Key',
      'org.apache.kafka.connect.transforms.MaskField$Value',
      'org.apache.kafka.connect.transforms.ReplaceField$Key',
      'org.apache.kafka.connect.transforms.ReplaceField$Value',
      'org.apache.kafka.connect.transforms.HeaderFrom$Key',
      'org.apache.kafka.connect.transforms.HeaderFrom$Value',
      'org.apache.kafka.connect.transforms.InsertHeader',
      'org.apache.kafka.connect.transforms.DropHeaders',
      'org.apache.kafka.connect.transforms.Filter',
      'org.apache.kafka.connect.transforms.TimestampRouter',
      'org.apache.kafka.connect.transforms.Cast$Key',
      'org.apache.kafka.connect.transforms.Cast$Value',
      'org.apache.kafka.connect.transforms.TimestampConverter$Key',
      'org.apache.kafka.connect.transforms.TimestampConverter$Value',
      'org.apache.kafka.connect.transforms.Flatten$Key',
      'org.apache.kafka.connect.transforms.Flatten$Value',
      'org.apache.kafka.connect.transforms.HoistField$Key',
      'org.apache.kafka.connect.transforms.HoistField$Value',
      'org.apache.kafka.connect.transforms.SetSchemaMetadata$Key',
      'org.apache.kafka.connect.transforms.SetSchemaMetadata$Value',
      'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
      'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    ]);
  });
});
