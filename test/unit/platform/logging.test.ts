import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { functionLogger, logInvocations } from '../../../lib/platform/logging.js';

const context = {
  awsRequestId: 'request-1',
  functionName: 'rocketmq-connect-dev-api',
} as unknown as Context;

/** A function's logger writing to a captured console (POWERTOOLS_DEV: the global console). */
function capturedLogger() {
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  const lines: Record<string, unknown>[] = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    });
  }
  return { logger: functionLogger('api'), lines };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the functions logging', () => {
  test('writes JSON lines with the service and the invocation, never the event', async () => {
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    const { logger, lines } = capturedLogger();
    const handler = middy((_event: { headers: Record<string, string> }) => {
      logger.info('GET /connectors 200 3ms');
      return Promise.resolve('done');
    }).use(logInvocations(logger));

    await handler({ headers: { authorization: 'Bearer a-secret-token' } }, context);

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'GET /connectors 200 3ms',
        service: 'rocketmq-connect-api',
        function_request_id: 'request-1',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('a-secret-token');
  });

  test('drops the keys an invocation appended once it ends', async () => {
    const { logger, lines } = capturedLogger();
    const handler = middy((event: { connector?: string }) => {
      if (event.connector) logger.appendKeys({ connector: event.connector });
      logger.info('slice');
      return Promise.resolve();
    }).use(logInvocations(logger));

    await handler({ connector: 'orders' }, context);
    await handler({}, context);

    expect(lines.map((line) => line.connector)).toEqual(['orders', undefined]);
  });
});
