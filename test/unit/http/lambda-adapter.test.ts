import { describe, expect, test } from 'vitest';
import { handleHttpApiEvent, type HttpApiEvent } from '../../../lib/http/lambda-adapter.js';
import { jsonResponse, type HttpRequest } from '../../../lib/http/types.js';

function event(parts: Partial<HttpApiEvent> & { method?: string; iam?: string }): HttpApiEvent {
  const { method = 'GET', iam, ...rest } = parts;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/connectors',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '1',
      apiId: 'a',
      domainName: 'd',
      domainPrefix: 'd',
      http: { method, path: '/', protocol: 'HTTP/1.1', sourceIp: '', userAgent: '' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(iam === undefined ? {} : { authorizer: { iam: { userArn: iam } } }),
    } as HttpApiEvent['requestContext'],
    ...rest,
  };
}

async function seen(e: HttpApiEvent): Promise<HttpRequest> {
  let request: HttpRequest | undefined;
  const result = await handleHttpApiEvent((r) => {
    request = r;
    return Promise.resolve(jsonResponse(201, { ok: true }, { location: '/x' }));
  }, e);
  expect(result).toEqual({
    statusCode: 201,
    headers: { 'content-type': 'application/json', location: '/x' },
    body: '{"ok":true}',
  });
  return request!;
}

describe('HTTP API v2 events', () => {
  test('become requests: method, raw path, every query value, lower-case headers', async () => {
    const request = await seen(
      event({
        method: 'post',
        rawPath: '/connectors/a%2Fb',
        rawQueryString: 'expand=status&expand=info',
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
      }),
    );
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/connectors/a%2Fb');
    expect(request.query.getAll('expand')).toEqual(['status', 'info']);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toBe('{"a":1}');
    expect(request.iamCaller).toBeUndefined();
  });

  test('base64 bodies are decoded', async () => {
    const request = await seen(
      event({ body: Buffer.from('{"ü":true}').toString('base64'), isBase64Encoded: true }),
    );
    expect(request.body).toBe('{"ü":true}');
  });

  test('the IAM authorizer identity is passed on', async () => {
    const request = await seen(event({ iam: 'arn:aws:iam::1:user/ops' }));
    expect(request.iamCaller).toBe('arn:aws:iam::1:user/ops');
  });
});
