/**
 * The few calls of Kafka Connect's REST API the benches make, against Kafka Connect itself or
 * ours (which answers the same shapes and wants a bearer token).
 */

export interface TaskStatus {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string | null;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: string };
  readonly tasks: readonly TaskStatus[];
}

export class ConnectRest {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  /** POST /connectors; answers how long the call took (ms). Fails on an error answer. */
  async create(name: string, config: Record<string, string>): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${this.url}/connectors`, {
      method: 'POST',
      headers: { ...this.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name, config }),
    });
    const body = await response.text();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`POST /connectors ${name}: ${response.status} ${body}`);
    return ms;
  }

  /** GET /connectors/{name}/status; undefined while the connector has none (404). */
  async status(name: string): Promise<ConnectorStatus | undefined> {
    const response = await fetch(`${this.url}/connectors/${encodeURIComponent(name)}/status`, {
      headers: this.auth(),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET status of ${name}: ${response.status}`);
    return (await response.json()) as ConnectorStatus;
  }

  private auth(): Record<string, string> {
    return this.token === undefined ? {} : { authorization: `Bearer ${this.token}` };
  }
}

/** FileStreamSource and FileStreamSink configs, with Kafka Connect's keys. */
export function fileStreamPair(options: {
  readonly input: string;
  readonly output: string;
  readonly topic: string;
}): { source: Record<string, string>; sink: Record<string, string> } {
  return {
    source: {
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: options.input,
      topic: options.topic,
    },
    sink: {
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: options.output,
      topics: options.topic,
    },
  };
}
