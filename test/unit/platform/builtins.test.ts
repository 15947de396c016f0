import { describe, expect, test } from 'vitest';
import { parseConnectorConfig, validateConnectorConfig } from '../../../lib/config/parse.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';

const registry = createBuiltinRegistry();

describe('the built-in plugins', () => {
  test.each([
    ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
    ['FileStreamSource', 'source'],
    ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'],
    ['FileStreamSink', 'sink'],
    ['datagen', 'source'],
  ])('find the connector %s', (name, type) => {
    expect(registry.find(name)?.type).toBe(type);
  });

  test('find converters, transforms and predicates by their Kafka Connect class names', () => {
    expect(
      registry.findComponent('converter', 'org.apache.kafka.connect.json.JsonConverter'),
    ).toBeDefined();
    expect(
      registry.findComponent('converter', 'org.apache.kafka.connect.storage.StringConverter'),
    ).toBeDefined();
    expect(
      registry.findComponent('converter', 'org.apache.kafka.connect.converters.ByteArrayConverter'),
    ).toBeDefined();
    expect(
      registry.findComponent('transformation', 'org.apache.kafka.connect.transforms.RegexRouter'),
    ).toBeDefined();
    expect(
      registry.findComponent(
        'transformation',
        'org.apache.kafka.connect.transforms.InsertField$Value',
      ),
    ).toBeDefined();
    expect(
      registry.findComponent(
        'predicate',
        'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      ),
    ).toBeDefined();
  });

  test("accept Kafka Connect's own FileStreamSource example config with a converter and a transform chain", () => {
    const config = {
      name: 'local-file-source',
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: '/tmp/test.txt',
      topic: 'connect-test',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      transforms: 'route,stamp',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': 'connect-(.*)',
      'transforms.route.replacement': 'copied-$1',
      'transforms.stamp.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.stamp.static.field': 'origin',
      'transforms.stamp.static.value': 'file',
    };
    expect(validateConnectorConfig(config, registry).error_count).toBe(0);
    const { common, plugin } = parseConnectorConfig(config, registry);
    expect(plugin.taskConfigs(config, common.tasksMax)).toHaveLength(1);
    expect(common.transforms.map((t) => t.name)).toEqual(['route', 'stamp']);
  });

  test('name a bad key of a built-in transform in the validate answer', () => {
    const result = validateConnectorConfig(
      {
        name: 'bad',
        'connector.class': 'FileStreamSink',
        topics: 'in',
        file: '/tmp/out.txt',
        transforms: 'route',
        'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
        'transforms.route.regex': '(unclosed',
        'transforms.route.replacement': 'x',
      },
      registry,
    );
    expect(result.error_count).toBeGreaterThan(0);
    const errors = result.configs.find((c) => c.value.name === 'transforms.route.regex')?.value
      .errors;
    expect(errors?.length).toBeGreaterThan(0);
  });
});
