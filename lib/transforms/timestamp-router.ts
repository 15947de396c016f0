import { z } from 'zod';
import { ConfigError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { defaultedKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { compileDateFormat, DatePatternError, type DateFormatter } from './date-format.js';

const timestampRouterKeys = pluginKeys({
  'topic.format': defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'Format string which can contain ${topic} and ${timestamp} as placeholders for the topic and timestamp, respectively.',
    },
    '${topic}-${timestamp}',
    z.string().trim(),
  ),
  'timestamp.format': defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'Format string for the timestamp that is compatible with java.text.SimpleDateFormat (formatted in UTC).',
    },
    'yyyyMMdd',
    z.string().trim(),
  ),
});

/**
 * Kafka's TimestampRouter: the topic becomes `topic.format` with `${topic}` replaced by the
 * record's topic, then `${timestamp}` by its timestamp formatted in UTC. A pattern Java's
 * SimpleDateFormat refuses is refused when configured, where Kafka fails every record.
 */
export class TimestampRouter implements Transform {
  #topicFormat = '';
  #format: DateFormatter = () => '';

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig('TimestampRouter', timestampRouterKeys.configSchema, config);
    this.#topicFormat = parsed['topic.format'];
    try {
      this.#format = compileDateFormat(parsed['timestamp.format']);
    } catch (error) {
      if (!(error instanceof DatePatternError)) throw error;
      throw new ConfigError(
        'timestamp.format',
        `TimestampRouter: Invalid value for configuration: ${error.message} "timestamp.format"`,
        { cause: error },
      );
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const topic = this.#topicFormat
      .replaceAll('${topic}', () => record.topic ?? '')
      .replaceAll('${timestamp}', () => this.#format(record.timestamp));
    return { ...record, topic };
  }
}

export const timestampRouterPlugin: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.TimestampRouter',
  aliases: [],
  version: BUILTIN_VERSION,
  ...timestampRouterKeys,
  create: () => new TimestampRouter(),
};
