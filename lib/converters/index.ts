import type { ConverterPlugin } from '../api/converter.js';
import { byteArrayConverterPlugin } from './byte-array-converter.js';
import { jsonConverterPlugin } from './json-converter.js';
import { stringConverterPlugin } from './string-converter.js';

export { ByteArrayConverter, byteArrayConverterPlugin } from './byte-array-converter.js';
export { JsonConverter, jsonConverterPlugin } from './json-converter.js';
export { StringConverter, stringConverterPlugin } from './string-converter.js';

/** The built-in converters, for the plugin registry. */
export const converterPlugins: readonly ConverterPlugin[] = [
  jsonConverterPlugin,
  stringConverterPlugin,
  byteArrayConverterPlugin,
];
