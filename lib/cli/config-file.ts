import { basename, extname } from 'node:path';
import { CliInputError } from './errors.js';
import { parseProperties } from './properties.js';

/** Reads a file as text; `node:fs/promises` readFile in the CLI, a map in tests. */
export type ReadFile = (path: string) => Promise<string>;

/** A connector as a file describes it. */
export interface ConnectorFile {
  /** The name the file gives (Kafka's top-level `name`, else the config's `name` key). */
  readonly name: string | undefined;
  readonly config: Readonly<Record<string, string>>;
  /** Kafka's `initial_state` (RUNNING, PAUSED, STOPPED), which only creating uses. */
  readonly initialState?: string;
}

/** A connector to send: its name and config. */
export interface ConnectorRequest {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * A connector config from a `.properties` or `.json` file. JSON may be a flat config object or
 * Kafka Connect's `{"name": ..., "config": {...}}`; numbers and booleans are taken as their
 * text, as the API does. A file with another extension is read as JSON when it starts with
 * `{`, else as properties (so `<(...)` process substitution works). Throws CliInputError naming
 * the file.
 */
export async function readConnectorFile(path: string, readFile: ReadFile): Promise<ConnectorFile> {
  const text = await readText(path, readFile);
  const ext = extname(path).toLowerCase();
  const json = ext === '.json' || (ext !== '.properties' && text.trimStart().startsWith('{'));
  if (!json) {
    const config = parseProperties(text, path);
    return { name: config.name, config };
  }
  const value = parseJson(path, text);
  if (!isObject(value)) {
    throw new CliInputError(
      `${path} must hold a JSON object: a flat config {"key": "value", ...} or {"name": ..., "config": {...}}`,
    );
  }
  if (!isObject(value.config)) {
    const config = stringValues(path, value, '');
    return { name: config.name, config };
  }
  for (const key of Object.keys(value)) {
    if (key !== 'name' && key !== 'config' && key !== 'initial_state') {
      throw new CliInputError(
        `${path}: unknown field ${JSON.stringify(key)} next to "config"; expected name, config, initial_state`,
      );
    }
  }
  for (const key of ['name', 'initial_state'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') {
      throw new CliInputError(`${path}: ${JSON.stringify(key)} must be a string`);
    }
  }
  const config = stringValues(path, value.config, 'config.');
  const name = (value.name as string | undefined) ?? config.name;
  const initialState = value.initial_state as string | undefined;
  return { name, config, ...(initialState === undefined ? {} : { initialState }) };
}

/**
 * The connector's name: `--name`, else the file's, else the file name without its extension.
 * A `--name` also replaces a `name` key in the config, which the API would otherwise find
 * disagreeing with the name the connector is created under.
 */
export function connectorRequest(
  path: string,
  file: ConnectorFile,
  nameOption: string | undefined,
): ConnectorRequest {
  if (nameOption !== undefined) {
    const config =
      file.config.name === undefined ? file.config : { ...file.config, name: nameOption };
    return { name: nameOption, config };
  }
  return { name: file.name ?? basename(path, extname(path)), config: file.config };
}

/** The body of `PATCH /connectors/{name}/offsets` from a file of `{"offsets": [...]}` or `[...]`. */
export async function readOffsetsFile(
  path: string,
  readFile: ReadFile,
): Promise<{ offsets: unknown[] }> {
  const value = parseJson(path, await readText(path, readFile));
  if (Array.isArray(value)) return { offsets: value };
  if (isObject(value) && Array.isArray(value.offsets)) return { ...value, offsets: value.offsets };
  throw new CliInputError(
    `${path} must hold {"offsets": [{"partition": {...}, "offset": {...}}, ...]} or the list alone`,
  );
}

async function readText(path: string, readFile: ReadFile): Promise<string> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : error instanceof Error
              ? error.message
              : String(error);
    throw new CliInputError(`cannot read ${path}: ${reason}`, { cause: error });
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(reason);
    const where = at ? ` (line ${lineAndColumn(text, Number(at[1]))})` : '';
    throw new CliInputError(`${path} is not valid JSON${where}: ${reason}`, { cause: error });
  }
}

/** `3:14` for a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringValues(
  path: string,
  object: Record<string, unknown>,
  prefix: string,
): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      config[key] = String(value);
    } else {
      const kind =
        value === null ? 'null' : Array.isArray(value) ? 'an array' : `an ${typeof value}`;
      throw new CliInputError(
        `${path}: ${JSON.stringify(`${prefix}${key}`)} must be a string, number or boolean, not ${kind}`,
      );
    }
  }
  return config;
}
