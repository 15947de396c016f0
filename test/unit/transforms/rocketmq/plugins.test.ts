import { describe, expect, test } from 'vitest';
import { transformPlugins } from '../../../../lib/transforms/index.js';
import { rocketmqTransformPlugins } from '../../../../lib/transforms/rocketmq/index.js';

describe("RocketMQ Connect's transforms in the registry", () => {
  test('each comes as $Key and $Value under its RocketMQ Connect class name', () => {
    const names = rocketmqTransformPlugins.map((p) => p.className);
    const expected = [
      'ChangeCase',
      'ExtractNestedField',
      'PatternFilter',
      'PatternRename',
      'SetMaximumPrecision',
      'SetNull',
    ].flatMap((t) =>
      ['Key', 'Value'].map((part) => `org.apache.rocketmq.connect.transforms.${t}$${part}`),
    );
    expect(names).toEqual(expected);
  });

  test('they are among the built-in transforms, each creating a working transform', () => {
    for (const plugin of rocketmqTransformPlugins) {
      expect(transformPlugins).toContain(plugin);
      expect(plugin.type).toBe('transformation');
      expect(typeof plugin.create().apply).toBe('function');
    }
  });

  test('every key a transform reads is declared, with its documentation', () => {
    const keys = Object.fromEntries(
      rocketmqTransformPlugins.map((p) => [
        p.className.split('.').at(-1),
        (p.configDef ?? []).map((d) => d.name),
      ]),
    );
    expect(keys).toMatchObject({
      ChangeCase$Value: ['from', 'to'],
      ExtractNestedField$Value: [
        'input.outer.field.name',
        'input.inner.field.name',
        'output.field.name',
      ],
      PatternFilter$Value: ['pattern', 'fields'],
      PatternRename$Value: ['field.pattern', 'field.pattern.flags', 'field.replacement'],
      SetMaximumPrecision$Value: ['precision.max'],
      SetNull$Value: [],
    });
    for (const p of rocketmqTransformPlugins) {
      for (const d of p.configDef ?? []) expect(d.documentation).not.toBe('');
    }
  });
});
