import type { TransformPlugin } from '../../api/transform.js';
import { changeCaseKeyPlugin, changeCaseValuePlugin } from './change-case.js';
import {
  extractNestedFieldKeyPlugin,
  extractNestedFieldValuePlugin,
} from './extract-nested-field.js';
import { patternFilterKeyPlugin, patternFilterValuePlugin } from './pattern-filter.js';
import { patternRenameKeyPlugin, patternRenameValuePlugin } from './pattern-rename.js';
import {
  setMaximumPrecisionKeyPlugin,
  setMaximumPrecisionValuePlugin,
} from './set-maximum-precision.js';
import { setNullKeyPlugin, setNullValuePlugin } from './set-null.js';

export { ChangeCase, convertCase, type CaseFormat } from './change-case.js';
export { ExtractNestedField } from './extract-nested-field.js';
export { PatternFilter } from './pattern-filter.js';
export { PatternRename } from './pattern-rename.js';
export { SetMaximumPrecision } from './set-maximum-precision.js';
export { SetNull } from './set-null.js';

/** RocketMQ Connect's own transforms (its `transforms` module), under its class names. */
export const rocketmqTransformPlugins: readonly TransformPlugin[] = [
  changeCaseKeyPlugin,
  changeCaseValuePlugin,
  extractNestedFieldKeyPlugin,
  extractNestedFieldValuePlugin,
  patternFilterKeyPlugin,
  patternFilterValuePlugin,
  patternRenameKeyPlugin,
  patternRenameValuePlugin,
  setMaximumPrecisionKeyPlugin,
  setMaximumPrecisionValuePlugin,
  setNullKeyPlugin,
  setNullValuePlugin,
];
