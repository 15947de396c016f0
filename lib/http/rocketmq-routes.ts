import type { PluginRegistry } from '../api/registry.js';
import type { ConnectorHandlers } from './connector-routes.js';
import type { Route } from './router.js';
import { jsonResponse } from './types.js';

/**
 * RocketMQ Connect's paths, as aliases: each runs the Kafka Connect handler of the same meaning
 * and answers with its status codes and shapes. RocketMQ Connect changes state with GET (`/stop`
 * deletes the connector, as there); those count as writes for auth.
 */
export function rocketMqRoutes(h: ConnectorHandlers, registry: PluginRegistry): Route[] {
  return [
    // Creates, or updates an existing connector, from a flat config body.
    { method: 'POST', pattern: '/connectors/:name', access: 'write', handle: h.putConfig },
    { method: 'GET', pattern: '/connectors/list', access: 'read', handle: h.list },
    { method: 'GET', pattern: '/connectors/:name/stop', access: 'write', handle: h.remove },
    { method: 'GET', pattern: '/connectors/:name/pause', access: 'write', handle: h.pause },
    { method: 'GET', pattern: '/connectors/:name/resume', access: 'write', handle: h.resume },
    {
      method: 'GET',
      pattern: '/plugin/list',
      access: 'read',
      handle: () => Promise.resolve(jsonResponse(200, registry.list({ connectorsOnly: false }))),
    },
  ];
}
