import type { z } from 'zod';
import type { ConfigKeyDef } from './config-def.js';

/** How every plugin is named and found: by its class name, any alias, or a short name. */
export interface PluginIdentity {
  /**
   * A Java-style fully qualified name, e.g. `org.apache.kafka.connect.file.FileStreamSourceConnector`;
   * its last segment (with and without the `Connector` or `Converter` suffix) finds it too.
   */
  readonly className: string;
  /** Other names it answers to, e.g. the RocketMQ Connect or Kafka Connect class of the same plugin. */
  readonly aliases: readonly string[];
  readonly version: string;
}

/** The version every plugin built into the platform reports. */
export const BUILTIN_VERSION = '1.0.0';

/**
 * A converter, transform or predicate plugin: identity, the keys it documents, and optionally a
 * schema for its keys (given as strings, without the `transforms.<name>.` style prefix).
 */
export interface ComponentPluginBase extends PluginIdentity {
  readonly configDef?: readonly ConfigKeyDef[];
  readonly configSchema?: z.ZodType;
}
