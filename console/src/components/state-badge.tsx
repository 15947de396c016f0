import type { RuntimeState } from '../api-types.js';

/** A connector's or task's state as a coloured badge; the word itself is always shown. */
export function StateBadge({ state, label }: { state: RuntimeState; label?: string }) {
  return (
    <span class={`badge badge-${state.toLowerCase()}`} title={label ? `${label}: ${state}` : state}>
      {label ? `${label} ` : ''}
      {state}
    </span>
  );
}
