import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalStackInfo } from '../../infra/local/stack.js';
import { serveHttpApi, type LocalHttpApi } from '../../lib/http/local-server.js';

/** An invoke the API sent to the Lambda endpoint (a coordinator wake-up). */
export interface SeenInvoke {
  readonly functionName: string;
  readonly invocationType: string | undefined;
  readonly payload: unknown;
}

export interface TestApi {
  readonly url: string;
  readonly token: string;
  readonly readToken: string;
  /** Wake-ups of the coordinator, in order. */
  readonly invokes: SeenInvoke[];
  /** Every line the API logged (access lines, server errors). */
  readonly logs: string[];
  /** `fetch` with the admin token (or `token: null` for none). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string | null; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real API function (functions/api.ts), configured through its environment as a deployment
 * would configure it, served over HTTP as API Gateway events, on the local stack. The Lambda
 * invoke endpoint it wakes the coordinator through is a loopback stand-in that records calls.
 * Imports the function module, so one per test file (vitest isolates modules per file).
 */
export async function startTestApi(stack: LocalStackInfo, table: string): Promise<TestApi> {
  const invokes: SeenInvoke[] = [];
  const lambda = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const functionName = decodeURIComponent(
        /functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '',
      );
      invokes.push({
        functionName,
        invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
        payload: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
      });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
  const lambdaPort = (lambda.address() as AddressInfo).port;

  const token = randomBytes(24).toString('hex');
  const readToken = randomBytes(24).toString('hex');
  Object.assign(process.env, {
    STATE_TABLE_NAME: table,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: stack.dynamodb.endpoint,
    LAMBDA_ENDPOINT: `http://127.0.0.1:${lambdaPort}`,
    COORDINATOR_FUNCTION_NAME: 'connect-test-coordinator',
    ROCKETMQ_ENDPOINT: stack.rocketmq.endpoint,
    ROCKETMQ_NAMESRV: stack.rocketmq.namesrv,
    ROCKETMQ_CLUSTER: stack.rocketmq.cluster,
    CONNECT_API_TOKEN: token,
    CONNECT_API_READ_TOKEN: readToken,
    // The function's logger writes its JSON lines through the global console, where they are
    // caught below, instead of straight to stdout.
    POWERTOOLS_DEV: 'true',
  });
  const { logs, restore } = catchLogLines();
  const { handler } = await import('../../functions/api.js');
  const served: LocalHttpApi = await serveHttpApi(handler);

  return {
    url: served.url,
    token,
    readToken,
    invokes,
    logs,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const bearer = options.token === undefined ? token : options.token;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      return fetch(`${served.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
    },
    async close() {
      restore();
      await served.close();
      await new Promise<void>((resolve) => lambda.close(() => resolve()));
    },
  };
}

const LEVELS = ['info', 'warn', 'error'] as const;

/**
 * The message of every line the function's logger writes (one JSON object each); whatever else
 * goes to the console passes through.
 */
function catchLogLines(): { logs: string[]; restore: () => void } {
  const logs: string[] = [];
  const originals = { ...console };
  for (const level of LEVELS) {
    console[level] = (...args: unknown[]) => {
      const message = logMessageOf(args);
      if (message === undefined) originals[level].apply(console, args);
      else logs.push(message);
    };
  }
  return {
    logs,
    restore: () => {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as they were
      for (const level of LEVELS) console[level] = originals[level];
    },
  };
}

function logMessageOf(args: unknown[]): string | undefined {
  if (args.length !== 1 || typeof args[0] !== 'string' || !args[0].startsWith('{'))
    return undefined;
  try {
    const line = JSON.parse(args[0]) as { level?: unknown; message?: unknown };
    return typeof line.level === 'string' && typeof line.message === 'string'
      ? line.message
      : undefined;
  } catch {
    return undefined;
  }
}
