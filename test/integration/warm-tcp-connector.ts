/**
 * A test connector (not shipped) whose task keeps a TCP connection warm: it acquires one to
 * `tcp.port` on this machine from `context.resources`, so that the test's server sees every
 * open, reuse and close. On connecting it writes `hello`, on each poll `poll`, and `bye` when
 * the cache closes it; it produces no record. With `hold` = true, its poll waits until the
 * slice's budget is spent, so a slice holds the connection for as long as the test needs.
 */
import { Socket } from 'node:net';
import { z } from 'zod';
import type {
  SourceConnectorPlugin,
  SourceTask,
  SourceTaskContext,
} from '../../lib/api/connector.js';
import type { ConnectorConfig } from '../../lib/api/connector-config.js';
import type { WarmResource } from '../../lib/api/warm-resources.js';

export const WARM_TCP_CLASS = 'test.WarmTcpSourceConnector';

const keys = z.object({
  'tcp.port': z.coerce.number().int().positive(),
  /** Resolved from a `${...}` reference: part of the connection settings, never logged. */
  'tcp.secret': z.string().default(''),
  hold: z.enum(['true', 'false']).default('false'),
});

async function connect(port: number): Promise<WarmResource<Socket>> {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A reset while it sits idle must not crash the process: its health check then fails.
  socket.on('error', () => undefined);
  socket.write('hello\n');
  return {
    value: socket,
    healthy: () => Promise.resolve(!socket.destroyed && socket.writable),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end('bye\n');
      }),
  };
}

class WarmTcpSourceTask implements SourceTask {
  #socket: Socket | undefined;
  #hold = false;
  #signal: AbortSignal | undefined;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    const parsed = keys.parse(config);
    const settings = { host: '127.0.0.1', port: parsed['tcp.port'], secret: parsed['tcp.secret'] };
    const port = parsed['tcp.port'];
    this.#socket = (
      await context.resources.acquire('test-tcp', settings, () => connect(port))
    ).value;
    this.#hold = parsed.hold === 'true';
    this.#signal = context.signal;
  }

  async poll(): Promise<never[]> {
    this.#socket?.write('poll\n');
    const signal = this.#signal;
    if (this.#hold && signal && !signal.aborted) {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }
    return [];
  }

  stop(): Promise<void> {
    // The connection stays in the container's cache for the next slice.
    return Promise.resolve();
  }
}

export const warmTcpSource: SourceConnectorPlugin = {
  type: 'source',
  className: WARM_TCP_CLASS,
  aliases: [],
  version: '1.0',
  configDef: [],
  configSchema: keys,
  taskConfigs: (config, maxTasks) => (maxTasks >= 1 ? [{ ...config }] : []),
  createTask: () => Promise.resolve(new WarmTcpSourceTask()),
};
