import { describe, expect, it } from 'vitest';
import type { ConfigInfos, ConfigKeyInfo } from '../../../console/src/api-types.js';
import {
  configToSend,
  errorsByKey,
  formSections,
  inputKindOf,
  parsePastedConfig,
  PasteError,
  pluginTitle,
} from '../../../console/src/config-form.js';

function def(name: string, overrides: Partial<ConfigKeyInfo> = {}): ConfigKeyInfo {
  return {
    name,
    type: 'STRING',
    required: false,
    default_value: null,
    importance: 'LOW',
    documentation: `The ${name}.`,
    group: 'Common',
    order_in_group: 1,
    width: 'NONE',
    display_name: name,
    dependents: [],
    ...overrides,
  };
}

describe('inputKindOf', () => {
  it('gives secrets a password input, by type or by name', () => {
    expect(inputKindOf(def('x', { type: 'PASSWORD' }))).toBe('password');
    expect(inputKindOf(def('connection.password'))).toBe('password');
    expect(inputKindOf(def('aws.secret.key'))).toBe('password');
    expect(inputKindOf(def('file'))).toBe('text');
  });

  it('maps numbers, booleans and lists', () => {
    expect(inputKindOf(def('a', { type: 'INT' }))).toBe('number');
    expect(inputKindOf(def('a', { type: 'LONG' }))).toBe('number');
    expect(inputKindOf(def('a', { type: 'BOOLEAN' }))).toBe('boolean');
    expect(inputKindOf(def('a', { type: 'LIST' }))).toBe('list');
  });
});

describe('formSections', () => {
  it('puts the plugin’s own keys first, shows required and HIGH keys, hides the rest', () => {
    const sections = formSections(
      [
        def('name', { required: true, importance: 'HIGH' }),
        def('connector.class', { required: true, importance: 'HIGH' }),
        def('tasks.max', { importance: 'HIGH' }),
        def('max.tasks', { importance: 'HIGH', documentation: 'Same as tasks.max.' }),
        def('key.converter'),
        def('errors.tolerance', { group: 'Error Handling', importance: 'MEDIUM' }),
        def('file', { group: null, required: true, importance: 'HIGH' }),
        def('batch.size', { group: null }),
      ],
      'FileStreamSource',
    );
    expect(
      sections.map((s) => [s.title, s.shown.map((d) => d.name), s.more.map((d) => d.name)]),
    ).toEqual([
      ['FileStreamSource', ['file'], ['batch.size']],
      ['Common', ['tasks.max'], ['max.tasks', 'key.converter']],
      ['Error Handling', [], ['errors.tolerance']],
    ]);
  });
});

describe('pluginTitle', () => {
  it('shortens a class name as the API’s short names do', () => {
    expect(pluginTitle('org.apache.kafka.connect.file.FileStreamSourceConnector')).toBe(
      'FileStreamSource',
    );
    expect(pluginTitle('Datagen')).toBe('Datagen');
    expect(pluginTitle('a.Connector')).toBe('Connector');
  });
});

describe('configToSend', () => {
  it('leaves empty fields to their defaults and names the plugin', () => {
    expect(configToSend('P', { file: '/tmp/x', 'tasks.max': '' }, 'c1')).toEqual({
      file: '/tmp/x',
      'connector.class': 'P',
      name: 'c1',
    });
    expect(configToSend('P', { 'connector.class': 'other' }, '')).toEqual({
      'connector.class': 'P',
    });
  });
});

const valueInfo = (name: string, errors: string[]) => ({
  name,
  value: null,
  recommended_values: [],
  errors,
  visible: true,
});

describe('errorsByKey', () => {
  it('keeps the keys that have errors', () => {
    const infos: ConfigInfos = {
      name: 'P',
      error_count: 1,
      groups: ['Common'],
      configs: [
        { definition: def('file'), value: valueInfo('file', []) },
        { definition: def('tasks.max'), value: valueInfo('tasks.max', ['Not a number']) },
      ],
    };
    expect(errorsByKey(infos)).toEqual({ 'tasks.max': ['Not a number'] });
  });
});

describe('parsePastedConfig', () => {
  it('reads the POST /connectors body', () => {
    expect(
      parsePastedConfig('{"name": "a", "config": {"connector.class": "X", "tasks.max": 2}}'),
    ).toEqual({ name: 'a', config: { 'connector.class': 'X', 'tasks.max': '2' } });
  });

  it('reads flat JSON, with the name among the keys', () => {
    expect(parsePastedConfig('{"name": "a", "connector.class": "X", "b": true}')).toEqual({
      name: 'a',
      config: { 'connector.class': 'X', b: 'true' },
    });
  });

  it('reads .properties as Java does', () => {
    expect(
      parsePastedConfig(
        '# a file\nname=lines\nconnector.class : FileStreamSource\nfile /tmp/a\\\n  b\n',
      ),
    ).toEqual({
      name: 'lines',
      config: { 'connector.class': 'FileStreamSource', file: '/tmp/ab' },
    });
  });

  it('refuses what it cannot read, saying why', () => {
    expect(() => parsePastedConfig('  ')).toThrow(/Paste a config/);
    expect(() => parsePastedConfig('{"name": ')).toThrow(PasteError);
    expect(() => parsePastedConfig('{"config": [1]}')).toThrow(/"config" must be an object/);
    expect(() => parsePastedConfig('{"a": {"b": 1}}')).toThrow(/"a" must be a string/);
    expect(() => parsePastedConfig('{"config": {"a": null}}')).toThrow(/"config.a" .* not null/);
    expect(() => parsePastedConfig('name=only')).toThrow(/no keys/);
    expect(() => parsePastedConfig('a=\\u12')).toThrow(/line 1/);
  });
});
