/**
 * Warm resources: connections, pools and agents a task opens once and the container keeps for
 * the next slice (DESIGN.md "Connectors": connections outlive a slice). A slice never assumes it
 * gets the same container, so a task always asks for what it needs and the cache decides whether
 * an open one can be handed out again.
 *
 * How the coming connectors use it:
 * - JDBC (`pg` Pool, `mysql2` pool): `shared: true` (the pool hands out its own clients),
 *   `healthy` runs `SELECT 1` on it.
 * - CDC (a binlog or logical replication connection): not shared, ever; a second slice of the
 *   same settings at once gets a connection of its own (which the server refuses while the slot
 *   is taken: a retriable failure of that slice).
 * - RabbitMQ (`amqplib`): the connection is shared; each slice opens its own channel on it and
 *   closes it in `stop`.
 * - MQTT: not shared (one client id is one session). Redis: shared. HTTP: a keep-alive agent,
 *   shared.
 */

/** What `open` gives the cache: the resource, and how to check and close it. */
export interface WarmResource<T> {
  readonly value: T;
  /**
   * A cheap check run before a resource that sat idle is handed out again (a ping, `SELECT 1`).
   * False, a throw or no answer within a few seconds: it is closed and a new one opened.
   * Without it, an idle resource is always taken as healthy.
   */
  healthy?(): Promise<boolean>;
  /** Closes it for good: at idle expiry, after a failed check, when discarded, on SIGTERM. */
  close(): Promise<void>;
  /**
   * True when several slices may use it at once (a pool, an agent). By default a resource is
   * used by one slice at a time: another slice asking for the same settings meanwhile gets a
   * new one rather than waiting (a slice's budget is too short to queue behind another).
   */
  readonly shared?: boolean;
}

/** One slice's use of a warm resource; given back by the runtime when the slice ends. */
export interface WarmResourceHandle<T> {
  readonly value: T;
  /** Gives it back before the slice ends (optional: the slice's end does it). */
  release(): void;
  /** It is broken (a fatal protocol error): closed, and never handed out again. */
  discard(): Promise<void>;
}

/** The warm resources a task sees, in `TaskContext.resources`. */
export interface WarmResources {
  /**
   * A resource of this `kind` for these `settings`: one kept from an earlier slice (checked
   * first) when there is one free, otherwise the one `open` opens. `settings` are the resolved
   * connection settings (secrets included): two equal settings objects share resources, whatever
   * their keys' order. They only go into a SHA-256 digest, never into a log; they must be JSON
   * values (strings, numbers, booleans, null, arrays, plain objects).
   *
   * ```ts
   * const pool = await context.resources.acquire('pg', { host, port, user, password, database },
   *   async () => {
   *     const pool = new Pool({ host, port, user, password, database, max: 4 });
   *     return { value: pool, shared: true, close: () => pool.end(),
   *       healthy: async () => (await pool.query('SELECT 1')).rowCount === 1 };
   *   });
   * await pool.value.query(...);
   * ```
   */
  acquire<T>(
    kind: string,
    settings: Readonly<Record<string, unknown>>,
    open: () => Promise<WarmResource<T>>,
  ): Promise<WarmResourceHandle<T>>;
}
