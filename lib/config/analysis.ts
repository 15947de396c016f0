import type { z } from 'zod';
import type { ConfigKeyDef } from '../api/config-def.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import { maskValue } from './mask.js';
import type { KeyReport } from './validate-result.js';

/**
 * The working state of one config check, shared by its steps (common keys, transforms,
 * converters, the plugin's own keys): the problems found per key, and which keys to report with
 * which definition, in order.
 */
export class ConfigAnalysis {
  readonly #problems = new Map<string, string[]>();
  readonly #listed = new Map<string, ConfigKeyDef | undefined>();

  constructor(
    readonly config: ConnectorConfig,
    /** Keys whose value holds a `${...}` reference: their values cannot be judged yet. */
    readonly referenceKeys: ReadonlySet<string>,
  ) {}

  problem(key: string, message: string): void {
    const list = this.#problems.get(key);
    if (list) list.push(message);
    else this.#problems.set(key, [message]);
  }

  /** Kafka Connect's wording for a key that must be given. */
  missing(key: string, why = ''): void {
    this.problem(key, `Missing required configuration "${key}" which has no default value.${why}`);
  }

  /** Kafka Connect's wording for a bad value; a secret's value is not repeated. */
  invalid(key: string, reason: string): void {
    const value = this.config[key] ?? '';
    const shown = maskValue(key, value, this.defs());
    this.problem(key, `Invalid value ${shown} for configuration ${key}: ${reason}`);
  }

  /**
   * Records zod issues as problems. `keyOf` maps an issue's first path element to the config
   * key; issues on keys holding references are dropped (the task checks them once resolved).
   * Returns how many issues were kept.
   */
  issues(
    issues: readonly z.core.$ZodIssue[],
    keyOf: (field: string | undefined) => string,
  ): number {
    let kept = 0;
    for (const issue of issues) {
      const field = issue.path[0];
      const key = keyOf(typeof field === 'string' ? field : undefined);
      if (this.referenceKeys.has(key)) continue;
      kept++;
      if (this.config[key] === undefined) this.missing(key);
      else this.invalid(key, issue.message);
    }
    return kept;
  }

  hasProblems(key?: string): boolean {
    return key === undefined ? this.#problems.size > 0 : this.#problems.has(key);
  }

  problemCount(): number {
    let n = 0;
    for (const list of this.#problems.values()) n += list.length;
    return n;
  }

  /** Reports this key with this definition (first listing wins). */
  list(key: string, def: ConfigKeyDef | undefined): void {
    if (!this.#listed.has(key) || (this.#listed.get(key) === undefined && def)) {
      this.#listed.set(key, def);
    }
  }

  isListed(key: string): boolean {
    return this.#listed.has(key);
  }

  defs(): ConfigKeyDef[] {
    return [...this.#listed.values()].filter((d) => d !== undefined);
  }

  /** Every listed key, then every other key of the config or with a problem, in order. */
  reports(): KeyReport[] {
    for (const key of Object.keys(this.config)) this.list(key, undefined);
    for (const key of this.#problems.keys()) this.list(key, undefined);
    return [...this.#listed].map(([key, def]) => ({
      key,
      def,
      value: this.config[key],
      errors: this.#problems.get(key) ?? [],
    }));
  }

  /** "key: message" for every problem, for logs and exception messages. */
  summary(): string[] {
    return [...this.#problems].flatMap(([key, messages]) => messages.map((m) => `${key}: ${m}`));
  }
}
