import type { PluginRegistry } from '../api/registry.js';
import { parseConnectorConfig } from '../config/parse.js';
import type { TaskConfigsFor } from './planner.js';

/**
 * Task configs from each connector's plugin, for the planner. The stored config is parsed (it was
 * valid when written, but a plugin may have changed since); a config the plugin rejects, or a
 * plugin that misbehaves, becomes an Error that the planner shows on the connector's status.
 */
export function taskConfigsFromRegistry(registry: PluginRegistry): TaskConfigsFor {
  return (connector) => {
    try {
      // As in Kafka Connect, a connector's config carries its name.
      const config = { ...connector.config, name: connector.name };
      const { common, plugin } = parseConnectorConfig(config, registry);
      const tasks = plugin.taskConfigs(config, common.tasksMax);
      if (tasks.length > common.tasksMax) {
        return new Error(
          `${plugin.className} returned ${tasks.length} task configs for ${connector.name}, more than tasks.max=${common.tasksMax}`,
        );
      }
      return tasks;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
}
