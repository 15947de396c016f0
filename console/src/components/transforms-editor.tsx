import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient, ApiError } from '../api-client.js';
import type { ConfigKeyInfo, PluginInfo } from '../api-types.js';
import {
  addTransform,
  aliasProblem,
  chainErrors,
  componentTitle,
  moveTransform,
  removeTransform,
  setPredicateType,
  updatePredicate,
  updateTransform,
  usersOf,
  withSetting,
  type Chain,
  type TransformEntry,
} from '../transform-chain.js';
import { Settings, TypeSelect } from './component-fields.js';
import { FieldErrors } from './config-field.js';

interface EditorProps {
  readonly api: ApiClient;
  /** Every plugin (`GET /connector-plugins?connectorsOnly=false`); undefined while loading. */
  readonly plugins: readonly PluginInfo[] | undefined;
  readonly chain: Chain;
  readonly onChange: (change: (chain: Chain) => Chain) => void;
  /** Errors to show now (of keys touched, or all after a create or a preview was refused). */
  readonly errors: Readonly<Record<string, readonly string[]>>;
  readonly onTouch: (key: string) => void;
}

/** Each transform or predicate type's keys, from `GET /connector-plugins/{class}/config`. */
function useComponentKeys(api: ApiClient, types: readonly string[]) {
  const [keys, setKeys] = useState<ReadonlyMap<string, ConfigKeyInfo[] | ApiError>>(new Map());
  // Asked once per type (also while the answer is on its way).
  const asked = useRef(new Set<string>());
  const wanted = [...new Set(types.filter((t) => t.trim() !== ''))].sort().join('\n');
  useEffect(() => {
    for (const type of wanted === '' ? [] : wanted.split('\n')) {
      if (asked.current.has(type)) continue;
      asked.current.add(type);
      api.get<ConfigKeyInfo[]>(`/connector-plugins/${encodeURIComponent(type)}/config`).then(
        (list) => setKeys((all) => new Map(all).set(type, list)),
        (error: ApiError) => setKeys((all) => new Map(all).set(type, error)),
      );
    }
  }, [api, wanted]);
  return keys;
}

/**
 * The create form's transforms: add one (alias and type), fill its keys from its plugin's
 * definition, reorder or remove it, attach a predicate (its type, keys, and negate). It writes
 * the standard `transforms.*` and `predicates.*` keys; each key's errors show under its field.
 */
export function TransformsEditor(props: EditorProps) {
  const { chain, plugins, onChange } = props;
  const [alias, setAlias] = useState('');
  const [type, setType] = useState('');
  const keys = useComponentKeys(props.api, [
    ...chain.transforms.map((t) => t.type),
    ...chain.predicates.map((p) => p.type),
  ]);
  const placed = chainErrors(chain, props.errors);
  const newAliasProblem = alias.trim() === '' ? undefined : aliasProblem(chain, alias);
  const unused = chain.predicates.filter((p) => usersOf(chain, p.name).length === 0);

  return (
    <fieldset class="transforms">
      <legend>Transforms</legend>
      <p class="doc">
        Each record goes through these in order (Kafka Connect’s single message transforms). A
        predicate limits a transform to the records it matches.
      </p>
      <FieldErrors id="transforms-errors" errors={placed.section} />
      {chain.transforms.length === 0 && <p class="muted">No transforms: records pass unchanged.</p>}
      {chain.transforms.map((transform, index) => (
        <TransformBlock
          key={index}
          {...props}
          transform={transform}
          index={index}
          keys={keys}
          errors={placed.transforms.get(transform.alias) ?? {}}
          predicateErrors={
            transform.predicate === undefined
              ? {}
              : (placed.predicates.get(transform.predicate) ?? {})
          }
        />
      ))}
      {unused.length > 0 && (
        <div class="unused-predicates">
          <p>Predicates no transform uses (kept in the config):</p>
          <ul>
            {unused.map((p) => (
              <li key={p.name}>
                <code>{p.name}</code> {p.type === '' ? '(no type)' : componentTitle(p.type)}{' '}
                <button
                  type="button"
                  onClick={() =>
                    onChange((c) => ({
                      ...c,
                      predicates: c.predicates.filter((x) => x.name !== p.name),
                    }))
                  }
                >
                  Remove predicate {p.name}
                </button>
                <FieldErrors
                  id={`predicate-${p.name}-errors`}
                  errors={Object.entries(placed.predicates.get(p.name) ?? {}).flatMap(
                    ([key, messages]) => messages.map((m) => `${key}: ${m}`),
                  )}
                />
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="add-transform">
        <div class={`field${newAliasProblem ? ' invalid' : ''}`}>
          <label for="new-transform-alias">Alias</label>
          <input
            id="new-transform-alias"
            autoComplete="off"
            spellcheck={false}
            placeholder="e.g. wrap"
            value={alias}
            aria-invalid={newAliasProblem !== undefined}
            aria-describedby={newAliasProblem ? 'new-transform-alias-errors' : undefined}
            onInput={(e) => setAlias((e.target as HTMLInputElement).value)}
          />
          <FieldErrors
            id="new-transform-alias-errors"
            errors={newAliasProblem ? [newAliasProblem] : []}
          />
        </div>
        <div class="field">
          <label for="new-transform-type">Transform type</label>
          <TypeSelect
            id="new-transform-type"
            kind="transformation"
            plugins={plugins}
            value={type}
            empty="Choose a transform…"
            onChange={setType}
          />
        </div>
        <button
          type="button"
          disabled={type === '' || aliasProblem(chain, alias) !== undefined}
          onClick={() => {
            onChange((c) => addTransform(c, alias, type));
            setAlias('');
            setType('');
          }}
        >
          Add transform
        </button>
      </div>
    </fieldset>
  );
}

function TransformBlock(
  props: EditorProps & {
    transform: TransformEntry;
    index: number;
    keys: ReadonlyMap<string, ConfigKeyInfo[] | ApiError>;
    errors: Readonly<Record<string, readonly string[]>>;
    predicateErrors: Readonly<Record<string, readonly string[]>>;
  },
) {
  const { transform, index, chain, onChange, errors, predicateErrors } = props;
  const prefix = `transforms.${transform.alias}.`;
  const id = `transform-${index}`;
  const predicate = chain.predicates.find((p) => p.name === transform.predicate);
  const aliasError = aliasProblem(chain, transform.alias, index);
  const typeErrors = errors.type ?? [];
  const predicateKeyErrors = [...(errors.predicate ?? []), ...(predicateErrors.type ?? [])];
  const negateErrors = errors.negate ?? [];
  const sharedWith = predicate
    ? usersOf(chain, predicate.name).filter((a) => a !== transform.alias)
    : [];
  // Errors of keys with no field here (a key set twice, say): listed, so none goes unseen.
  const shownKeys = new Set(['type', 'predicate', 'negate', ...Object.keys(transform.settings)]);
  const documented = props.keys.get(transform.type);
  if (Array.isArray(documented)) for (const d of documented) shownKeys.add(d.name);
  const otherErrors = Object.entries(errors)
    .filter(([key]) => !shownKeys.has(key))
    .flatMap(([key, messages]) => messages.map((m) => `${prefix}${key}: ${m}`));
  const change = (f: (t: TransformEntry) => TransformEntry) =>
    onChange((c) => updateTransform(c, index, f));

  return (
    <fieldset class="transform" data-alias={transform.alias}>
      <legend>
        {index + 1}. {transform.alias || '(no alias)'}
        {transform.type !== '' && <span class="muted"> · {componentTitle(transform.type)}</span>}
      </legend>
      <div class="transform-head">
        <div class={`field${aliasError ? ' invalid' : ''}`}>
          <label for={`${id}-alias`}>Alias</label>
          <input
            id={`${id}-alias`}
            autoComplete="off"
            spellcheck={false}
            value={transform.alias}
            aria-invalid={aliasError !== undefined}
            aria-describedby={aliasError ? `${id}-alias-errors` : undefined}
            onInput={(e) => {
              const value = (e.target as HTMLInputElement).value.trim();
              change((t) => ({ ...t, alias: value }));
            }}
          />
          <FieldErrors id={`${id}-alias-errors`} errors={aliasError ? [aliasError] : []} />
        </div>
        <div class={`field${typeErrors.length > 0 ? ' invalid' : ''}`} data-key={`${prefix}type`}>
          <label for={`${id}-type`}>Type</label>
          <TypeSelect
            id={`${id}-type`}
            kind="transformation"
            plugins={props.plugins}
            value={transform.type}
            empty="Choose a transform…"
            invalid={typeErrors.length > 0}
            {...(typeErrors.length > 0 && { describedBy: `${id}-type-errors` })}
            onChange={(value) => change((t) => ({ ...t, type: value }))}
            onBlur={() => props.onTouch(`${prefix}${transform.typeKey}`)}
          />
          <FieldErrors id={`${id}-type-errors`} errors={typeErrors} />
        </div>
        <div class="transform-moves" role="group" aria-label={`Order of ${transform.alias}`}>
          <button
            type="button"
            disabled={index === 0}
            aria-label={`Move ${transform.alias} up`}
            onClick={() => onChange((c) => moveTransform(c, index, -1))}
          >
            Up
          </button>
          <button
            type="button"
            disabled={index === chain.transforms.length - 1}
            aria-label={`Move ${transform.alias} down`}
            onClick={() => onChange((c) => moveTransform(c, index, 1))}
          >
            Down
          </button>
          <button
            type="button"
            class="danger"
            aria-label={`Remove transform ${transform.alias}`}
            onClick={() => onChange((c) => removeTransform(c, index))}
          >
            Remove
          </button>
        </div>
      </div>
      <Settings
        entry={transform}
        prefix={prefix}
        defs={documented}
        errors={errors}
        onSet={(key, value) => change((t) => withSetting(t, key, value))}
        onTouch={props.onTouch}
      />
      <div class="predicate">
        <div
          class={`field${predicateKeyErrors.length > 0 ? ' invalid' : ''}`}
          data-key={`${prefix}predicate`}
        >
          <label for={`${id}-predicate`}>Predicate</label>
          <TypeSelect
            id={`${id}-predicate`}
            kind="predicate"
            plugins={props.plugins}
            value={predicate?.type ?? ''}
            empty="None: every record"
            invalid={predicateKeyErrors.length > 0}
            describedBy={`${id}-predicate-doc${predicateKeyErrors.length > 0 ? ` ${id}-predicate-errors` : ''}`}
            onChange={(value) => onChange((c) => setPredicateType(c, index, value))}
            onBlur={() => props.onTouch(`${prefix}predicate`)}
          />
          <p class="doc" id={`${id}-predicate-doc`}>
            {predicate
              ? `Written as predicates.${predicate.name}` +
                (sharedWith.length > 0 ? `, shared with ${sharedWith.join(', ')}.` : '.')
              : 'The transform changes only the records its predicate matches.'}
          </p>
          <FieldErrors id={`${id}-predicate-errors`} errors={predicateKeyErrors} />
        </div>
        {predicate && (
          <>
            <Settings
              entry={predicate}
              prefix={`predicates.${predicate.name}.`}
              defs={props.keys.get(predicate.type)}
              errors={predicateErrors}
              onSet={(key, value) =>
                onChange((c) =>
                  updatePredicate(c, predicate.name, (p) => withSetting(p, key, value)),
                )
              }
              onTouch={props.onTouch}
            />
            <div
              class={`field${negateErrors.length > 0 ? ' invalid' : ''}`}
              data-key={`${prefix}negate`}
            >
              <label class="checkbox">
                <input
                  type="checkbox"
                  id={`${id}-negate`}
                  checked={transform.negate?.trim().toLowerCase() === 'true'}
                  aria-invalid={negateErrors.length > 0}
                  onChange={(e) => {
                    const checked = (e.target as HTMLInputElement).checked;
                    change((t) => ({ ...t, negate: checked ? 'true' : 'false' }));
                  }}
                />{' '}
                negate: change the records the predicate does not match
              </label>
              <FieldErrors id={`${id}-negate-errors`} errors={negateErrors} />
            </div>
          </>
        )}
      </div>
      <FieldErrors id={`${id}-other-errors`} errors={otherErrors} />
    </fieldset>
  );
}
