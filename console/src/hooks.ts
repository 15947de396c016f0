import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { FailureLike } from './problem.js';
import { routeOf, type Route } from './routes.js';

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export interface Polled<T> {
  readonly data: T | undefined;
  /** The last poll's failure; cleared by the next success. Earlier data stays shown. */
  readonly error: FailureLike | undefined;
  /** Polls again now (after an action changed something). */
  readonly refresh: () => void;
}

/** A failure as the banner takes it: an API answer, or a bug in the console (no status). */
function asFailure(error: unknown): FailureLike {
  return error instanceof Error ? error : { message: String(error) };
}

/**
 * Calls `load` now and every `intervalMs` while the page is visible (a hidden tab costs the API
 * nothing); `key` changing starts over.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number, key: string): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<FailureLike>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    setData(undefined);
    setError(undefined);
  }, [key]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      if (!document.hidden) {
        try {
          const value = await loadRef.current();
          if (stopped) return;
          setData(value);
          setError(undefined);
        } catch (failure) {
          if (stopped) return;
          setError(asFailure(failure));
        }
      }
      if (!stopped) timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [key, intervalMs, tick]);

  return { data, error, refresh };
}
