import { z } from 'zod';

/**
 * The task function's third event: preview a config (lib/runtime/preview.ts), answered with a
 * `PreviewAnswer`. The config is as the api got it, `${...}` references unresolved: the task
 * function resolves them.
 *
 * @example
 * { "preview": { "config": { "connector.class": "FileStreamSource", ... }, "limit": 10, "timeoutMs": 5000 } }
 */

export const PREVIEW_DEFAULT_RECORDS = 10;
export const PREVIEW_MAX_RECORDS = 100;
export const PREVIEW_DEFAULT_TIMEOUT_MS = 5_000;
/** Within the api function's 29 s, with time for a cold start, the task's start and the answer. */
export const PREVIEW_MAX_TIMEOUT_MS = 15_000;
/** How long the api waits for the task function's preview. */
export const PREVIEW_INVOKE_TIMEOUT_MS = PREVIEW_MAX_TIMEOUT_MS + 12_000;

/** A message a sink preview starts from, given in the request instead of read from its topics. */
export const sampleMessageSchema = z.strictObject({
  topic: z.string().min(1),
  key: z.string().optional(),
  value: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
});

export type SampleMessage = z.infer<typeof sampleMessageSchema>;

export const previewRequestSchema = z.object({
  preview: z.object({
    config: z.record(z.string(), z.string()),
    limit: z.number().int().min(1).max(PREVIEW_MAX_RECORDS),
    timeoutMs: z.number().int().min(0).max(PREVIEW_MAX_TIMEOUT_MS),
    samples: z.array(sampleMessageSchema).max(PREVIEW_MAX_RECORDS).optional(),
  }),
});

export interface PreviewRequest {
  readonly config: Readonly<Record<string, string>>;
  readonly limit: number;
  readonly timeoutMs: number;
  readonly samples?: readonly SampleMessage[];
}
