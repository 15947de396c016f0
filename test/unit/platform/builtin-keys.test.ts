// Every built-in plugin, connectors and components alike, documents the keys its schema parses:
// the same names, required where the schema needs them, and the defaults the schema applies.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinPlugins } from '../../../lib/platform/builtins.js';

const cases = builtinPlugins.map(
  (plugin) => [`${plugin.type} ${plugin.className}`, plugin] as const,
);

describe.each(cases)('the built-in %s', (_, plugin) => {
  const schema = plugin.configSchema as z.ZodObject<Record<string, z.ZodType>>;
  const defs = plugin.configDef ?? [];

  it('declares its keys with an object schema', () => {
    expect(plugin.configSchema).toBeInstanceOf(z.ZodObject);
    expect(plugin.configDef).toBeDefined();
  });

  it('documents exactly the keys its schema parses, in words', () => {
    expect(defs.map((d) => d.name).sort()).toEqual(Object.keys(schema.shape).sort());
    for (const def of defs) expect(def.documentation, def.name).not.toBe('');
  });

  it('is required exactly where its schema needs the key', () => {
    for (const def of defs) {
      expect(def.required && def.default !== undefined, def.name).toBe(false);
      const left = schema.shape[def.name]?.safeParse(undefined);
      expect(left?.success, def.name).toBe(!def.required);
    }
  });

  it('parses a left-out key as its documented default', () => {
    for (const def of defs.filter((d) => d.default !== undefined)) {
      const key = schema.shape[def.name];
      expect(key?.parse(undefined), def.name).toEqual(key?.parse(def.default));
    }
  });

  it('lets keys it does not know pass', () => {
    const issues = schema.safeParse({ 'not.its.key': 'x' }).error?.issues ?? [];
    expect(issues.map((i) => i.path[0])).not.toContain('not.its.key');
  });
});
