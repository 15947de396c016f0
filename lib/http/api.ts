import { randomUUID } from 'node:crypto';
import type { PluginRegistry } from '../api/registry.js';
import type { ConnectorService } from '../management/connector-service.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '../management/prometheus-metrics.js';
import type { StateStore } from '../state/types.js';
import type { Authorizer } from './auth.js';
import { connectorHandlers, connectorRoutes } from './connector-routes.js';
import { acceptsHtml, consoleServer, type ConsoleFiles } from './console-routes.js';
import { errorResponse } from './errors.js';
import { pluginRoutes } from './plugin-routes.js';
import { rocketMqRoutes } from './rocketmq-routes.js';
import { accessOf, matchRoute, type Route } from './router.js';
import { jsonResponse, type HttpRequest, type HttpResponse } from './types.js';
import { Views } from './views.js';

export interface ApiDeps {
  readonly service: ConnectorService;
  readonly store: StateStore;
  readonly registry: PluginRegistry;
  readonly authorize: Authorizer;
  /** What `GET /` reports. */
  readonly info: { readonly version: string; readonly commit: string; readonly clusterId: string };
  /** The web console's built files; asked for on the first request for the console. */
  readonly consoleFiles: () => Promise<ConsoleFiles>;
  /** One line per request (method, path, status, time) and the details of server errors. */
  readonly log: (line: string) => void;
  readonly now?: () => number;
}

/** A request in, a response out: the whole REST API, whatever carries it. */
export type Api = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * The management REST API: Kafka Connect's routes, RocketMQ Connect's aliases, `/metrics` in
 * Prometheus format, `/health`, and the web console (`/console/...`, and `/` for a browser).
 * Every route but `/health` and the console's needs credentials. Errors are answered with real
 * status codes and Kafka Connect's `{error_code, message}`.
 */
export function createApi(deps: ApiDeps): Api {
  const { service, store, registry, authorize, log } = deps;
  const now = deps.now ?? Date.now;
  const views = new Views(registry, now);
  const handlers = connectorHandlers(service, views);
  const webConsole = consoleServer(deps.consoleFiles);
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: '/',
      // A browser loading the API's address gets the console's page, public like the rest of
      // the console; API clients (no Accept, or `*/*`) get Kafka Connect's JSON, as ever, which
      // needs credentials. Both answers vary with Accept.
      access: (request) => (acceptsHtml(request) ? 'public' : 'read'),
      handle: async ({ request }) => {
        const response = acceptsHtml(request)
          ? await webConsole.page()
          : jsonResponse(200, {
              version: deps.info.version,
              commit: deps.info.commit,
              kafka_cluster_id: deps.info.clusterId,
            });
        return { ...response, headers: { ...response.headers, vary: 'accept' } };
      },
    },
    {
      method: 'GET',
      pattern: '/health',
      access: 'public',
      // Healthy when the state table answers: without it the API can do nothing.
      handle: async () => {
        await store.getConnector('health-check');
        return jsonResponse(200, { status: 'healthy', message: 'the state table answers' });
      },
    },
    {
      method: 'GET',
      pattern: '/metrics',
      access: 'read',
      handle: async () => {
        const snapshot = await store.snapshot();
        const body = renderMetrics({ snapshot, typeOf: (c) => views.typeOfKnown(c.config) });
        return { statusCode: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE }, body };
      },
    },
    ...connectorRoutes(service, views, handlers),
    ...pluginRoutes(service, registry),
    ...rocketMqRoutes(handlers, registry),
    ...webConsole.routes,
  ];

  return async (request) => {
    const started = now();
    const requestId = randomUUID();
    let response: HttpResponse;
    try {
      const { route, params } = matchRoute(routes, request.method, request.path);
      authorize(request, accessOf(route, request));
      response = await route.handle({ request, params });
    } catch (error) {
      response = errorResponse(error, log, requestId);
    }
    // The path may hold a connector name, never a config value; bodies are never logged.
    log(
      `${request.method} ${request.path.slice(0, 300)} ${response.statusCode} ${now() - started}ms`,
    );
    return { ...response, headers: { ...response.headers, 'x-request-id': requestId } };
  };
}
