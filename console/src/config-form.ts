import { shortName } from '../../lib/api/plugin-names.js';
import { parseProperties } from '../../lib/cli/properties.js';
import { isSecretKey } from '../../lib/config/mask.js';

export { isSecretKey };
import type { ConfigKeyInfo, ConfigInfos } from './api-types.js';

/** How a config key is entered in the create form. */
export type InputKind = 'text' | 'number' | 'boolean' | 'password' | 'list';

/** A group of the form: its keys shown at once, and the rest behind "more". */
export interface FormSection {
  readonly title: string;
  readonly shown: readonly ConfigKeyInfo[];
  readonly more: readonly ConfigKeyInfo[];
}

/**
 * Keys the form does not show as fields: the name has its own field, the plugin its picker, the
 * transform and predicate lists the transforms editor.
 */
const OWN_FIELDS = new Set(['name', 'connector.class', 'transforms', 'predicates']);

export function inputKindOf(def: ConfigKeyInfo): InputKind {
  if (def.type === 'PASSWORD' || isSecretKey(def.name)) return 'password';
  switch (def.type) {
    case 'INT':
    case 'LONG':
    case 'SHORT':
    case 'DOUBLE':
      return 'number';
    case 'BOOLEAN':
      return 'boolean';
    case 'LIST':
      return 'list';
    default:
      return 'text';
  }
}

/**
 * The form's sections from a plugin's config definition: the plugin's own keys first (they
 * carry no group), then each group in the order the API lists them. Required and HIGH
 * importance keys are shown; the rest, and a key's other-dialect spelling ("Same as ..."), are
 * behind "more".
 */
export function formSections(defs: readonly ConfigKeyInfo[], pluginTitle: string): FormSection[] {
  const groups = new Map<string, ConfigKeyInfo[]>();
  for (const def of defs) {
    if (OWN_FIELDS.has(def.name)) continue;
    const title = def.group ?? pluginTitle;
    groups.set(title, [...(groups.get(title) ?? []), def]);
  }
  const titles = [...groups.keys()].sort((a, b) =>
    a === pluginTitle ? -1 : b === pluginTitle ? 1 : 0,
  );
  return titles.map((title) => {
    const keys = groups.get(title)!;
    const prominent = (d: ConfigKeyInfo) =>
      (d.required || d.importance === 'HIGH') && !/^Same as /.test(d.documentation);
    return { title, shown: keys.filter(prominent), more: keys.filter((d) => !prominent(d)) };
  });
}

/** A plugin class's short title, the name the API also answers to: `FileStreamSource`. */
export const pluginTitle = (className: string): string => shortName(className, 'Connector');

/**
 * The config to send: the plugin, and every key with a value (an empty field means "use the
 * default", so it is left out).
 */
export function configToSend(
  pluginClass: string,
  values: Readonly<Record<string, string>>,
  name: string,
): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== '') config[key] = value;
  return { ...config, 'connector.class': pluginClass, ...(name === '' ? {} : { name }) };
}

/** Each key's errors from a `config/validate` answer, for keys that have any. */
export function errorsByKey(infos: ConfigInfos): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const { value } of infos.configs) {
    if (value.errors.length > 0) errors[value.name] = [...value.errors];
  }
  return errors;
}

/** A config pasted into the form: its name when it gives one, and its keys. */
export interface PastedConfig {
  readonly name?: string;
  readonly config: Record<string, string>;
}

export class PasteError extends Error {
  override readonly name = 'PasteError';
}

/**
 * Reads a pasted config: JSON as `POST /connectors` takes it (`{"name", "config"}`) or flat
 * (`{"name": ..., "connector.class": ...}`), or a `.properties` file (RocketMQ Connect's and
 * Kafka Connect's standalone files). Values must be strings, numbers or booleans.
 */
export function parsePastedConfig(text: string): PastedConfig {
  const trimmed = text.trim();
  if (trimmed === '') throw new PasteError('Paste a config first: JSON or .properties lines.');
  let flat: Record<string, string>;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new PasteError(`This is not valid JSON: ${(error as Error).message}`);
    }
    const object = parsed as Record<string, unknown>;
    const inner = object.config;
    if (inner !== undefined) {
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
        throw new PasteError('"config" must be an object of key-value pairs.');
      }
      flat = stringValues(inner as Record<string, unknown>, 'config.');
      if (typeof object.name === 'string' && flat.name === undefined) flat.name = object.name;
    } else {
      flat = stringValues(object, '');
    }
  } else {
    try {
      flat = parseProperties(text, 'the pasted text');
    } catch (error) {
      throw new PasteError((error as Error).message);
    }
  }
  const { name, ...config } = flat;
  if (Object.keys(config).length === 0) throw new PasteError('The pasted config has no keys.');
  return { ...(name === undefined ? {} : { name }), config };
}

function stringValues(object: Record<string, unknown>, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string') result[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[key] = String(value);
    else {
      throw new PasteError(
        `"${prefix}${key}" must be a string, a number or a boolean, not ${value === null ? 'null' : typeof value}.`,
      );
    }
  }
  return result;
}
