import { z } from 'zod';
import { HttpError } from './errors.js';
import type { HttpRequest } from './types.js';

/** Larger bodies are refused (413): a connector config is stored as one item of at most 100 KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Deeper JSON is refused before it is looked at: no config or offset needs more. */
export const MAX_JSON_DEPTH = 32;

/**
 * The request's JSON body, checked against `schema`: 415 for a body that says it is not JSON,
 * 413 over {@link MAX_BODY_BYTES}, 400 naming the problem otherwise (bad JSON, too deep, a field
 * of the wrong type, unknown fields). A body without a content type is read as JSON, as curl
 * users often leave it out.
 */
export function readJsonBody<S extends z.ZodType>(
  request: HttpRequest,
  schema: S,
  what: string,
): z.output<S> {
  const type = request.headers['content-type'];
  if (
    type !== undefined &&
    type.trim() !== '' &&
    !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim())
  ) {
    throw new HttpError(
      415,
      `the request body must be JSON (content-type: application/json), not ${JSON.stringify(type)}`,
    );
  }
  const text = request.body ?? '';
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new HttpError(
      413,
      `the request body is ${size} bytes; at most ${MAX_BODY_BYTES} are accepted`,
    );
  }
  if (text.trim() === '') throw new HttpError(400, `the request body is empty; it must be ${what}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `the request body is not valid JSON (${reason}); it must be ${what}`);
  }
  const deep = deeperThan(value, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    throw new HttpError(
      400,
      `the request body nests deeper than ${MAX_JSON_DEPTH} levels (at ${deep})`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${pathText(issue.path)}: ${issue.message}`,
    );
    throw new HttpError(400, `the request body is not ${what}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Where `value` nests deeper than `limit`, as a path; iterative, so no depth can overflow the stack. */
function deeperThan(value: unknown, limit: number): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return next.path;
    for (const [key, child] of Object.entries(next.value)) {
      const path = Array.isArray(next.value) ? `${next.path}[${key}]` : `${next.path}.${key}`;
      stack.push({
        value: child,
        path: path.length > 200 ? `${path.slice(0, 200)}...` : path,
        depth: next.depth + 1,
      });
    }
  }
  return undefined;
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the body';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : JSON.stringify(String(p)))).join('.');
}

// Kafka Connect reads configs as string maps; like its JSON reader, numbers and booleans are
// taken as their text, so `"tasks.max": 1` works.
const configValue = z
  .union([z.string(), z.number(), z.boolean()], {
    error: (issue) =>
      `must be a string (numbers and booleans are taken as text), not ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'an array' : typeof issue.input}`,
  })
  .transform((v) => String(v));

const configKey = z
  .string()
  .min(1, 'a config key must not be empty')
  .max(1024, 'a config key has at most 1,024 characters');

/** A connector config: a JSON object of string values. */
export const configMapSchema = z.record(configKey, configValue, {
  error: 'must be a JSON object of config keys and string values',
});

/** A PATCH of a config: null removes the key. */
export const configPatchSchema = z.record(configKey, z.union([configValue, z.null()]), {
  error: 'must be a JSON object of config keys and string values (null removes a key)',
});

export const targetStateSchema = z.enum(['RUNNING', 'PAUSED', 'STOPPED'], {
  error: 'must be one of RUNNING, PAUSED, STOPPED',
});

/** `POST /connectors` (Kafka Connect's CreateConnectorRequest). */
export const createConnectorSchema = z.strictObject(
  {
    name: z.string({ error: 'is required: the connector name, a string' }),
    config: configMapSchema,
    initial_state: targetStateSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; expected name, config, initial_state`
        : 'must be a JSON object with name and config',
  },
);

const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

/** `PATCH /connectors/{name}/offsets` (Kafka Connect's ConnectorOffsets). */
export const alterOffsetsSchema = z.strictObject(
  {
    offsets: z
      .array(
        z.strictObject(
          { partition: jsonObject, offset: jsonObject.nullable() },
          { error: 'must be an object with partition and offset' },
        ),
        { error: 'is required: a list of {partition, offset}' },
      )
      .min(1, 'must list at least one partition'),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; expected offsets`
        : 'must be a JSON object with offsets',
  },
);
