import type { PluginRegistry } from '../api/registry.js';
import { commonKeyDefs } from '../config/common-keys.js';
import { buildConfigInfos } from '../config/validate-result.js';
import type { ConnectorService } from '../management/connector-service.js';
import { readConfig } from './connector-routes.js';
import { HttpError } from './errors.js';
import type { Route, RouteContext } from './router.js';
import { jsonResponse, type HttpResponse } from './types.js';

/** Kafka Connect's `/connector-plugins` routes. */
export function pluginRoutes(service: ConnectorService, registry: PluginRegistry): Route[] {
  const list = ({ request }: RouteContext): Promise<HttpResponse> => {
    const raw = request.query.get('connectorsOnly');
    if (raw !== null && !/^(true|false)$/i.test(raw)) {
      throw new HttpError(
        400,
        `query parameter connectorsOnly must be true or false, got ${JSON.stringify(raw.slice(0, 100))}`,
      );
    }
    return Promise.resolve(
      jsonResponse(200, registry.list({ connectorsOnly: raw === null || /^true$/i.test(raw) })),
    );
  };

  /**
   * The keys a connector of this plugin takes: the platform's common keys for its type, then
   * the plugin's own, each as Kafka Connect's `ConfigKeyInfo` (what a form is built from).
   */
  const config = ({ params }: RouteContext): Promise<HttpResponse> => {
    const plugin = registry.get(params.plugin!);
    const defs = [...commonKeyDefs(plugin.type), ...plugin.configDef];
    const infos = buildConfigInfos(
      plugin.className,
      defs.map((def) => ({ key: def.name, def, value: undefined, errors: [] })),
    );
    return Promise.resolve(
      jsonResponse(
        200,
        infos.configs.map((c) => c.definition),
      ),
    );
  };

  const validate = async ({ request, params }: RouteContext): Promise<HttpResponse> => {
    const plugin = registry.get(params.plugin!);
    const config = readConfig(request);
    const named = config['connector.class'];
    if (named !== undefined && registry.find(named) !== plugin) {
      throw new HttpError(
        400,
        `connector.class ${JSON.stringify(named)} in the body does not match the plugin in the path, ${plugin.className}`,
      );
    }
    return jsonResponse(
      200,
      await service.validate({ ...config, 'connector.class': named ?? plugin.className }),
    );
  };

  return [
    { method: 'GET', pattern: '/connector-plugins', access: 'read', handle: list },
    { method: 'GET', pattern: '/connector-plugins/:plugin/config', access: 'read', handle: config },
    {
      method: 'PUT',
      pattern: '/connector-plugins/:plugin/config/validate',
      access: 'read',
      handle: validate,
    },
  ];
}
