import { z } from 'zod';
import { previewRequestSchema, type PreviewRequest } from './preview-request.js';
import { parseSliceRequest, type SliceRequest } from './slice-request.js';

/**
 * The task function's second event: check a connector config against the system it names
 * (`ConnectorPluginBase.checkSystem`), sent by the api with a synchronous invoke. The config is
 * as the api got it, `${...}` references unresolved: the task function resolves them.
 *
 * @example
 * { "check": { "config": { "connector.class": "JdbcSink", "connection.url": "jdbc:..." } } }
 */
export const checkRequestSchema = z.object({
  check: z.object({ config: z.record(z.string(), z.string()) }),
});

export type CheckRequest = z.infer<typeof checkRequestSchema>;

/** What the task function answers a check request with: problems on their keys, none if fine. */
export const checkAnswerSchema = z.object({
  problems: z.array(z.object({ key: z.string(), message: z.string() })),
});

export type CheckAnswer = z.infer<typeof checkAnswerSchema>;

/**
 * How long the task function gives a plugin's check before it answers that the check did not
 * finish: a host that does not answer (a firewall that drops packets) must not hold a create.
 */
export const CHECK_TIMEOUT_MS = 10_000;

/**
 * How long the api waits for the task function's answer: the check's bound plus a cold start,
 * within the api function's own 29 s.
 */
export const CHECK_INVOKE_TIMEOUT_MS = CHECK_TIMEOUT_MS + 10_000;

/** An event of the task function: a slice to run, a config to check, or one to preview. */
export type TaskEvent =
  | { readonly kind: 'slice'; readonly request: SliceRequest }
  | { readonly kind: 'check'; readonly config: Readonly<Record<string, string>> }
  | { readonly kind: 'preview'; readonly request: PreviewRequest };

export class BadCheckRequestError extends Error {
  override readonly name = 'BadCheckRequestError';
  readonly retriable = false;
}

/**
 * The task function's event: one with a `check` key is a check request, one with `preview` a
 * preview, anything else a slice request (parsed as before, failing the same way). A bad one
 * fails naming what is wrong.
 */
export function parseTaskEvent(event: unknown): TaskEvent {
  if (typeof event === 'object' && event !== null && 'preview' in event) {
    const parsed = previewRequestSchema.safeParse(event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new BadCheckRequestError(`preview request is malformed: ${problems.join('; ')}`);
    }
    const { samples, ...rest } = parsed.data.preview;
    return { kind: 'preview', request: { ...rest, ...(samples && { samples }) } };
  }
  if (typeof event !== 'object' || event === null || !('check' in event)) {
    return { kind: 'slice', request: parseSliceRequest(event) };
  }
  const parsed = checkRequestSchema.safeParse(event);
  if (!parsed.success) {
    // The event holds a config, maybe with secrets in it: its paths only, never its values.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new BadCheckRequestError(
      `check request is not {"check":{"config":{string:string}}}: ${problems.join('; ')}`,
    );
  }
  return { kind: 'check', config: parsed.data.check.config };
}
