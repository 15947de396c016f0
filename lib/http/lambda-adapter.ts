import type {
  APIGatewayProxyEventV2WithIAMAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { Api } from './api.js';

/**
 * An HTTP API (payload v2) event, as API Gateway, serverless-offline and the local server send
 * it; the authorizer part is present only when the HTTP API uses IAM auth.
 */
export type HttpApiEvent = Omit<APIGatewayProxyEventV2WithIAMAuthorizer, 'requestContext'> & {
  readonly requestContext: Omit<
    APIGatewayProxyEventV2WithIAMAuthorizer['requestContext'],
    'authorizer'
  > & {
    readonly authorizer?: Partial<
      APIGatewayProxyEventV2WithIAMAuthorizer['requestContext']['authorizer']
    >;
  };
};

/** Runs the API on an HTTP API v2 event. */
export async function handleHttpApiEvent(
  api: Api,
  event: HttpApiEvent,
): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[key.toLowerCase()] = value;
  }
  const body =
    event.body === undefined || event.body === null
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  const caller = event.requestContext.authorizer?.iam?.userArn;
  const response = await api({
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(caller ? { iamCaller: caller } : {}),
  });
  return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}
