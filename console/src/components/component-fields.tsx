import type { ApiError } from '../api-client.js';
import type { ConfigKeyInfo, PluginInfo } from '../api-types.js';
import {
  componentTitle,
  pluginNamed,
  type PredicateEntry,
  type TransformEntry,
} from '../transform-chain.js';
import { ConfigField } from './config-field.js';

/** Transforms or predicates. */
export type ComponentKind = 'transformation' | 'predicate';

/** A select of the listed transform or predicate types; a type no listed class matches stays. */
export function TypeSelect(props: {
  id: string;
  kind: ComponentKind;
  plugins: readonly PluginInfo[] | undefined;
  value: string;
  empty: string;
  invalid?: boolean;
  describedBy?: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
}) {
  const ofKind = (props.plugins ?? []).filter((p) => p.type === props.kind);
  const titles = ofKind.map((p) => componentTitle(p.class));
  const matched = pluginNamed(ofKind, props.value, props.kind);
  const value = matched?.class ?? props.value;
  return (
    <select
      id={props.id}
      value={value}
      aria-invalid={props.invalid ?? false}
      aria-describedby={props.describedBy}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      onBlur={props.onBlur}
    >
      <option value="">{props.plugins ? props.empty : 'Loading plugins…'}</option>
      {value !== '' && !matched && <option value={value}>{value} (as written)</option>}
      {ofKind.map((p, i) => (
        <option key={p.class} value={p.class}>
          {/* A short name two plugins share would not say which: the class name does. */}
          {titles.indexOf(titles[i]!) !== titles.lastIndexOf(titles[i]!) ? p.class : titles[i]}
        </option>
      ))}
    </select>
  );
}

/** A transform's or predicate's settings: its documented keys, then keys it does not document. */
export function Settings(props: {
  entry: TransformEntry | PredicateEntry;
  prefix: string;
  defs: ConfigKeyInfo[] | ApiError | undefined;
  errors: Readonly<Record<string, readonly string[]>>;
  onSet: (key: string, value: string | undefined) => void;
  onTouch: (key: string) => void;
}) {
  const { entry, prefix, defs, errors } = props;
  if (entry.type === '') return null;
  if (defs === undefined) return <p aria-busy="true">Loading its settings…</p>;
  const documented = Array.isArray(defs) ? defs : [];
  const named = new Set(documented.map((d) => d.name));
  const undocumented = Object.keys(entry.settings).filter((k) => !named.has(k));
  const field = (def: ConfigKeyInfo, extra?: string) => (
    <div key={def.name} class="setting">
      <ConfigField
        def={{ ...def, name: `${prefix}${def.name}`, display_name: def.name }}
        value={entry.settings[def.name] ?? ''}
        errors={errors[def.name] ?? []}
        onInput={(value) => props.onSet(def.name, value)}
        onBlur={() => props.onTouch(`${prefix}${def.name}`)}
      />
      {extra !== undefined && (
        <button type="button" onClick={() => props.onSet(def.name, undefined)}>
          Remove {extra}
        </button>
      )}
    </div>
  );
  return (
    <>
      {!Array.isArray(defs) && (
        <p class="doc">
          Its keys could not be listed ({defs.message}); keys already set are shown below.
        </p>
      )}
      {documented.map((def) => field(def))}
      {undocumented.map((key) =>
        field(
          {
            name: key,
            type: 'STRING',
            required: false,
            default_value: null,
            importance: 'LOW',
            documentation: `Not a key ${componentTitle(entry.type)} documents.`,
            group: null,
            order_in_group: 0,
            width: 'NONE',
            display_name: key,
            dependents: [],
          },
          `${prefix}${key}`,
        ),
      )}
    </>
  );
}
