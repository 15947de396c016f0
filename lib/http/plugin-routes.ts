import type { ConfigKeyDef } from '../api/config-def.js';
import type { ComponentKind, PluginRegistry } from '../api/registry.js';
import { commonKeyDefs } from '../config/common-keys.js';
import { buildConfigInfos } from '../config/validate-result.js';
import type { ConnectorService } from '../management/connector-service.js';
import { readConfig } from './connector-routes.js';
import { HttpError } from './errors.js';
import type { Route, RouteContext } from './router.js';
import { jsonResponse, type HttpResponse } from './types.js';

/** Where `GET /connector-plugins/{p}/config` looks when no connector answers to the name. */
const COMPONENT_KINDS: readonly ComponentKind[] = ['transformation', 'predicate', 'converter'];

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
   * the plugin's own, each as Kafka Connect's `ConfigKeyInfo` (what a form is built from). As in
   * Kafka Connect 3.5 (KIP-769), a transform, predicate or converter answers too, with its own
   * keys unprefixed (`static.field`, not `transforms.<alias>.static.field`).
   */
  const config = ({ params }: RouteContext): Promise<HttpResponse> => {
    const { className, defs } = pluginKeys(params.plugin!);
    const infos = buildConfigInfos(
      className,
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

  /** A connector first; then the other kinds; a miss names the connectors close to the name. */
  const pluginKeys = (name: string): { className: string; defs: readonly ConfigKeyDef[] } => {
    const connector = registry.find(name);
    if (!connector) {
      for (const kind of COMPONENT_KINDS) {
        const component = registry.findComponent(kind, name);
        if (component) return { className: component.className, defs: component.configDef ?? [] };
      }
    }
    const plugin = connector ?? registry.get(name);
    return {
      className: plugin.className,
      defs: [...commonKeyDefs(plugin.type), ...plugin.configDef],
    };
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
