/**
 * `load`, started on the first call and its promise shared by every later one. A load that
 * fails is forgotten, so the call after a failure tries again rather than failing for good.
 *
 * @example
 * const files = memoizeSuccess(() => readAll());
 * await files(); // loads
 * await files(); // the same promise
 */
export function memoizeSuccess<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (cached) return cached;
    // A load that throws at once fails the same way as one that rejects.
    const loading = (async () => load())();
    cached = loading;
    void loading.catch(() => {
      if (cached === loading) cached = undefined;
    });
    return loading;
  };
}
