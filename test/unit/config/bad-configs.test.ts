import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../../lib/config/errors.js';
import { parseConnectorConfig, validateConnectorConfig } from '../../../lib/config/parse.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';
import { registry, sinkConfig, sourceConfig, withChanges } from './test-plugins.js';

interface BadCase {
  readonly name: string;
  readonly config: ConnectorConfig;
  /** Every key the error must be on. */
  readonly keys: readonly string[];
  /** What the message must say (why). */
  readonly why: RegExp;
}

const source = (changes: Record<string, string | undefined>) => withChanges(sourceConfig, changes);
const sink = (changes: Record<string, string | undefined>) => withChanges(sinkConfig, changes);

const cases: BadCase[] = [
  // Wrong types and ranges.
  {
    name: 'tasks.max that is a word',
    config: source({ 'tasks.max': 'two' }),
    keys: ['tasks.max'],
    why: /Invalid value two .*Not a number of type INT/,
  },
  {
    name: 'tasks.max with trailing junk',
    config: source({ 'tasks.max': '10x' }),
    keys: ['tasks.max'],
    why: /Not a number of type INT/,
  },
  {
    name: 'tasks.max of zero',
    config: source({ 'tasks.max': '0' }),
    keys: ['tasks.max'],
    why: /must be at least 1/,
  },
  {
    name: 'tasks.max above what one fencing transaction holds',
    config: source({ 'tasks.max': '99' }),
    keys: ['tasks.max'],
    why: /no more than 98/,
  },
  {
    name: 'max.tasks that is a word',
    config: source({ 'max.tasks': 'many' }),
    keys: ['max.tasks'],
    why: /Not a number of type INT/,
  },
  {
    name: 'negative slice.max.ms',
    config: source({ 'slice.max.ms': '-5' }),
    keys: ['slice.max.ms'],
    why: /Invalid value -5 .*must be at least 1000/,
  },
  {
    name: 'slice.max.ms above 15 minutes',
    config: source({ 'slice.max.ms': '900001' }),
    keys: ['slice.max.ms'],
    why: /no more than 900000/,
  },
  {
    name: 'errors.tolerance outside none|all',
    config: source({ 'errors.tolerance': 'some' }),
    keys: ['errors.tolerance'],
    why: /must be one of: none, all/,
  },
  {
    name: 'errors.retry.timeout below -1',
    config: source({ 'errors.retry.timeout': '-2' }),
    keys: ['errors.retry.timeout'],
    why: /at least -1/,
  },
  {
    name: 'a boolean that is not true or false',
    config: source({ 'errors.log.enable': 'yes' }),
    keys: ['errors.log.enable'],
    why: /either true or false/,
  },
  {
    name: 'a reference in a platform key',
    config: source({ 'tasks.max': '${env:TASKS}' }),
    keys: ['tasks.max'],
    why: /cannot hold a \$\{\.\.\.\} reference/,
  },
  // Missing required keys.
  {
    name: 'no connector.class',
    config: source({ 'connector.class': undefined }),
    keys: ['connector.class'],
    why: /Missing required configuration "connector.class"/,
  },
  {
    name: 'no name',
    config: source({ name: undefined }),
    keys: ['name'],
    why: /Missing required configuration "name"/,
  },
  {
    name: 'a sink without topics',
    config: sink({ topics: undefined }),
    keys: ['topics'],
    why: /Must configure one of topics or topics.regex/,
  },
  {
    name: "a plugin's required key missing",
    config: source({ file: undefined }),
    keys: ['file'],
    why: /Missing required configuration "file"/,
  },
  // Unknown classes.
  {
    name: 'an unknown connector class',
    config: source({ 'connector.class': 'FileStreamSourc' }),
    keys: ['connector.class'],
    why: /no connector plugin matches "FileStreamSourc"; did you mean org\.apache\.kafka\.connect\.file\.FileStreamSourceConnector/,
  },
  {
    name: 'an unknown converter class',
    config: source({ 'value.converter': 'AvroConverter' }),
    keys: ['value.converter'],
    why: /no converter plugin matches "AvroConverter"/,
  },
  // Bad provider syntax.
  {
    name: 'an unknown config provider',
    config: source({ file: '${vault:x}' }),
    keys: ['file'],
    why: /unknown config provider "vault"/,
  },
  {
    name: 'an empty env reference',
    config: source({ file: '${env:}' }),
    keys: ['file'],
    why: /empty variable name/,
  },
  {
    name: 'an unclosed reference',
    config: source({ file: '${ssm:/a' }),
    keys: ['file'],
    why: /not closed/,
  },
  {
    name: 'a secretsmanager reference with an empty json key',
    config: source({ file: '${secretsmanager:db/creds:}' }),
    keys: ['file'],
    why: /empty JSON key/,
  },
  // Conflicting dialect keys.
  {
    name: 'tasks.max and max.tasks that disagree',
    config: source({ 'tasks.max': '2', 'max.tasks': '3' }),
    keys: ['tasks.max', 'max.tasks'],
    why: /tasks.max=2 and max.tasks=3 disagree/,
  },
  {
    name: 'topics and connect.topicnames that disagree',
    config: sink({ topics: 'a', 'connect.topicnames': 'b' }),
    keys: ['topics', 'connect.topicnames'],
    why: /disagree/,
  },
  {
    name: 'topic and connect.topicname that disagree',
    config: source({ topic: 'a', 'connect.topicname': 'b' }),
    keys: ['topic', 'connect.topicname'],
    why: /disagree/,
  },
  {
    name: 'consumer.group and task.group.id that disagree',
    config: sink({ 'consumer.group': 'g1', 'task.group.id': 'g2' }),
    keys: ['consumer.group', 'task.group.id'],
    why: /disagree/,
  },
  {
    name: 'topics and topics.regex together',
    config: sink({ 'topics.regex': 'ord.*' }),
    keys: ['topics', 'topics.regex'],
    why: /mutually exclusive/,
  },
  // Bad transform chains.
  {
    name: 'a transform without a type',
    config: source({ transforms: 'a' }),
    keys: ['transforms.a.type'],
    why: /Missing required configuration "transforms.a.type".*listed in transforms/,
  },
  {
    name: 'a transform of an unknown class',
    config: source({ transforms: 'a', 'transforms.a.type': 'io.debezium.transforms.Unknown' }),
    keys: ['transforms.a.type'],
    why: /no transformation plugin matches "io.debezium.transforms.Unknown": not available here; the transforms are: .*InsertField\$Value/,
  },
  {
    name: 'a transform class misspelled by one letter',
    config: source({ transforms: 'a', 'transforms.a.class': 'InsertFeld$Value' }),
    keys: ['transforms.a.class'],
    why: /did you mean org.apache.kafka.connect.transforms.InsertField\$Value\?/,
  },
  {
    name: 'a transform whose type and class disagree',
    config: source({
      transforms: 'a',
      'transforms.a.type': 'InsertField$Value',
      'transforms.a.class': 'InsertField$Key',
    }),
    keys: ['transforms.a.class'],
    why: /names another class than transforms.a.type/,
  },
  {
    name: 'a transform missing its own required key',
    config: source({ transforms: 'a', 'transforms.a.type': 'InsertField$Value' }),
    keys: ['transforms.a.static.field'],
    why: /Missing required configuration "transforms.a.static.field"/,
  },
  {
    name: 'a transform naming an unlisted predicate',
    config: source({
      transforms: 'a',
      'transforms.a.type': 'InsertField$Value',
      'transforms.a.static.field': 'f',
      'transforms.a.predicate': 'p',
    }),
    keys: ['transforms.a.predicate'],
    why: /predicate "p" is not listed in predicates/,
  },
  {
    name: 'a predicate without a type',
    config: source({ predicates: 'p' }),
    keys: ['predicates.p.type'],
    why: /Missing required configuration "predicates.p.type"/,
  },
  {
    name: 'a transform listed twice',
    config: source({ transforms: 'a,a' }),
    keys: ['transforms'],
    why: /"a" is listed twice/,
  },
  {
    name: 'a negate that is not a boolean',
    config: source({
      transforms: 'a',
      'transforms.a.type': 'InsertField$Value',
      'transforms.a.static.field': 'f',
      'transforms.a.negate': 'maybe',
    }),
    keys: ['transforms.a.negate'],
    why: /either true or false/,
  },
  // Bad topic names.
  {
    name: 'a topic name with a space',
    config: sink({ topics: 'orders, bad topic' }),
    keys: ['topics'],
    why: /Topic name "bad topic" may only hold the characters/,
  },
  {
    name: 'a topic name with a dot',
    config: source({ topic: undefined, 'connect.topicname': 'a.b' }),
    keys: ['connect.topicname'],
    why: /Topic name "a.b" may only hold/,
  },
  {
    name: 'a topic name over 127 characters',
    config: source({ topic: 'x'.repeat(128) }),
    keys: ['topic'],
    why: /longer than 127 characters/,
  },
  {
    name: 'an empty topic list',
    config: sink({ topics: ' ; ' }),
    keys: ['topics'],
    why: /Topic name must not be empty/,
  },
  {
    name: 'an invalid topics.regex',
    config: sink({ topics: undefined, 'topics.regex': '(' }),
    keys: ['topics.regex'],
    why: /Not a valid regular expression/,
  },
  {
    name: 'a dead-letter topic the sink consumes',
    config: sink({ 'errors.deadletterqueue.topic.name': 'orders' }),
    keys: ['errors.deadletterqueue.topic.name'],
    why: /must not be one the connector consumes/,
  },
  {
    name: 'a consumer group with a slash',
    config: sink({ 'consumer.group': 'a/b' }),
    keys: ['consumer.group'],
    why: /Group name "a\/b" may only hold/,
  },
  // Plugin checks.
  {
    name: "a value the plugin's schema refuses",
    config: sink({ 'http.url': 'not a url' }),
    keys: ['http.url'],
    why: /Invalid value not a url for configuration http.url/,
  },
  {
    name: "a plugin's cross-key check",
    config: sink({ 'retry.backoff.ms': '100' }),
    keys: ['retry.backoff.ms'],
    why: /needs bearer/,
  },
];

function errorsOn(config: ConnectorConfig, key: string): string[] {
  const result = validateConnectorConfig(config, registry);
  return result.configs.find((c) => c.value.name === key)?.value.errors ?? [];
}

describe('bad connector configs', () => {
  it.each(cases)('reports $name on the right key, saying why', ({ config, keys, why }) => {
    const result = validateConnectorConfig(config, registry);
    expect(result.error_count).toBeGreaterThan(0);
    for (const key of keys) {
      const errors = errorsOn(config, key);
      expect(
        errors.some((e) => why.test(e)),
        `errors on ${key}: ${JSON.stringify(errors)}`,
      ).toBe(true);
      // Every message names its key, so that it reads on its own in logs.
      expect(errors.every((e) => e.includes(key))).toBe(true);
    }
    expect(() => parseConnectorConfig(config, registry)).toThrow(ConfigValidationError);
  });

  it('reports every problem of a config at once', () => {
    const config = sink({ 'tasks.max': 'two', topics: undefined, transforms: 'a' });
    const result = validateConnectorConfig(config, registry);
    const withErrors = result.configs.filter((c) => c.value.errors.length > 0);
    expect(withErrors.map((c) => c.value.name).sort()).toEqual([
      'tasks.max',
      'topics',
      'transforms.a.type',
    ]);
    expect(result.error_count).toBe(3);
  });

  it('throws an error whose message lists each key and reason, and whose result is the answer', () => {
    const config = source({ 'tasks.max': 'two' });
    let thrown: unknown;
    try {
      parseConnectorConfig(config, registry);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    const error = thrown as ConfigValidationError;
    expect(error.message).toMatch(/tasks\.max: Invalid value two for configuration tasks\.max/);
    expect(error.retriable).toBe(false);
    expect(error.result).toEqual(validateConnectorConfig(config, registry));
  });
});
