/**
 * What went wrong with a call to the API, kept whole so the console can say what to fix:
 * `status` 0 means the API was not reached at all.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
    readonly method: string,
    readonly path: string,
    /** Per-key errors of an invalid config (Kafka Connect's 400 answer). */
    readonly keyErrors: Readonly<Record<string, readonly string[]>> = {},
  ) {
    super(message);
  }
}

/** The REST API, with the token the user gave. Answers are parsed JSON, or undefined when empty. */
export class ApiClient {
  constructor(
    readonly token: string,
    /** Called when the API answers 401: the token is not (or no longer) valid. */
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiError(0, (error as Error).message, method, path);
    }
    const text = await response.text();
    let parsed: unknown;
    let unreadable = false;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      unreadable = true;
    }
    if (response.ok && unreadable) {
      throw new ApiError(
        response.status,
        `the answer is not JSON (is ${location.origin} the platform's API?)`,
        method,
        path,
      );
    }
    if (!response.ok) {
      const answer = (parsed ?? {}) as { message?: unknown; errors?: unknown };
      const message =
        typeof answer.message === 'string'
          ? answer.message
          : `${response.status} ${response.statusText}`.trim();
      const keyErrors =
        typeof answer.errors === 'object' && answer.errors !== null
          ? (answer.errors as Record<string, string[]>)
          : {};
      if (response.status === 401) this.onUnauthorized();
      throw new ApiError(response.status, message, method, path, keyErrors);
    }
    return parsed as T;
  }
}
