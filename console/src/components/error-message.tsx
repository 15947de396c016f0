import { formatAgo } from '../format.js';

/** A record or task error, with how long ago it happened when that is known. */
export function ErrorMessage({ message, at, now }: { message: string; at?: number; now: number }) {
  return (
    <span class="error-text">
      {message}
      {at !== undefined && <span class="muted"> ({formatAgo(at, now)})</span>}
    </span>
  );
}
