import { describe, expect, it } from 'vitest';
import { validateConnectorConfig } from '../../../lib/config/parse.js';
import { configInfosSchema } from '../../../lib/config/validate-result.js';
import { registry, sinkConfig, sourceConfig, withChanges } from './test-plugins.js';

const valueOf = (result: ReturnType<typeof validateConnectorConfig>, key: string) =>
  result.configs.find((c) => c.value.name === key);

describe('validateConnectorConfig', () => {
  it("answers in Kafka Connect's ConfigInfos shape, field for field", () => {
    const result = validateConnectorConfig(sourceConfig, registry);
    expect(configInfosSchema.parse(result)).toEqual(result);
    expect(Object.keys(result)).toEqual(['name', 'error_count', 'groups', 'configs']);
    const first = result.configs[0];
    expect(Object.keys(first ?? {})).toEqual(['definition', 'value']);
    expect(Object.keys(first?.definition ?? {})).toEqual([
      'name',
      'type',
      'required',
      'default_value',
      'importance',
      'documentation',
      'group',
      'order_in_group',
      'width',
      'display_name',
      'dependents',
    ]);
    expect(Object.keys(first?.value ?? {})).toEqual([
      'name',
      'value',
      'recommended_values',
      'errors',
      'visible',
    ]);
  });

  it('reports a valid config with error_count 0, named for the plugin class', () => {
    const result = validateConnectorConfig(sourceConfig, registry);
    expect(result.error_count).toBe(0);
    expect(result.name).toBe('org.apache.kafka.connect.file.FileStreamSourceConnector');
    expect(result.groups).toEqual([
      'Common',
      'Transforms',
      'Predicates',
      'Error Handling',
      'Runtime',
    ]);
  });

  it('shows defaults as values and numbers keys within their group', () => {
    const result = validateConnectorConfig(sourceConfig, registry);
    expect(valueOf(result, 'tasks.max')?.value.value).toBe('1');
    expect(valueOf(result, 'tasks.max')?.definition).toMatchObject({
      type: 'INT',
      required: false,
      default_value: '1',
      importance: 'HIGH',
      group: 'Common',
      order_in_group: 3,
    });
    expect(valueOf(result, 'batch.size')?.value.value).toBe('2000');
    expect(valueOf(result, 'topic')?.value.value).toBe('lines');
  });

  it('lists only the keys of the kind of connector', () => {
    const source = validateConnectorConfig(sourceConfig, registry);
    const sink = validateConnectorConfig(sinkConfig, registry);
    expect(valueOf(source, 'topic')).toBeDefined();
    expect(valueOf(source, 'topics')).toBeUndefined();
    expect(valueOf(sink, 'topics')).toBeDefined();
    expect(valueOf(sink, 'consumer.group')).toBeDefined();
    expect(valueOf(sink, 'connect.topicname')).toBeUndefined();
  });

  it('lists unknown keys without errors, as Kafka Connect lets them pass', () => {
    const result = validateConnectorConfig({ ...sourceConfig, 'my.extra': 'x' }, registry);
    expect(result.error_count).toBe(0);
    expect(valueOf(result, 'my.extra')).toEqual({
      definition: {
        name: 'my.extra',
        type: 'STRING',
        required: false,
        default_value: null,
        importance: 'LOW',
        documentation: '',
        group: null,
        order_in_group: -1,
        width: 'NONE',
        display_name: 'my.extra',
        dependents: [],
      },
      value: { name: 'my.extra', value: 'x', recommended_values: [], errors: [], visible: true },
    });
  });

  it('lists the keys of each transform in a group of its own', () => {
    const config = withChanges(sourceConfig, {
      transforms: 'stamp',
      'transforms.stamp.type': 'InsertField$Value',
      'transforms.stamp.static.field': 'src',
    });
    const result = validateConnectorConfig(config, registry);
    expect(result.groups).toContain('Transforms: stamp');
    expect(valueOf(result, 'transforms.stamp.type')?.definition.order_in_group).toBe(1);
    expect(valueOf(result, 'transforms.stamp.static.field')?.definition).toMatchObject({
      required: true,
      documentation: 'Field to add.',
    });
  });

  it('masks secret values, shows references, and never repeats a bad secret', () => {
    const config = withChanges(sinkConfig, {
      bearer: 'Zq9xK',
      'db.password': '${ssm:/db/password}',
      'other.password': 'hunter2',
      'value.converter.basic.auth.user.info': 'me:hunter2',
    });
    const result = validateConnectorConfig(config, registry);
    expect(valueOf(result, 'bearer')?.value.value).toBe('[hidden]');
    expect(valueOf(result, 'db.password')?.value.value).toBe('${ssm:/db/password}');
    expect(valueOf(result, 'other.password')?.value.value).toBe('[hidden]');
    expect(valueOf(result, 'value.converter.basic.auth.user.info')?.value.value).toBe('[hidden]');
    expect(valueOf(result, 'bearer')?.value.errors).toEqual([
      expect.stringMatching(/^Invalid value \[hidden\] for configuration bearer: /),
    ]);
    const text = JSON.stringify(result);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('Zq9xK');
  });

  it('does not quote a malformed reference in a secret key, which may be a password', () => {
    const config = withChanges(sinkConfig, { 'db.password': 'pa${ss:Qx7zz}' });
    const result = validateConnectorConfig(config, registry);
    expect(valueOf(result, 'db.password')?.value.errors).toEqual([
      'Malformed reference in db.password: unknown config provider "ss"; known: env, ssm, secretsmanager',
    ]);
    expect(JSON.stringify(result)).not.toContain('Qx7zz');
  });

  it('still answers when the connector class is unknown, with every common key', () => {
    const result = validateConnectorConfig(
      { ...sourceConfig, 'connector.class': 'Nope' },
      registry,
    );
    expect(result.name).toBe('Nope');
    expect(result.error_count).toBe(1);
    expect(valueOf(result, 'topics')).toBeDefined();
    expect(valueOf(result, 'topic')).toBeDefined();
  });
});
