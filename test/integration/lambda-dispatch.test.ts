import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DispatchError,
  LambdaSliceDispatcher,
  lambdaSystemCheck,
} from '../../lib/coordinator/dispatch.js';

interface Seen {
  path: string;
  invocationType: string | undefined;
  body: unknown;
}

// A loopback stand-in for the Lambda Invoke API (what serverless-offline serves locally): it
// records what the SDK sends and answers as Lambda does, 202 for an accepted Event invoke.
describe('the Lambda slice dispatcher', () => {
  const seen: Seen[] = [];
  let status = 202;
  /** The answer's body and extra headers (a synchronous invoke's payload, a function error). */
  let body = '';
  let headers: Record<string, string> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        path: req.url ?? '',
        invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
        body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
      });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
  });
  let client: LambdaClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new LambdaClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });
  afterAll(() => {
    client.destroy();
    server.close();
  });

  test('starts a slice with an asynchronous Event invoke of the task function', async () => {
    await new LambdaSliceDispatcher(client, 'connect-dev-task').dispatch({
      connector: 'orders',
      taskId: 2,
      generation: 7,
    });
    expect(seen.at(-1)).toEqual({
      path: '/2015-03-31/functions/connect-dev-task/invocations',
      invocationType: 'Event',
      body: { connector: 'orders', taskId: 2, generation: 7 },
    });
  });

  test('an invoke that is not accepted fails, naming the function and the task', async () => {
    status = 200; // a synchronous answer: the invoke was not queued as an event
    const failure = new LambdaSliceDispatcher(client, 'connect-dev-task').dispatch({
      connector: 'orders',
      taskId: 1,
      generation: 0,
    });
    await expect(failure).rejects.toBeInstanceOf(DispatchError);
    await expect(failure).rejects.toThrow(/connect-dev-task for orders\/1 returned status 200/);
  });

  test("checks a config with a synchronous invoke of the task function, and reads its answer's problems", async () => {
    status = 200;
    body = JSON.stringify({ problems: [{ key: 'table.name', message: 'no table "orders"' }] });
    headers = {};
    const config = { 'connector.class': 'JdbcSink', 'table.name': 'orders' };
    const check = lambdaSystemCheck(client, 'connect-dev-task', () => undefined);
    expect(await check(config)).toEqual([{ key: 'table.name', message: 'no table "orders"' }]);
    expect(seen.at(-1)).toEqual({
      path: '/2015-03-31/functions/connect-dev-task/invocations',
      invocationType: 'RequestResponse',
      body: { check: { config } },
    });
  });

  test('accepts the config unchecked, with a warning, when the task function fails', async () => {
    status = 200;
    body = JSON.stringify({ errorType: 'Error', errorMessage: 'Cannot find module' });
    headers = { 'x-amz-function-error': 'Unhandled' };
    const warnings: string[] = [];
    const check = lambdaSystemCheck(client, 'connect-dev-task', (w) => warnings.push(w));
    expect(await check({ 'connector.class': 'JdbcSink' })).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/failed \(Unhandled\).*Cannot find module/)]);
  });
});
