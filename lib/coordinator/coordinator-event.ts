import { z } from 'zod';

/** The schedule's EventBridge event (every minute): only its shape matters, not its contents. */
const scheduledEvent = z.looseObject({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
});

/**
 * A direct invoke: the API wakes the coordinator on every config change, `npm start` when it
 * starts (`start`), and a run that ended with something still running starts the next
 * (`continue`), so its fast ticks go on without waiting for the schedule.
 */
const wakeEvent = z.strictObject({
  reason: z.enum(['config-change', 'manual', 'start', 'continue']),
  connector: z.string().min(1).optional(),
});

export type WakeEvent = z.infer<typeof wakeEvent>;

export const coordinatorEventSchema = z.union([scheduledEvent, wakeEvent]);
export type CoordinatorEvent = z.infer<typeof coordinatorEventSchema>;

export class BadEventError extends Error {
  override readonly name = 'BadEventError';
  readonly retriable = false;
}

/** Accepts a schedule tick or a wake-up; anything else fails saying what was expected. */
export function parseCoordinatorEvent(event: unknown): CoordinatorEvent {
  const parsed = coordinatorEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new BadEventError(
      `coordinator event ${JSON.stringify(event)?.slice(0, 200)} is neither a scheduled EventBridge event ` +
        `nor {"reason":"config-change"|"manual"|"start"|"continue","connector"?:string}`,
    );
  }
  return parsed.data;
}
