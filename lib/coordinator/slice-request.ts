import { z } from 'zod';

/** The event that starts one slice of one task: sent by the coordinator or by the previous slice. */
export const sliceRequestSchema = z.object({
  connector: z.string().min(1).max(255),
  taskId: z.number().int().min(0),
  /** The task-config generation the slice was started for; a newer one makes it stop at once. */
  generation: z.number().int().min(0),
});

export type SliceRequest = z.infer<typeof sliceRequestSchema>;
