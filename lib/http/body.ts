import { z } from 'zod';
import {
  PREVIEW_MAX_RECORDS,
  PREVIEW_MAX_TIMEOUT_MS,
  sampleMessageSchema,
} from '../runtime/preview-request.js';
import { hasLoneSurrogate } from '../util/unicode.js';
import { HttpError } from './errors.js';
import type { HttpRequest } from './types.js';

/** Larger bodies are refused (413): a connector config is stored as one item of at most 100 KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Deeper JSON is refused before it is looked at: no config or offset needs more. */
export const MAX_JSON_DEPTH = 32;

/**
 * The request's JSON body, checked against `schema`: 415 for a body that says it is not JSON,
 * 413 over {@link MAX_BODY_BYTES}, 400 naming the problem otherwise (bad JSON, too deep, a
 * `__proto__` key, a number too large to keep exactly, text that is not Unicode, a field of the
 * wrong type, unknown fields). A body without a content type is read as JSON, as curl users
 * often leave it out. Messages never quote the body's text: it may hold secrets.
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
    const reason = error instanceof Error ? withoutSource(error.message) : String(error);
    throw new HttpError(400, `the request body is not valid JSON (${reason}); it must be ${what}`);
  }
  const problem = shapeProblem(value, MAX_JSON_DEPTH);
  if (problem !== undefined) throw new HttpError(400, `the request body ${problem}`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${pathText(issue.path)}: ${issue.message}`,
    );
    throw new HttpError(400, `the request body is not ${what}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * V8 quotes the text around an unexpected token ("Unexpected token 'Q', ..."assword": Q7vX9kLm2P"...
 * is not valid JSON"): the body may hold a secret, so the quote is left out.
 */
function withoutSource(message: string): string {
  const quoted = /^(Unexpected token '.*?'),\s/su.exec(message);
  return quoted ? quoted[1]! : message;
}

/**
 * What makes a parsed body unusable whatever its schema, as the rest of a sentence: nesting
 * deeper than `limit`, a `__proto__` key (zod drops it from records without a word), a number
 * JSON cannot carry exactly here (beyond 2^53, or out of range), text that is not Unicode.
 * Iterative, so no depth can overflow the stack.
 */
function shapeProblem(value: unknown, limit: number): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    const { path } = next;
    if (typeof next.value === 'number') {
      const n = next.value;
      if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n))) {
        return `holds a number too large to keep exactly at ${path}: send it as a string`;
      }
      continue;
    }
    if (typeof next.value === 'string') {
      if (hasLoneSurrogate(next.value)) {
        return `holds text that is not valid Unicode (an unpaired UTF-16 surrogate) at ${path}`;
      }
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return `nests deeper than ${limit} levels (at ${path})`;
    const isArray = Array.isArray(next.value);
    for (const [key, child] of Object.entries(next.value)) {
      if (!isArray && key === '__proto__') {
        return `uses the key "__proto__" (in ${path}), which cannot be kept: rename it`;
      }
      if (!isArray && hasLoneSurrogate(key)) {
        return `has a key that is not valid Unicode (an unpaired UTF-16 surrogate) in ${path}`;
      }
      const childPath = isArray ? `${path}[${key}]` : `${path}.${key}`;
      stack.push({
        value: child,
        path: childPath.length > 200 ? `${childPath.slice(0, 200)}...` : childPath,
        depth: next.depth + 1,
      });
    }
  }
  return undefined;
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the body';
  return path
    .map((p) => {
      if (typeof p === 'number') return `[${p}]`;
      const text = String(p);
      return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text);
    })
    .join('.');
}

/** What a JSON value is, for "..., not <kind>" in messages. */
function kindOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input === 'object' ? 'an object' : `a ${typeof input}`;
}

/** "is required: <what>" when absent, else "must be <what>, not <kind>". */
function wrongType(what: string, input: unknown): string {
  return input === undefined ? `is required: ${what}` : `must be ${what}, not ${kindOf(input)}`;
}

/** For a record's own issues: a bad key says what is wrong with it; else it must be `what`. */
function recordError(what: string) {
  return (issue: z.core.$ZodRawIssue): string =>
    issue.code === 'invalid_key'
      ? issue.issues.map((i) => i.message).join('; ')
      : wrongType(what, issue.input);
}

/** "unknown field(s) ..." for a strict object; else it must be `what`. */
function strictError(fields: string, what: string) {
  return (issue: z.core.$ZodRawIssue): string =>
    issue.code === 'unrecognized_keys'
      ? `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; expected ${fields}`
      : wrongType(what, issue.input);
}

// Kafka Connect reads configs as string maps; like its JSON reader, numbers and booleans are
// taken as their text, so `"tasks.max": 1` works.
const configValue = z
  .union([z.string(), z.number(), z.boolean()], {
    error: (issue) => wrongType('a string (numbers and booleans are taken as text)', issue.input),
  })
  .transform((v) => String(v));

const configKey = z
  .string()
  .min(1, 'a config key must not be empty')
  .max(1024, 'a config key has at most 1,024 characters');

/** A connector config: a JSON object of string values. */
export const configMapSchema = z.record(configKey, configValue, {
  error: recordError('a JSON object of config keys and string values'),
});

/** A PATCH of a config: null removes the key. */
export const configPatchSchema = z.record(
  configKey,
  z.union([configValue, z.null()], {
    error: (issue) =>
      wrongType(
        'a string (numbers and booleans are taken as text) or null to remove the key',
        issue.input,
      ),
  }),
  {
    error: recordError('a JSON object of config keys and string values (null removes a key)'),
  },
);

export const targetStateSchema = z.enum(['RUNNING', 'PAUSED', 'STOPPED'], {
  error: 'must be one of RUNNING, PAUSED, STOPPED',
});

/** `POST /connectors` (Kafka Connect's CreateConnectorRequest). */
export const createConnectorSchema = z.strictObject(
  {
    name: z.string({
      error: (issue) => wrongType('the connector name, a string', issue.input),
    }),
    config: configMapSchema,
    initial_state: targetStateSchema.optional(),
  },
  {
    error: strictError('name, config, initial_state', 'a JSON object with name and config'),
  },
);

/**
 * `POST /connectors/{name}/preview`: every member optional (an empty body previews the stored
 * config). `records` are sample messages for a sink, instead of its topics' last messages.
 */
export const previewSchema = z.strictObject(
  {
    config: configMapSchema.optional(),
    limit: z
      .number({ error: (issue) => wrongType('a whole number of records', issue.input) })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(PREVIEW_MAX_RECORDS, `must be at most ${PREVIEW_MAX_RECORDS}`)
      .optional(),
    timeoutMs: z
      .number({ error: (issue) => wrongType('milliseconds, a whole number', issue.input) })
      .int('must be a whole number')
      .min(0, 'must not be negative')
      .max(PREVIEW_MAX_TIMEOUT_MS, `must be at most ${PREVIEW_MAX_TIMEOUT_MS} (ms)`)
      .optional(),
    records: z
      .array(sampleMessageSchema, {
        error: (issue) => wrongType('a list of {topic, key?, value, headers?}', issue.input),
      })
      .max(PREVIEW_MAX_RECORDS, `holds at most ${PREVIEW_MAX_RECORDS} records`)
      .optional(),
  },
  {
    error: strictError('config, limit, timeoutMs, records', 'a JSON object'),
  },
);

const jsonObject = z.record(z.string(), z.unknown(), {
  error: recordError('a JSON object'),
});

/** `PATCH /connectors/{name}/offsets` (Kafka Connect's ConnectorOffsets). */
export const alterOffsetsSchema = z.strictObject(
  {
    offsets: z
      .array(
        z.strictObject(
          { partition: jsonObject, offset: jsonObject.nullable() },
          {
            error: strictError(
              'partition, offset',
              'an object with partition and offset (an object, or null to remove it)',
            ),
          },
        ),
        {
          error: (issue) => wrongType('a list of {partition, offset}', issue.input),
        },
      )
      .min(1, 'must list at least one partition'),
  },
  { error: strictError('offsets', 'a JSON object with offsets') },
);
