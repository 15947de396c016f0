/**
 * Everything a connector folder (`lib/connectors/<name>/`: its descriptor, key table and tasks)
 * imports from the platform, in one place. Only the plugin API (this folder) is behind it, so a
 * connector never reaches into the runtime, the state table or the HTTP API, and nothing here
 * imports a connector back. The built-in converters and transforms, beside lib/api, import its
 * modules as the rest of lib/ does.
 *
 * @example
 * import { defaultedKey, pluginKeys, intValue, type SourceConnectorPlugin } from '../../api/plugin-kit.js';
 */

// What a plugin is and what its tasks implement.
export type {
  ConfigProblem,
  OffsetReader,
  SinkConnectorPlugin,
  SinkTask,
  SinkTaskContext,
  SourceConnectorPlugin,
  SourceTask,
  SourceTaskContext,
  TaskContext,
} from './connector.js';
export type { WarmResource, WarmResources } from './warm-resources.js';
export type { ConnectorConfig } from './connector-config.js';
export { BUILTIN_VERSION } from './plugin.js';

// Its keys: declared once, parsed where it starts.
export type { ConfigKeyDef } from './config-def.js';
export {
  defaultedKey,
  optionalKey,
  parsePluginConfig,
  pluginKeys,
  requiredKey,
  type KeyDoc,
  type KeySpec,
} from './plugin-keys.js';
export {
  boolValue,
  enumValue,
  groupValue,
  intValue,
  listValue,
  regexValue,
  splitList,
  textValue,
  topicListValue,
  topicValue,
} from './config-values.js';

// The records it reads or writes, their schemas and where a source resumes.
export { lastHeader, type ConnectHeader, type ConnectHeaders } from './record.js';
export type { ConnectRecord, SinkRecord, SourceRecord } from './record.js';
export {
  LogicalType,
  Schemas,
  type DecimalValue,
  type Field,
  type Schema,
  type StructSchema,
} from './schema.js';
export { SchemaBuilder } from './schema-builder.js';
export { validateValue } from './schema-validation.js';
export {
  offsetNumber,
  type OffsetEntry,
  type SourceOffset,
  type SourcePartition,
} from './source-offsets.js';

// How it fails: retriable or not, and which key is wrong.
export { ConfigError, ConnectError, NonRetriableError, RetriableError } from './errors.js';
