import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalStackInfo } from '../../infra/local/stack.js';
import { envOnlyProviders } from '../../lib/config/provider-adapters.js';
import type { KeyProblem } from '../../lib/config/validate-result.js';
import { serveHttpApi, type LocalHttpApi } from '../../lib/http/local-server.js';
import { createBuiltinRegistry } from '../../lib/platform/builtins.js';
import { parseTaskEvent } from '../../lib/runtime/check-request.js';
import { inProcessSystemCheck } from '../../lib/runtime/system-check.js';
import { localDynamoClient } from '../../infra/local/probes.js';
import { taskMessagingOf } from '../../lib/platform/topic-admin.js';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import type { PreviewRequest } from '../../lib/runtime/preview-request.js';
import { previewConnector, previewDepsOf, type PreviewAnswer } from '../../lib/runtime/preview.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';

const COORDINATOR = 'connect-test-coordinator';
const TASK = 'connect-test-task';

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
  /** Configs the API asked the task function to check against their systems, in order. */
  readonly checks: Readonly<Record<string, string>>[];
  /** Previews the API asked the task function for, in order. */
  readonly previews: PreviewRequest[];
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
 * invoke endpoint it calls is a loopback stand-in: it records the coordinator's wake-ups, and
 * answers the task function's system checks and previews as the task function would, in this
 * process (`inProcessSystemCheck` and `previewConnector` with the built-in plugins, the stack's
 * RocketMQ and state table, and `${env:...}` from this environment).
 * Imports the function module, so one per test file (vitest isolates modules per file).
 */
export async function startTestApi(stack: LocalStackInfo, table: string): Promise<TestApi> {
  const invokes: SeenInvoke[] = [];
  const checks: Readonly<Record<string, string>>[] = [];
  const previews: PreviewRequest[] = [];
  const registry = createBuiltinRegistry();
  const providers = envOnlyProviders(process.env);
  const systemCheck = inProcessSystemCheck(registry, providers);
  const clients = new ClientCache({ endpoints: stack.rocketmq.endpoint });
  const previewDeps = previewDepsOf({
    registry,
    providers,
    store: new DynamoStateStore(localDynamoClient(stack.dynamodb.endpoint), table),
    messaging: taskMessagingOf(
      { ROCKETMQ_NAMESRV: stack.rocketmq.namesrv, ROCKETMQ_CLUSTER: stack.rocketmq.cluster },
      clients,
    ),
  });
  const answerCheck = async (
    payload: unknown,
  ): Promise<{ problems: KeyProblem[] } | PreviewAnswer> => {
    const event = parseTaskEvent(payload);
    if (event.kind === 'slice') throw new Error('the API sent the task function a slice request');
    if (event.kind === 'preview') {
      previews.push(event.request);
      return previewConnector(event.request, previewDeps);
    }
    checks.push(event.config);
    return { problems: await systemCheck(event.config) };
  };
  const lambda = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const functionName = decodeURIComponent(
        /functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '',
      );
      const invocationType = req.headers['x-amz-invocation-type'] as string | undefined;
      const payload: unknown = JSON.parse(Buffer.concat(chunks).toString() || 'null');
      if (functionName === TASK) {
        answerCheck(payload).then(
          (answer) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(answer));
          },
          (error: unknown) => {
            // As Lambda answers a function error: 200, with the error in the payload.
            res.writeHead(200, {
              'content-type': 'application/json',
              'x-amz-function-error': 'Unhandled',
            });
            res.end(JSON.stringify({ errorMessage: String(error) }));
          },
        );
        return;
      }
      invokes.push({ functionName, invocationType, payload });
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
    COORDINATOR_FUNCTION_NAME: COORDINATOR,
    TASK_FUNCTION_NAME: TASK,
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
    checks,
    previews,
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
      await clients.close();
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
