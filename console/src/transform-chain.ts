// The create form's transforms editor as plain data: a config's `transforms.*` and
// `predicates.*` keys read into a chain the editor shows, and the chain written back as the same
// standard keys. Nothing a config holds is lost on the way: keys of aliases not listed stay
// with the form's other keys, settings no plugin documents stay on their transform.
import { shortName } from '../../lib/api/plugin-names.js';
import type { PluginInfo } from './api-types.js';

/** `type` as Kafka Connect spells the class key, `class` as RocketMQ Connect does. */
export type TypeKey = 'type' | 'class';

/** One transform: `transforms.<alias>.*`. */
export interface TransformEntry {
  readonly alias: string;
  /** As written: a class name, alias or short name; '' until one is chosen. */
  readonly type: string;
  readonly typeKey: TypeKey;
  /** Its own settings, unprefixed (`static.field`); an empty value is left out of the config. */
  readonly settings: Readonly<Record<string, string>>;
  /** Its predicate's name in `predicates`. */
  readonly predicate?: string;
  /** `negate` as written; undefined when not set. */
  readonly negate?: string;
}

/** One predicate: `predicates.<name>.*`. */
export interface PredicateEntry {
  readonly name: string;
  readonly type: string;
  readonly typeKey: TypeKey;
  readonly settings: Readonly<Record<string, string>>;
}

export interface Chain {
  readonly transforms: readonly TransformEntry[];
  /** Every predicate, attached to a transform or not (a pasted config may list unused ones). */
  readonly predicates: readonly PredicateEntry[];
}

export const EMPTY_CHAIN: Chain = { transforms: [], predicates: [] };

/** The keys of a chain entry that are not its plugin's settings. */
const ENTRY_KEYS = new Set(['type', 'class', 'predicate', 'negate']);

/** Kafka Connect's list value: comma-separated, blanks around names ignored, empty names dropped. */
const listOf = (value: string | undefined): string[] => [
  ...new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ),
];

function entryOf(
  config: Readonly<Record<string, string>>,
  prefix: string,
  consumed: Set<string>,
): { type: string; typeKey: TypeKey; settings: Record<string, string>; own: Set<string> } {
  const settings: Record<string, string> = {};
  const own = new Set<string>();
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(prefix)) continue;
    consumed.add(key);
    const name = key.slice(prefix.length);
    if (ENTRY_KEYS.has(name)) own.add(name);
    else settings[name] = value;
  }
  const type = config[`${prefix}type`];
  const klass = config[`${prefix}class`];
  // Both given (a mistake the API names on the class key): the type is kept, the class too,
  // as a setting, so that the refusal shows and nothing is lost.
  if (type !== undefined && klass !== undefined) settings.class = klass;
  return type === undefined && klass !== undefined
    ? { type: klass, typeKey: 'class', settings, own }
    : { type: type ?? '', typeKey: 'type', settings, own };
}

/**
 * Splits a config into the chain (the transforms and predicates its lists name, with their
 * keys) and the rest. A predicate a transform names but `predicates` does not list is added to
 * the chain without a type, so the editor asks for one.
 */
export function chainFromConfig(config: Readonly<Record<string, string>>): {
  chain: Chain;
  rest: Record<string, string>;
} {
  const consumed = new Set<string>(['transforms', 'predicates']);
  const predicates: PredicateEntry[] = listOf(config.predicates).map((name) => {
    const { type, typeKey, settings } = entryOf(config, `predicates.${name}.`, consumed);
    return { name, type, typeKey, settings };
  });
  const transforms = listOf(config.transforms).map((alias): TransformEntry => {
    const prefix = `transforms.${alias}.`;
    const { type, typeKey, settings } = entryOf(config, prefix, consumed);
    const predicate = config[`${prefix}predicate`];
    const negate = config[`${prefix}negate`];
    if (predicate !== undefined && predicate.trim() !== '') {
      const name = predicate.trim();
      if (!predicates.some((p) => p.name === name)) {
        predicates.push({ name, type: '', typeKey: 'type', settings: {} });
      }
    }
    return {
      alias,
      type,
      typeKey,
      settings,
      ...(predicate !== undefined && predicate.trim() !== '' && { predicate: predicate.trim() }),
      ...(negate !== undefined && { negate }),
    };
  });
  const rest: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (!consumed.has(key)) rest[key] = value;
  return { chain: { transforms, predicates }, rest };
}

/** The chain as config keys; empty values are left out (the plugin's default applies). */
export function chainToConfig(chain: Chain): Record<string, string> {
  const config: Record<string, string> = {};
  const write = (prefix: string, entry: TransformEntry | PredicateEntry) => {
    if (entry.type.trim() !== '') config[`${prefix}${entry.typeKey}`] = entry.type.trim();
    for (const [key, value] of Object.entries(entry.settings)) {
      if (value !== '') config[`${prefix}${key}`] = value;
    }
  };
  if (chain.transforms.length > 0) {
    config.transforms = chain.transforms.map((t) => t.alias).join(',');
  }
  for (const t of chain.transforms) {
    const prefix = `transforms.${t.alias}.`;
    write(prefix, t);
    if (t.predicate !== undefined) config[`${prefix}predicate`] = t.predicate;
    if (t.negate !== undefined) config[`${prefix}negate`] = t.negate;
  }
  if (chain.predicates.length > 0) {
    config.predicates = chain.predicates.map((p) => p.name).join(',');
  }
  for (const p of chain.predicates) write(`predicates.${p.name}.`, p);
  return config;
}

/**
 * Whether the editor writes this key (the lists, and the keys of the transforms and predicates
 * they name), so the form's "Other keys" must not set it too.
 */
export function isChainKey(chain: Chain, key: string): boolean {
  const k = key.trim();
  return (
    k === 'transforms' ||
    k === 'predicates' ||
    chain.transforms.some((t) => k.startsWith(`transforms.${t.alias}.`)) ||
    chain.predicates.some((p) => k.startsWith(`predicates.${p.name}.`))
  );
}

/** What is wrong with an alias (its name in `transforms`), if anything. */
export function aliasProblem(chain: Chain, alias: string, index?: number): string | undefined {
  const trimmed = alias.trim();
  if (trimmed === '') return 'Give the transform an alias, its name in transforms.';
  if (/[,\s]/.test(trimmed)) return 'An alias cannot hold commas or spaces.';
  if (chain.transforms.some((t, i) => i !== index && t.alias === trimmed)) {
    return `Another transform is named ${trimmed}.`;
  }
  return undefined;
}

const replaceAt = <T>(list: readonly T[], index: number, item: T): T[] =>
  list.map((x, i) => (i === index ? item : x));

/** Predicates no transform names any more are dropped, unless kept (listed on their own). */
function dropUnused(chain: Chain, names: readonly (string | undefined)[]): Chain {
  const used = new Set(chain.transforms.map((t) => t.predicate));
  const gone = new Set(names.filter((n) => n !== undefined && !used.has(n)));
  return { ...chain, predicates: chain.predicates.filter((p) => !gone.has(p.name)) };
}

export function addTransform(chain: Chain, alias: string, type: string): Chain {
  const entry: TransformEntry = { alias: alias.trim(), type, typeKey: 'type', settings: {} };
  return { ...chain, transforms: [...chain.transforms, entry] };
}

/** Removes a transform, and its predicate when no other transform uses it. */
export function removeTransform(chain: Chain, index: number): Chain {
  const removed = chain.transforms[index];
  const left = { ...chain, transforms: chain.transforms.filter((_, i) => i !== index) };
  return dropUnused(left, [removed?.predicate]);
}

/** Moves a transform up (-1) or down (+1) the chain; the order is the order records meet them. */
export function moveTransform(chain: Chain, index: number, by: -1 | 1): Chain {
  const to = index + by;
  const [a, b] = [chain.transforms[index], chain.transforms[to]];
  if (a === undefined || b === undefined) return chain;
  return { ...chain, transforms: replaceAt(replaceAt(chain.transforms, index, b), to, a) };
}

export function updateTransform(
  chain: Chain,
  index: number,
  change: (t: TransformEntry) => TransformEntry,
): Chain {
  const current = chain.transforms[index];
  return current
    ? { ...chain, transforms: replaceAt(chain.transforms, index, change(current)) }
    : chain;
}

export function updatePredicate(
  chain: Chain,
  name: string,
  change: (p: PredicateEntry) => PredicateEntry,
): Chain {
  return { ...chain, predicates: chain.predicates.map((p) => (p.name === name ? change(p) : p)) };
}

export const withSetting = <E extends TransformEntry | PredicateEntry>(
  entry: E,
  key: string,
  value: string | undefined,
): E => {
  const others = Object.fromEntries(Object.entries(entry.settings).filter(([k]) => k !== key));
  return { ...entry, settings: value === undefined ? others : { ...others, [key]: value } };
};

/**
 * Attaches a predicate of this type to the transform ('' detaches it). A transform without one
 * gets a new predicate named after its alias; one that has one changes that predicate's type
 * (shared with the other transforms that name it).
 */
export function setPredicateType(chain: Chain, index: number, type: string): Chain {
  const transform = chain.transforms[index];
  if (!transform) return chain;
  if (type === '') {
    const detached: TransformEntry = {
      alias: transform.alias,
      type: transform.type,
      typeKey: transform.typeKey,
      settings: transform.settings,
    };
    return dropUnused(
      updateTransform(chain, index, () => detached),
      [transform.predicate],
    );
  }
  if (transform.predicate !== undefined) {
    return updatePredicate(chain, transform.predicate, (p) => ({ ...p, type }));
  }
  const taken = new Set(chain.predicates.map((p) => p.name));
  let name = transform.alias;
  for (let n = 2; taken.has(name); n++) name = `${transform.alias}-${n}`;
  const added: PredicateEntry = { name, type, typeKey: 'type', settings: {} };
  return updateTransform({ ...chain, predicates: [...chain.predicates, added] }, index, (t) => ({
    ...t,
    predicate: name,
  }));
}

/** The transforms that name this predicate, by alias. */
export const usersOf = (chain: Chain, predicate: string): string[] =>
  chain.transforms.filter((t) => t.predicate === predicate).map((t) => t.alias);

/**
 * The listed plugin a config's type names: by class name, or by its last segment (`RegexRouter`,
 * `InsertField$Value`), case-insensitively; an alias in another package (RocketMQ Connect's
 * `org.apache.rocketmq.connect.transforms.RegexRouter`) by its last segment when only one listed
 * plugin has it. Undefined when none does (the API may still know the name).
 */
export function pluginNamed(
  plugins: readonly PluginInfo[],
  type: string,
  kind: 'transformation' | 'predicate',
): PluginInfo | undefined {
  const wanted = type.trim().toLowerCase();
  if (wanted === '') return undefined;
  const ofKind = plugins.filter((p) => p.type === kind);
  const short = (name: string) => shortName(name).toLowerCase();
  const bySegment = ofKind.filter((p) => short(p.class) === short(wanted));
  return (
    ofKind.find((p) => p.class.toLowerCase() === wanted) ??
    ofKind.find((p) => short(p.class) === wanted) ??
    (bySegment.length === 1 ? bySegment[0] : undefined)
  );
}

/** A transform or predicate class's name as the editor lists it: `InsertField$Value`. */
export const componentTitle = (className: string): string => shortName(className);

/**
 * A key's errors sorted to where the editor shows them: under a transform's or a predicate's
 * field (by its unprefixed key, `type` for the class key), under the section (`transforms`,
 * `predicates`), or nowhere in the editor (a key of an alias not in the chain).
 */
export interface ChainErrors {
  readonly section: readonly string[];
  readonly transforms: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;
  readonly predicates: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;
}

export function chainErrors(
  chain: Chain,
  errors: Readonly<Record<string, readonly string[]>>,
): ChainErrors {
  const section: string[] = [];
  const transforms = new Map<string, Record<string, readonly string[]>>();
  const predicates = new Map<string, Record<string, readonly string[]>>();
  const place = (
    map: Map<string, Record<string, readonly string[]>>,
    name: string,
    sub: string,
    messages: readonly string[],
  ) => {
    const key = sub === 'class' ? 'type' : sub;
    const own = map.get(name) ?? {};
    map.set(name, { ...own, [key]: [...(own[key] ?? []), ...messages] });
  };
  for (const [key, messages] of Object.entries(errors)) {
    if (messages.length === 0) continue;
    if (key === 'transforms' || key === 'predicates') {
      section.push(...messages.map((m) => `${key}: ${m}`));
      continue;
    }
    const t = longestFirst(chain.transforms, (x) => x.alias).find((x) =>
      key.startsWith(`transforms.${x.alias}.`),
    );
    if (t) {
      place(transforms, t.alias, key.slice(`transforms.${t.alias}.`.length), messages);
      continue;
    }
    const p = longestFirst(chain.predicates, (x) => x.name).find((x) =>
      key.startsWith(`predicates.${x.name}.`),
    );
    if (p) place(predicates, p.name, key.slice(`predicates.${p.name}.`.length), messages);
  }
  return { section, transforms, predicates };
}

/** Aliases may hold dots: `transforms.a.b.x` is alias `a.b`'s key when both `a` and `a.b` exist. */
const longestFirst = <T>(list: readonly T[], name: (x: T) => string): T[] =>
  [...list].sort((x, y) => name(y).length - name(x).length);
