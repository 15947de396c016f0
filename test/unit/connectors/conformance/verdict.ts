// How a behavioural check answers: it resolves when the connector keeps the rule, or throws
// ConformanceError naming the broken rule. Plain errors (not vitest's expect) so that the suite's own tests can run a check
// on a broken connector and see which rule it broke.
import { isDeepStrictEqual, inspect } from 'node:util';

/** A connector broke a rule of the conformance suite; the message says which and how. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

/** One behavioural rule, named as a sentence about the connector, and how to check it. */
export interface Check<A> {
  readonly name: string;
  /** Resolves when the connector keeps the rule; throws ConformanceError when it breaks it. */
  readonly run: (adapter: A) => Promise<void>;
}

/** Throws ConformanceError with `message` unless `condition` holds. */
export function conform(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** Short text of a value for a message (records may be long). */
export function show(value: unknown): string {
  return inspect(value, { depth: 6, breakLength: Infinity, maxArrayLength: 12 });
}

/**
 * Fails unless `actual` equals `expected` item by item, naming the first item that differs:
 * "record 3 was skipped" reads better than two long lists.
 */
export function conformSequence(
  actual: readonly unknown[],
  expected: readonly unknown[],
  what: string,
): void {
  const differs = expected.findIndex((item, i) => !isDeepStrictEqual(actual[i], item));
  if (differs >= 0) {
    throw new ConformanceError(
      `${what}: item ${differs} should be ${show(expected[differs])} but was ` +
        `${differs < actual.length ? show(actual[differs]) : 'missing'}`,
    );
  }
  conform(
    actual.length === expected.length,
    `${what}: ${actual.length - expected.length} more than the ${expected.length} expected, ` +
      `first ${show(actual[expected.length])}`,
  );
}

/** The items of `wanted` that `held` lacks (deep equality; duplicates in `held` are allowed). */
export function missingFrom(held: readonly unknown[], wanted: readonly unknown[]): unknown[] {
  return wanted.filter((w) => !held.some((h) => isDeepStrictEqual(h, w)));
}

/** Resolves what `promise` resolves to, or `timedOut` if it has not settled within `ms`. */
export async function within<T, U>(promise: Promise<T>, ms: number, timedOut: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    // Cleared at once: a pending timer would count as a handle the connector left open.
    clearTimeout(timer);
  }
}
