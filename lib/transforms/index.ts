import type { PredicatePlugin, TransformPlugin } from '../api/transform.js';
import { extractFieldKeyPlugin, extractFieldValuePlugin } from './extract-field.js';
import { insertFieldKeyPlugin, insertFieldValuePlugin } from './insert-field.js';
import { hasHeaderKeyPlugin, topicNameMatchesPlugin } from './predicates.js';
import { regexRouterPlugin } from './regex-router.js';
import { rocketmqTransformPlugins } from './rocketmq/index.js';
import { valueToKeyPlugin } from './value-to-key.js';

export { ExtractField, extractFieldKeyPlugin, extractFieldValuePlugin } from './extract-field.js';
export { InsertField, insertFieldKeyPlugin, insertFieldValuePlugin } from './insert-field.js';
export {
  HasHeaderKey,
  hasHeaderKeyPlugin,
  TopicNameMatches,
  topicNameMatchesPlugin,
} from './predicates.js';
export { RegexRouter, regexRouterPlugin } from './regex-router.js';
export { ValueToKey, valueToKeyPlugin } from './value-to-key.js';

/** The built-in transforms, for the plugin registry. */
export const transformPlugins: readonly TransformPlugin[] = [
  insertFieldKeyPlugin,
  insertFieldValuePlugin,
  regexRouterPlugin,
  valueToKeyPlugin,
  extractFieldKeyPlugin,
  extractFieldValuePlugin,
  ...rocketmqTransformPlugins,
];

/** The built-in predicates, for the plugin registry. */
export const predicatePlugins: readonly PredicatePlugin[] = [
  topicNameMatchesPlugin,
  hasHeaderKeyPlugin,
];
