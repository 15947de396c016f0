import { z } from 'zod';
import type { ConfigKeyDef } from '../api/config-def.js';
import { maskValue } from './mask.js';

/**
 * The answer of `PUT /connector-plugins/{p}/config/validate`, field for field Kafka Connect's
 * `ConfigInfos` / `ConfigInfo` / `ConfigKeyInfo` / `ConfigValueInfo`, so that its clients and
 * UIs read it unchanged.
 */
export const configKeyInfoSchema = z.object({
  name: z.string(),
  type: z.string(),
  required: z.boolean(),
  default_value: z.string().nullable(),
  importance: z.string(),
  documentation: z.string(),
  group: z.string().nullable(),
  order_in_group: z.number().int(),
  width: z.string(),
  display_name: z.string(),
  dependents: z.array(z.string()),
});

export const configValueInfoSchema = z.object({
  name: z.string(),
  value: z.string().nullable(),
  recommended_values: z.array(z.string()),
  errors: z.array(z.string()),
  visible: z.boolean(),
});

export const configInfoSchema = z.object({
  definition: configKeyInfoSchema,
  value: configValueInfoSchema,
});

export const configInfosSchema = z.object({
  name: z.string(),
  error_count: z.number().int(),
  groups: z.array(z.string()),
  configs: z.array(configInfoSchema),
});

export type ConfigKeyInfo = z.infer<typeof configKeyInfoSchema>;
export type ConfigValueInfo = z.infer<typeof configValueInfoSchema>;
export type ConfigInfo = z.infer<typeof configInfoSchema>;
export type ConfigInfos = z.infer<typeof configInfosSchema>;

/** A problem with one config key, found outside the config itself. */
export interface KeyProblem {
  readonly key: string;
  readonly message: string;
}

/** One key to report: its definition (none for keys nobody defines), value and errors. */
export interface KeyReport {
  readonly key: string;
  readonly def: ConfigKeyDef | undefined;
  readonly value: string | undefined;
  readonly errors: readonly string[];
}

/**
 * Builds the validate answer; secret values are masked with every definition in `reports`.
 * `order_in_group` is the key's 1-based position among the reported keys of its group.
 */
export function buildConfigInfos(name: string, reports: readonly KeyReport[]): ConfigInfos {
  const defs = reports.flatMap((r) => (r.def ? [r.def] : []));
  const groups: string[] = [];
  const positions = new Map<string, number>();
  const configs = reports.map(({ key, def, value, errors }): ConfigInfo => {
    const group = def?.group ?? null;
    let order = -1;
    if (group !== null) {
      if (!groups.includes(group)) groups.push(group);
      order = (positions.get(group) ?? 0) + 1;
      positions.set(group, order);
    }
    const shown = value ?? def?.default;
    return {
      definition: {
        name: key,
        type: def?.type ?? 'STRING',
        required: def?.required ?? false,
        default_value: def?.default ?? null,
        importance: def?.importance ?? 'LOW',
        documentation: def?.documentation ?? '',
        group,
        order_in_group: order,
        width: def?.width ?? 'NONE',
        display_name: def?.displayName ?? key,
        dependents: [...(def?.dependents ?? [])],
      },
      value: {
        name: key,
        value: shown === undefined ? null : maskValue(key, shown, defs),
        recommended_values: [],
        errors: [...errors],
        visible: true,
      },
    };
  });
  const errorCount = configs.reduce((n, c) => n + c.value.errors.length, 0);
  return { name, error_count: errorCount, groups, configs };
}

/**
 * The validate answer with more errors found outside the config itself (topics that do not
 * exist, a config too large to store): each on its key's entry, added when the key has none.
 */
export function withProblems(result: ConfigInfos, problems: readonly KeyProblem[]): ConfigInfos {
  if (problems.length === 0) return result;
  const configs = result.configs.map((c) => {
    const more = problems.filter((p) => p.key === c.value.name).map((p) => p.message);
    return more.length === 0
      ? c
      : { ...c, value: { ...c.value, errors: [...c.value.errors, ...more] } };
  });
  const listed = new Set(configs.map((c) => c.value.name));
  const extra = buildConfigInfos(
    result.name,
    [...new Set(problems.map((p) => p.key))]
      .filter((key) => !listed.has(key))
      .map((key) => ({
        key,
        def: undefined,
        value: undefined,
        errors: problems.filter((p) => p.key === key).map((p) => p.message),
      })),
  ).configs;
  const all = [...configs, ...extra];
  return {
    ...result,
    configs: all,
    error_count: all.reduce((n, c) => n + c.value.errors.length, 0),
  };
}
