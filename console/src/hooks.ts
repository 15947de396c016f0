import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from './api-client.js';
import type { PreviewAnswer } from './api-types.js';
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

export interface PreviewState {
  readonly busy: boolean;
  /** The last answer, with the transforms' aliases its table has columns for. */
  readonly shown:
    { readonly answer: PreviewAnswer; readonly aliases: readonly string[] } | undefined;
  /** The last preview's failure (the API refused it, or did not answer). */
  readonly failure: ApiError | undefined;
  /** Runs a preview; answers the failure too, for a caller that shows it elsewhere. */
  readonly run: (
    call: () => Promise<PreviewAnswer>,
    aliases: readonly string[],
  ) => Promise<ApiError | undefined>;
  readonly clear: () => void;
}

/** A preview (`POST /connectors/{name}/preview`) and what it answered; one at a time. */
export function usePreview(): PreviewState {
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<PreviewState['shown']>();
  const [failure, setFailure] = useState<ApiError>();
  const run = useCallback(
    async (call: () => Promise<PreviewAnswer>, aliases: readonly string[]) => {
      setBusy(true);
      setFailure(undefined);
      try {
        setShown({ answer: await call(), aliases });
        return undefined;
      } catch (error) {
        setShown(undefined);
        setFailure(error as ApiError);
        return error as ApiError;
      } finally {
        setBusy(false);
      }
    },
    [],
  );
  const clear = useCallback(() => {
    setShown(undefined);
    setFailure(undefined);
  }, []);
  return { busy, shown, failure, run, clear };
}
