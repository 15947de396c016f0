import { HIDDEN } from '../config/mask.js';
import { itemFromJson } from '../mirror/item-json.js';
import type { JsonValue, StateChangePayload } from '../mirror/payload.js';
import type { Item } from '../state/attributes.js';
import { classifyKey, type StateKey } from '../state/keys.js';

// What a restore writes, decided from the state changes alone: no I/O here.

/** A secret that the mirror masked: restored as `[hidden]`, it must be set again by hand. */
export interface MaskedSecret {
  readonly key: StateKey;
  /** The connector whose config (or task config) it is. */
  readonly connector: string;
  /** Where in the item: `config.db.password`, `tasks[0].db.password`. */
  readonly path: string;
}

export interface RestoreCounts {
  /** State changes read, duplicates included. */
  readonly changes: number;
  /** Distinct keys among them. */
  readonly keys: number;
  /** Keys whose latest change is a deletion: not written. */
  readonly tombstones: number;
  /** Changes that are not the latest of their key: duplicates and older versions. */
  readonly superseded: number;
}

export interface RestorePlan {
  /**
   * The latest item of every key that was not deleted, by pk then sk; a RUNNING connector with
   * a masked secret is PAUSED (see {@link RestorePlan.pausedConnectors}).
   */
  readonly items: readonly Item[];
  readonly counts: RestoreCounts;
  readonly maskedSecrets: readonly MaskedSecret[];
  /**
   * The connectors RUNNING in the topics that have a masked secret (in their config or task
   * configs), restored PAUSED so that no task runs with `[hidden]` as a credential. By name.
   */
  readonly pausedConnectors: readonly string[];
}

/**
 * The latest change of each key among the changes added so far. The state topics deliver at
 * least once and in no order across keys (nor within one, to a restore's fresh consumer group),
 * so the greatest version wins whatever the order of arrival; a change of the same version as
 * the one kept is a duplicate, and either copy may stay.
 *
 * @example
 * const latest = new LatestChanges();
 * for (const change of changes) latest.add(change);
 * const { items, counts, maskedSecrets, pausedConnectors } = latest.plan();
 */
export class LatestChanges {
  readonly #latest = new Map<string, StateChangePayload>();
  #changes = 0;

  add(change: StateChangePayload): void {
    this.#changes += 1;
    // JSON of the pair: no separator can make two keys collide.
    const id = JSON.stringify([change.key.pk, change.key.sk]);
    const kept = this.#latest.get(id);
    if (kept === undefined || change.version > kept.version) this.#latest.set(id, change);
  }

  /** Changes added so far. */
  get changes(): number {
    return this.#changes;
  }

  /** Distinct keys seen so far. */
  get keys(): number {
    return this.#latest.size;
  }

  plan(): RestorePlan {
    const latest = [...this.#latest.values()].sort(
      (a, b) => compare(a.key.pk, b.key.pk) || compare(a.key.sk, b.key.sk),
    );
    const live = latest.filter(
      (c): c is StateChangePayload & { value: NonNullable<StateChangePayload['value']> } =>
        c.value !== null,
    );
    const maskedSecrets = live.flatMap(maskedSecretsOf);
    const withSecrets = new Set(maskedSecrets.map((s) => s.connector));
    const pausedConnectors: string[] = [];
    const items = live.map(({ kind, key, value }) => {
      const connector = connectorOf(key);
      if (kind !== 'connector' || value.targetState !== 'RUNNING' || !withSecrets.has(connector)) {
        return itemFromJson(value);
      }
      pausedConnectors.push(connector);
      // Only the target state changes: a version bump would no longer match the task configs'
      // configVersion, and the coordinator would compute new ones from the masked config.
      return itemFromJson({ ...value, targetState: 'PAUSED' });
    });
    return {
      items,
      counts: {
        changes: this.#changes,
        keys: latest.length,
        tombstones: latest.length - live.length,
        superseded: this.#changes - latest.length,
      },
      maskedSecrets,
      pausedConnectors,
    };
  }
}

/** {@link LatestChanges} over a whole list. */
export function planRestore(changes: Iterable<StateChangePayload>): RestorePlan {
  const latest = new LatestChanges();
  for (const change of changes) latest.add(change);
  return latest.plan();
}

/**
 * The values the mirror masked in a connector's config or task configs. Only those two hold
 * configs; a status trace or an offset reading `[hidden]` is data, not a masked secret.
 */
function maskedSecretsOf(change: StateChangePayload): MaskedSecret[] {
  const { key, value } = change;
  const connector = connectorOf(key);
  const found = (path: string): MaskedSecret => ({ key, connector, path });
  switch (change.kind) {
    case 'connector':
      return hiddenKeys(value?.config).map((k) => found(`config.${k}`));
    case 'taskConfigs': {
      const tasks = value?.tasks;
      if (!Array.isArray(tasks)) return [];
      return tasks.flatMap((task, i) => hiddenKeys(task).map((k) => found(`tasks[${i}].${k}`)));
    }
    case 'connectorStatus':
    case 'task':
    case 'offset':
      return [];
  }
}

/** The connector a key belongs to. */
function connectorOf(key: StateKey): string {
  const classified = classifyKey(key);
  return 'connector' in classified ? classified.connector : key.sk;
}

/** The keys of a config object whose value is exactly the mask. */
function hiddenKeys(config: JsonValue | undefined): string[] {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [];
  return Object.entries(config).flatMap(([k, v]) => (v === HIDDEN ? [k] : []));
}

/** By UTF-16 code unit: a stable order, so the output does not depend on arrival order. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
