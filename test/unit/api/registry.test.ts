import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SinkConnectorPlugin, SourceConnectorPlugin } from '../../../lib/api/connector.js';
import type { ConverterPlugin } from '../../../lib/api/converter.js';
import { NonRetriableError, PluginNotFoundError } from '../../../lib/api/errors.js';
import { createRegistry } from '../../../lib/api/registry.js';
import type { TransformPlugin } from '../../../lib/api/transform.js';

const unused = (): never => {
  throw new Error('not used');
};

function source(className: string, aliases: string[] = []): SourceConnectorPlugin {
  return {
    type: 'source',
    className,
    aliases,
    version: '1.0',
    configDef: [],
    configSchema: z.object({}),
    taskConfigs: (config) => [config],
    createTask: unused,
  };
}

function sink(className: string, aliases: string[] = []): SinkConnectorPlugin {
  return { ...source(className, aliases), type: 'sink', createTask: unused };
}

const fileSource = source('org.apache.kafka.connect.file.FileStreamSourceConnector', [
  'org.apache.rocketmq.connect.file.FileSourceConnector',
]);
const fileSink = sink('org.apache.kafka.connect.file.FileStreamSinkConnector');
const jsonConverter: ConverterPlugin = {
  type: 'converter',
  className: 'org.apache.kafka.connect.json.JsonConverter',
  aliases: [],
  version: '1.0',
  create: unused,
};
const insertField: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.InsertField$Value',
  aliases: [],
  version: '1.0',
  create: unused,
};

describe('PluginRegistry', () => {
  const registry = createRegistry([fileSource, fileSink, jsonConverter, insertField]);

  it.each([
    'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'org.apache.rocketmq.connect.file.FileSourceConnector',
    'FileStreamSourceConnector',
    'FileStreamSource',
    'filestreamsource',
    'FileSourceConnector',
    'FileSource',
    ' FileStreamSource ',
  ])('finds one connector by %s', (name) => {
    expect(registry.find(name)).toBe(fileSource);
    expect(registry.get(name)).toBe(fileSource);
  });

  it('finds converters and transforms in namespaces of their own', () => {
    expect(registry.findComponent('converter', 'JsonConverter')).toBe(jsonConverter);
    expect(registry.findComponent('converter', 'Json')).toBe(jsonConverter);
    expect(registry.findComponent('transformation', 'InsertField$Value')).toBe(insertField);
    expect(registry.find('JsonConverter')).toBeUndefined();
    expect(registry.findComponent('predicate', 'InsertField$Value')).toBeUndefined();
  });

  it('fails a lookup naming what was asked and the close matches', () => {
    let thrown: unknown;
    try {
      registry.get('FileStreamSourc');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PluginNotFoundError);
    const error = thrown as PluginNotFoundError;
    expect(error.requested).toBe('FileStreamSourc');
    expect(error.closeMatches[0]).toBe(fileSource.className);
    expect(error.message).toBe(
      `no connector plugin matches "FileStreamSourc"; did you mean ${fileSource.className}, ${fileSink.className}?`,
    );
    expect(error.retriable).toBe(false);
    expect(() => registry.getComponent('transformation', 'Jdbc')).toThrow(
      /^no transformation plugin matches "Jdbc": not available here; the transforms are: \S/,
    );
  });

  it('refuses two plugins claiming one class name or alias, naming both', () => {
    const other = source('com.example.OtherSource', [fileSource.className]);
    expect(() => createRegistry([fileSource, other])).toThrow(NonRetriableError);
    expect(() => createRegistry([fileSource, other])).toThrow(
      `duplicate connector plugin name "${fileSource.className}": claimed by ${fileSource.className} and com.example.OtherSource`,
    );
  });

  it('lets a short name two plugins derive find neither, while full names still do', () => {
    const a = source('com.a.JdbcSourceConnector');
    const b = source('com.b.JdbcSourceConnector');
    const both = createRegistry([a, b]);
    expect(both.find('JdbcSource')).toBeUndefined();
    expect(both.find('com.a.JdbcSourceConnector')).toBe(a);
    expect(() => both.get('JdbcSource')).toThrow(
      /did you mean com\.a\.JdbcSourceConnector, com\.b\.JdbcSourceConnector/,
    );
  });

  it("lets a plugin's explicit alias win over another plugin's short name", () => {
    const explicit = source('com.example.Generator', ['FileStreamSource']);
    const both = createRegistry([fileSource, explicit]);
    expect(both.find('FileStreamSource')).toBe(explicit);
    expect(both.find('FileStreamSourceConnector')).toBe(fileSource);
  });

  it('lists connectors for GET /connector-plugins, and every plugin when asked', () => {
    expect(registry.list()).toEqual([
      { class: fileSink.className, type: 'sink', version: '1.0' },
      { class: fileSource.className, type: 'source', version: '1.0' },
    ]);
    expect(registry.list({ connectorsOnly: false }).map((p) => p.type)).toEqual([
      'sink',
      'source',
      'converter',
      'transformation',
    ]);
  });
});
