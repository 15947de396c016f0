// The descriptor half of the conformance suite: how a plugin is named, documented, split and
// parsed. describe.ts runs it with the behavioural checks.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConnectorPlugin } from '../../../../lib/api/connector.js';
import type { ConnectorConfig } from '../../../../lib/api/connector-config.js';
import { createTask } from '../context.js';

export interface ConformanceFixture {
  /** A config the plugin accepts, common keys included, as stored. */
  readonly validConfig: ConnectorConfig;
  /** Configs the plugin rejects, each with the one key the error must name. */
  readonly badConfigs: readonly { readonly config: ConnectorConfig; readonly key: string }[];
}

export function describeConnectorConformance(
  plugin: ConnectorPlugin,
  fixture: ConformanceFixture,
): void {
  describe(`${plugin.className} conformance`, () => {
    it('has an identity: class name, aliases and version', () => {
      expect(plugin.className).toMatch(/^[\w.]+Connector$/);
      expect(plugin.aliases.length).toBeGreaterThan(0);
      expect(new Set([plugin.className, ...plugin.aliases]).size).toBe(plugin.aliases.length + 1);
      expect(plugin.version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('documents exactly the keys its schema parses', () => {
      expect(plugin.configSchema).toBeInstanceOf(z.ZodObject);
      const parsed = Object.keys((plugin.configSchema as z.ZodObject).shape).sort();
      const documented = plugin.configDef.map((d) => d.name).sort();
      expect(documented).toEqual(parsed);
      for (const def of plugin.configDef) {
        expect(def.documentation, def.name).not.toBe('');
        expect(def.required && def.default !== undefined, def.name).toBe(false);
      }
    });

    it('accepts its documented defaults and lets unknown keys pass', () => {
      const defaults = Object.fromEntries(
        plugin.configDef.flatMap((d) => (d.default === undefined ? [] : [[d.name, d.default]])),
      );
      expect(plugin.configSchema.safeParse({ ...fixture.validConfig, ...defaults }).success).toBe(
        true,
      );
      expect(plugin.configSchema.safeParse({ ...fixture.validConfig, other: 'x' }).success).toBe(
        true,
      );
    });

    it.each([1, 3, 98])('returns deterministic task configs, at most %i', (maxTasks) => {
      const first = plugin.taskConfigs(fixture.validConfig, maxTasks);
      expect(first.length).toBeGreaterThan(0);
      expect(first.length).toBeLessThanOrEqual(maxTasks);
      expect(plugin.taskConfigs({ ...fixture.validConfig }, maxTasks)).toEqual(first);
      for (const task of first) expect(plugin.configSchema.safeParse(task).success).toBe(true);
    });

    it.each(fixture.badConfigs.map((c) => [c.key, c.config] as const))(
      'names %s in the error for a bad config',
      (key, config) => {
        const parsed = plugin.configSchema.safeParse(config);
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.map((i) => i.path[0])).toEqual([key]);
      },
    );

    it('loads its task code and creates a fresh task each time', async () => {
      const [first, second] = await Promise.all([createTask(plugin), createTask(plugin)]);
      expect(first).not.toBe(second);
    });
  });
}
