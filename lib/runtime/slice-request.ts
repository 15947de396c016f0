import { z } from 'zod';

/** The event that starts one slice of one task: sent by the coordinator or by the previous slice. */
export const sliceRequestSchema = z.object({
  connector: z.string().min(1).max(255),
  taskId: z.number().int().min(0),
  /** The task-config generation the slice was started for; a newer one makes it stop at once. */
  generation: z.number().int().min(0),
});

export type SliceRequest = z.infer<typeof sliceRequestSchema>;

/**
 * Starts slices without waiting for them: the port the coordinator (and a slice, for its
 * continuation) dispatch through. Its adapters are in `lib/coordinator/dispatch.ts`.
 */
export interface SliceDispatcher {
  dispatch(request: SliceRequest): Promise<void>;
}

export class BadSliceRequestError extends Error {
  override readonly name = 'BadSliceRequestError';
  readonly retriable = false;
}

/** The task function's event; anything else fails naming what is wrong (never retried). */
export function parseSliceRequest(event: unknown): SliceRequest {
  const parsed = sliceRequestSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(event)'}: ${i.message}`,
    );
    throw new BadSliceRequestError(
      `slice request ${JSON.stringify(event)?.slice(0, 200)} is not {"connector":string,` +
        `"taskId":integer>=0,"generation":integer>=0}: ${problems.join('; ')}`,
    );
  }
  return parsed.data;
}
