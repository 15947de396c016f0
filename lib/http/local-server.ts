import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { HttpApiEvent } from './lambda-adapter.js';

/** API Gateway's own payload limit: larger requests never reach the function. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export type HttpApiHandler = (
  event: HttpApiEvent,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalHttpApi {
  readonly server: Server;
  /** e.g. `http://127.0.0.1:8083` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves a Lambda handler of HTTP API v2 events over plain HTTP, as API Gateway would call it:
 * each request becomes an event, bodies over API Gateway's 10 MB limit are refused before the
 * function sees them. For tests and local tools; `npm start` uses serverless-offline.
 */
export async function serveHttpApi(
  handler: HttpApiHandler,
  options: { port?: number; host?: string } = {},
): Promise<LocalHttpApi> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        if (body === undefined) {
          response.writeHead(413, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ message: 'Request Entity Too Large' }));
          return;
        }
        const result = await handler(toEvent(request, body), lambdaContext());
        response.writeHead(
          result.statusCode ?? 200,
          result.headers as Record<string, string> | undefined,
        );
        response.end(result.body ?? '');
      } catch (error) {
        // What API Gateway answers when the function itself fails.
        console.error('local HTTP API: the handler failed', error);
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal Server Error' }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The body, or undefined when it passes the gateway's limit (the rest is not read). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > GATEWAY_MAX_BODY_BYTES) {
      request.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function toEvent(request: IncomingMessage, body: Buffer): HttpApiEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  const method = request.method ?? 'GET';
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    isBase64Encoded: true,
    ...(body.length > 0 ? { body: body.toString('base64') } : {}),
  };
}

function lambdaContext(): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:api',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/api',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
