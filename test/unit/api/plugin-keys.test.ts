import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { intValue, textValue } from '../../../lib/api/config-values.js';
import { ConfigError } from '../../../lib/api/errors.js';
import {
  defaultedKey,
  optionalKey,
  parsePluginConfig,
  pluginKeys,
  requiredKey,
} from '../../../lib/api/plugin-keys.js';

const doc = { type: 'STRING', importance: 'HIGH', documentation: 'A key.' } as const;

const keys = pluginKeys({
  'host.name': requiredKey(doc, textValue()),
  'batch.size': defaultedKey({ ...doc, type: 'INT' }, '100', intValue({ min: 1 })),
  label: optionalKey(doc, z.string()),
});

describe('pluginKeys', () => {
  it('documents the keys in the order of its table, with requiredness and defaults', () => {
    expect(keys.configDef).toEqual([
      { name: 'host.name', ...doc, required: true },
      { name: 'batch.size', ...doc, type: 'INT', required: false, default: '100' },
      { name: 'label', ...doc, required: false },
    ]);
  });

  it('parses given keys, fills defaults, leaves optional keys out and lets others pass', () => {
    expect(keys.configSchema.parse({ 'host.name': ' db ', other: 'x' })).toEqual({
      'host.name': 'db',
      'batch.size': 100,
    });
  });
});

describe('parsePluginConfig', () => {
  it('returns the parsed keys', () => {
    expect(
      parsePluginConfig('Db', keys.configSchema, { 'host.name': 'db', 'batch.size': '5' }),
    ).toMatchObject({ 'batch.size': 5 });
  });

  it.each([
    [{}, 'host.name', 'Db: Missing required configuration "host.name"'],
    [
      { 'host.name': 'db', 'batch.size': '0' },
      'batch.size',
      'Db: Invalid value for configuration: Value must be at least 1 "batch.size"',
    ],
  ])('fails on a bad config with a ConfigError naming the key', (config, key, message) => {
    const fail = () => parsePluginConfig('Db', keys.configSchema, config);
    expect(fail).toThrow(ConfigError);
    expect(fail).toThrow(expect.objectContaining({ key, message }));
  });
});
