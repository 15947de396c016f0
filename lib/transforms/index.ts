import type { PredicatePlugin, TransformPlugin } from '../api/transform.js';
import { castKeyPlugin, castValuePlugin } from './cast.js';
import { extractFieldKeyPlugin, extractFieldValuePlugin } from './extract-field.js';
import { flattenKeyPlugin, flattenValuePlugin } from './flatten.js';
import { hoistFieldKeyPlugin, hoistFieldValuePlugin } from './hoist-field.js';
import { filterPlugin } from './filter.js';
import { headerFromKeyPlugin, headerFromValuePlugin } from './header-from.js';
import { dropHeadersPlugin, insertHeaderPlugin } from './headers.js';
import { insertFieldKeyPlugin, insertFieldValuePlugin } from './insert-field.js';
import { maskFieldKeyPlugin, maskFieldValuePlugin } from './mask-field.js';
import {
  hasHeaderKeyPlugin,
  recordIsTombstonePlugin,
  topicNameMatchesPlugin,
} from './predicates.js';
import { regexRouterPlugin } from './regex-router.js';
import { replaceFieldKeyPlugin, replaceFieldValuePlugin } from './replace-field.js';
import { rocketmqTransformPlugins } from './rocketmq/index.js';
import { setSchemaMetadataKeyPlugin, setSchemaMetadataValuePlugin } from './set-schema-metadata.js';
import {
  timestampConverterKeyPlugin,
  timestampConverterValuePlugin,
} from './timestamp-converter.js';
import { timestampRouterPlugin } from './timestamp-router.js';
import { valueToKeyPlugin } from './value-to-key.js';

export { ExtractField, extractFieldKeyPlugin, extractFieldValuePlugin } from './extract-field.js';
export { InsertField, insertFieldKeyPlugin, insertFieldValuePlugin } from './insert-field.js';
export { Filter, filterPlugin } from './filter.js';
export { HeaderFrom, headerFromKeyPlugin, headerFromValuePlugin } from './header-from.js';
export { DropHeaders, dropHeadersPlugin, InsertHeader, insertHeaderPlugin } from './headers.js';
export { MaskField, maskFieldKeyPlugin, maskFieldValuePlugin } from './mask-field.js';
export {
  HasHeaderKey,
  hasHeaderKeyPlugin,
  RecordIsTombstone,
  recordIsTombstonePlugin,
  TopicNameMatches,
  topicNameMatchesPlugin,
} from './predicates.js';
export { ReplaceField, replaceFieldKeyPlugin, replaceFieldValuePlugin } from './replace-field.js';
export { TimestampRouter, timestampRouterPlugin } from './timestamp-router.js';
export { RegexRouter, regexRouterPlugin } from './regex-router.js';
export { ValueToKey, valueToKeyPlugin } from './value-to-key.js';
export { Cast, castKeyPlugin, castValuePlugin } from './cast.js';
export { Flatten, flattenKeyPlugin, flattenValuePlugin } from './flatten.js';
export { HoistField, hoistFieldKeyPlugin, hoistFieldValuePlugin } from './hoist-field.js';
export {
  SetSchemaMetadata,
  setSchemaMetadataKeyPlugin,
  setSchemaMetadataValuePlugin,
} from './set-schema-metadata.js';
export {
  TimestampConverter,
  timestampConverterKeyPlugin,
  timestampConverterValuePlugin,
} from './timestamp-converter.js';

/** The built-in transforms, for the plugin registry. */
export const transformPlugins: readonly TransformPlugin[] = [
  insertFieldKeyPlugin,
  insertFieldValuePlugin,
  regexRouterPlugin,
  valueToKeyPlugin,
  extractFieldKeyPlugin,
  extractFieldValuePlugin,
  maskFieldKeyPlugin,
  maskFieldValuePlugin,
  replaceFieldKeyPlugin,
  replaceFieldValuePlugin,
  headerFromKeyPlugin,
  headerFromValuePlugin,
  insertHeaderPlugin,
  dropHeadersPlugin,
  filterPlugin,
  timestampRouterPlugin,
  castKeyPlugin,
  castValuePlugin,
  timestampConverterKeyPlugin,
  timestampConverterValuePlugin,
  flattenKeyPlugin,
  flattenValuePlugin,
  hoistFieldKeyPlugin,
  hoistFieldValuePlugin,
  setSchemaMetadataKeyPlugin,
  setSchemaMetadataValuePlugin,
  ...rocketmqTransformPlugins,
];

/** The built-in predicates, for the plugin registry. */
export const predicatePlugins: readonly PredicatePlugin[] = [
  topicNameMatchesPlugin,
  hasHeaderKeyPlugin,
  recordIsTombstonePlugin,
];
