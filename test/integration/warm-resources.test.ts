/**
 * Warm resources on the real local stack: a test connector's task keeps a TCP connection to a
 * server this test runs in the container's cache. Two slices in one process: opened once, reused
 * once. A process running a slice that holds one, sent SIGTERM (Lambda shutting the container
 * down): the connection is closed cleanly (`bye` before the end) and the process exits.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, onTestFinished } from 'vitest';
import { repoRoot } from '../../infra/local/settings.js';
import { createRegistry } from '../../lib/api/registry.js';
import { builtinPlugins } from '../../lib/platform/builtins.js';
import { runSlice } from '../../lib/runtime/slice-runner.js';
import { WarmResourceCache } from '../../lib/runtime/warm-resource-cache.js';
import { test } from './fixtures.js';
import { LocalPlatform } from './platform.js';
import { WARM_TCP_CLASS, warmTcpSource } from './warm-tcp-connector.js';
import type { WarmWorkerSettings } from './warm-worker.js';

/** A TCP server that records each connection's lines and whether it has closed. */
class LineServer {
  readonly connections: { lines: string[]; closed: boolean }[] = [];
  readonly #server: Server;

  private constructor() {
    this.#server = createServer((socket) => {
      const connection = { lines: [] as string[], closed: false };
      this.connections.push(connection);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        connection.closed = true;
      });
      createInterface({ input: socket }).on('line', (line) => connection.lines.push(line));
    });
  }

  static async start(): Promise<LineServer> {
    const server = new LineServer();
    server.#server.listen(0, '127.0.0.1');
    await once(server.#server, 'listening');
    return server;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  open(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.#server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  }

  /** Resolves only once every connection to it has ended: an open one fails the test by time. */
  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const SECRET = 'a-secret-resolved-in-the-task';
const registry = createRegistry([...builtinPlugins, warmTcpSource]);
const warmConfig = (port: number, extra: Record<string, string> = {}) => ({
  'connector.class': WARM_TCP_CLASS,
  'tcp.port': String(port),
  'tcp.secret': '${env:WARM_TEST_SECRET}',
  'poll.interval.ms': '50',
  ...extra,
});

describe('warm resources', () => {
  test('a second slice in a warm container reuses the connection the first opened, and closeAll closes it', async ({
    dynamo,
    table,
    rocketmq,
  }) => {
    process.env.WARM_TEST_SECRET = SECRET;
    const server = await LineServer.start();
    const platform = new LocalPlatform(dynamo, table, rocketmq, registry);
    onTestFinished(() => platform.close());
    const lines: string[] = [];
    const log = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    const cache = new WarmResourceCache({ log });
    await platform.store.createConnector('warm', warmConfig(server.port), 'RUNNING', Date.now());
    await platform.plan();
    const deps = {
      ...platform.sliceDeps,
      resources: cache,
      dispatcher: { dispatch: () => Promise.resolve() },
    };

    for (const holderId of ['first', 'second']) {
      const outcome = await runSlice(
        { connector: 'warm', taskId: 0, generation: 0 },
        { holderId, remainingMs: 900_000 },
        deps,
      );
      expect(outcome).toMatchObject({ kind: 'ran', status: { state: 'RUNNING' } });
    }
    expect(cache.stats()).toMatchObject({ opened: 1, reused: 1, closed: 0, held: 1 });
    expect(server.connections).toHaveLength(1);
    const [connection] = server.connections;
    expect(connection?.lines.filter((l) => l === 'hello')).toHaveLength(1);
    expect(connection?.closed).toBe(false);

    await cache.closeAll();
    await until(() => connection?.closed === true, 'the connection closed');
    expect(connection?.lines.at(-1)).toBe('bye');
    expect(await server.open()).toBe(0);
    await server.close();
    // The cache logged its opens and closes, never the settings (the resolved secret).
    expect(lines.join('\n')).toMatch(/test-tcp: opened[^]*test-tcp: closed/);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  test('a container killed with SIGTERM mid-slice closes the resources its slice holds, and exits', async ({
    stack,
    dynamo,
    table,
    rocketmq,
  }) => {
    const server = await LineServer.start();
    const platform = new LocalPlatform(dynamo, table, rocketmq, registry);
    onTestFinished(() => platform.close());
    await platform.store.createConnector(
      'held',
      warmConfig(server.port, { hold: 'true', 'slice.max.ms': '60000' }),
      'RUNNING',
      Date.now(),
    );
    await platform.plan();
    const settings: WarmWorkerSettings = {
      dynamoEndpoint: stack.dynamodb.endpoint,
      table,
      rocketmqEndpoint: stack.rocketmq.endpoint,
      connector: 'held',
      generation: 0,
    };
    const worker = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'test/integration/warm-worker.ts')],
      {
        cwd: repoRoot,
        env: { ...process.env, WARM_TEST_SECRET: SECRET, WARM_WORKER: JSON.stringify(settings) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const output: string[] = [];
    worker.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const exited = once(worker, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    onTestFinished(() => {
      if (worker.exitCode === null) worker.kill('SIGKILL');
    });

    // The slice holds its connection (its task polls until the budget ends, a minute away).
    await until(() => server.connections[0]?.lines.includes('poll') === true, 'the slice polling');
    expect(server.connections[0]?.closed).toBe(false);
    worker.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal, output: output.join('') }).toEqual({
      code: 0,
      signal: null,
      output: '',
    });
    await until(() => server.connections[0]?.closed === true, 'the connection closed');
    expect(server.connections[0]?.lines.at(-1)).toBe('bye');
    expect(server.connections).toHaveLength(1);
    await server.close();
  });
});
