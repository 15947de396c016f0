import { describeProblem, type FailureLike } from '../problem.js';

/** A failure said as what to fix; role=alert so screen readers announce it. */
export function ProblemBanner({
  failure,
  onRetry,
}: {
  failure: FailureLike;
  onRetry?: () => void;
}) {
  const problem = describeProblem(failure, location.origin);
  return (
    <div class="problem" role="alert">
      <strong>{problem.title}</strong>
      <p class="problem-detail">{problem.detail}</p>
      <p>{problem.fix}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
