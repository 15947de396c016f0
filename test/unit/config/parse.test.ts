import { describe, expect, it } from 'vitest';
import { topicPattern } from '../../../lib/config/common-parse.js';
import { isCommonKey, parseConnectorConfig } from '../../../lib/config/parse.js';
import {
  fileSource,
  httpSink,
  registry,
  sinkConfig,
  sourceConfig,
  withChanges,
} from './test-plugins.js';

describe('parseConnectorConfig', () => {
  it('parses a minimal source config with every default', () => {
    const { common, plugin, pluginConfig, references } = parseConnectorConfig(
      sourceConfig,
      registry,
    );
    expect(plugin).toBe(fileSource);
    expect(common).toEqual({
      name: 'file-in',
      connectorClass: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      type: 'source',
      tasksMax: 1,
      topics: undefined,
      topicsRegex: undefined,
      topic: 'lines',
      consumerGroup: undefined,
      keyConverter: undefined,
      valueConverter: undefined,
      headerConverter: undefined,
      transforms: [],
      predicates: [],
      errors: {
        tolerance: 'none',
        retryTimeoutMs: 0,
        retryDelayMaxMs: 60000,
        deadLetterQueueTopic: undefined,
        deadLetterQueueContextHeaders: false,
        logEnable: false,
        logIncludeMessages: false,
      },
      sliceMaxMs: 60000,
      sliceMaxRecords: 100000,
      pollIntervalMs: 100,
      offsetFlushIntervalMs: 2000,
      messageGroupByKey: false,
    });
    expect(pluginConfig).toEqual({ file: '/tmp/in.txt', 'batch.size': 2000 });
    expect(references).toEqual([]);
  });

  it("reads RocketMQ Connect's key names as Kafka Connect's", () => {
    const config = withChanges(sourceConfig, {
      'connector.class': 'org.apache.rocketmq.connect.file.FileSourceConnector',
      topic: undefined,
      'connect.topicname': 'lines-rmq',
      'max.tasks': '3',
    });
    const { common } = parseConnectorConfig(config, registry);
    expect(common.tasksMax).toBe(3);
    expect(common.topic).toBe('lines-rmq');
    expect(common.connectorClass).toBe(fileSource.className);
  });

  it('splits sink topics on commas and semicolons and reads task.group.id', () => {
    const config = withChanges(sinkConfig, {
      topics: undefined,
      'connect.topicnames': ' a;b , c ',
      'task.group.id': 'GID_http',
    });
    const { common } = parseConnectorConfig(config, registry);
    expect(common.topics).toEqual(['a', 'b', 'c']);
    expect(common.consumerGroup).toBe('GID_http');
    expect(common.type).toBe('sink');
  });

  it('accepts both dialect keys when they mean the same', () => {
    const config = withChanges(sinkConfig, {
      'tasks.max': '2',
      'max.tasks': ' 2 ',
      topics: 'a,b',
      'connect.topicnames': 'a; b',
    });
    const { common } = parseConnectorConfig(config, registry);
    expect(common.tasksMax).toBe(2);
    expect(common.topics).toEqual(['a', 'b']);
  });

  it('takes a sink topics.regex instead of topics, matching whole names', () => {
    const config = withChanges(sinkConfig, { topics: undefined, 'topics.regex': 'orders-.*' });
    const { common } = parseConnectorConfig(config, registry);
    expect(common.topicsRegex).toBe('orders-.*');
    expect(topicPattern('orders-.*').test('orders-eu')).toBe(true);
    expect(topicPattern('orders').test('old-orders')).toBe(false);
  });

  it('parses error handling and runtime keys, case-insensitively where Kafka does', () => {
    const config = withChanges(sinkConfig, {
      'errors.tolerance': 'ALL',
      'errors.retry.timeout': '-1',
      'errors.retry.delay.max.ms': '5000',
      'errors.deadletterqueue.topic.name': 'http-dlq',
      'errors.deadletterqueue.context.headers.enable': 'TRUE',
      'errors.log.enable': 'true',
      'errors.log.include.messages': 'false',
      'slice.max.ms': '120000',
      'slice.max.records': '500',
      'poll.interval.ms': '0',
    });
    const { common } = parseConnectorConfig(config, registry);
    expect(common.errors).toEqual({
      tolerance: 'all',
      retryTimeoutMs: -1,
      retryDelayMaxMs: 5000,
      deadLetterQueueTopic: 'http-dlq',
      deadLetterQueueContextHeaders: true,
      logEnable: true,
      logIncludeMessages: false,
    });
    expect([common.sliceMaxMs, common.sliceMaxRecords, common.pollIntervalMs]).toEqual([
      120000, 500, 0,
    ]);
  });

  it('treats a blank dead-letter topic as none, as Kafka Connect does', () => {
    const config = withChanges(sinkConfig, { 'errors.deadletterqueue.topic.name': ' ' });
    expect(parseConnectorConfig(config, registry).common.errors.deadLetterQueueTopic).toBe(
      undefined,
    );
  });

  it("resolves converters and the transform chain with their own settings (a transform's class under Kafka's `type` or RocketMQ Connect's `class`)", () => {
    const config = withChanges(sourceConfig, {
      'value.converter': 'JsonConverter',
      'value.converter.schemas.enable': 'false',
      predicates: 'isOrders',
      'predicates.isOrders.type': 'TopicNameMatches',
      'predicates.isOrders.pattern': 'orders.*',
      transforms: 'stamp, tag',
      'transforms.stamp.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.stamp.static.field': 'source',
      'transforms.stamp.predicate': 'isOrders',
      'transforms.stamp.negate': 'true',
      'transforms.tag.class': 'InsertField$Value',
      'transforms.tag.static.field': 'tag',
    });
    const { common } = parseConnectorConfig(config, registry);
    expect(common.valueConverter).toEqual({
      className: 'org.apache.kafka.connect.json.JsonConverter',
      config: { 'schemas.enable': 'false' },
    });
    expect(common.keyConverter).toBeUndefined();
    expect(common.predicates).toEqual([
      {
        name: 'isOrders',
        className: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
        config: { pattern: 'orders.*' },
      },
    ]);
    expect(common.transforms).toEqual([
      {
        name: 'stamp',
        className: 'org.apache.kafka.connect.transforms.InsertField$Value',
        config: { 'static.field': 'source' },
        predicate: 'isOrders',
        negate: true,
      },
      {
        name: 'tag',
        className: 'org.apache.kafka.connect.transforms.InsertField$Value',
        config: { 'static.field': 'tag' },
        negate: false,
      },
    ]);
  });

  it("gives the plugin's schema only its own keys, and keeps unknown keys", () => {
    const config = withChanges(sinkConfig, { 'some.future.key': 'x', 'tasks.max': '4' });
    const { pluginConfig } = parseConnectorConfig(config, registry);
    expect(pluginConfig).toEqual({ 'http.url': 'https://example.com/hook' });
    expect(isCommonKey('tasks.max')).toBe(true);
    expect(isCommonKey('connect.topicnames')).toBe(true);
    expect(isCommonKey('transforms.x.anything')).toBe(true);
    expect(isCommonKey('http.url')).toBe(false);
  });

  it('leaves keys holding references to the task, which checks them once resolved', () => {
    const config = withChanges(sinkConfig, {
      'http.url': '${ssm:/hooks/url}',
      bearer: '${secretsmanager:prod/http:token}',
    });
    const { pluginConfig, references } = parseConnectorConfig(config, registry);
    expect(pluginConfig).toBeUndefined();
    expect(references.map((r) => [r.key, r.provider, r.path, r.jsonKey])).toEqual([
      ['http.url', 'ssm', '/hooks/url', undefined],
      ['bearer', 'secretsmanager', 'prod/http', 'token'],
    ]);
  });

  it('returns the plugin whatever name the config uses for it', () => {
    for (const name of [
      'com.example.connect.HttpSinkConnector',
      'HttpSinkConnector',
      'HttpSink',
      'httpsink',
    ]) {
      const config = withChanges(sinkConfig, { 'connector.class': name });
      expect(parseConnectorConfig(config, registry).plugin).toBe(httpSink);
    }
  });
});
