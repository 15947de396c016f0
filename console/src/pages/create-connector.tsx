import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient, ApiError } from '../api-client.js';
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  PluginInfo,
  PreviewAnswer,
} from '../api-types.js';
import { ConfigField, FieldErrors, fieldId } from '../components/config-field.js';
import { FormSection } from '../components/form-section.js';
import { OtherKeys, type ExtraKey } from '../components/other-keys.js';
import { PastePanel } from '../components/paste-panel.js';
import { PreviewResult } from '../components/preview-result.js';
import { ProblemBanner } from '../components/problem-banner.js';
import { TransformsEditor } from '../components/transforms-editor.js';
import {
  configToSend,
  errorsByKey,
  formSections,
  pluginTitle,
  type PastedConfig,
} from '../config-form.js';
import { usePreview } from '../hooks.js';
import { connectorHref } from '../routes.js';
import {
  chainFromConfig,
  chainToConfig,
  EMPTY_CHAIN,
  isChainKey,
  type Chain,
} from '../transform-chain.js';

const VALIDATE_AFTER_MS = 400;
/** The name a preview goes under before the form has one (a preview stores nothing under it). */
const PREVIEW_NAME = 'unnamed-preview';
const PREVIEW_LIMIT = 10;

/**
 * Creating a connector: pick a plugin, fill the form built from its config definition (checked
 * by `config/validate` as you type, each error under its field), or paste a config; build its
 * transform chain in the transforms editor; preview what it does to records before creating it.
 */
export function CreateConnector({ api }: { api: ApiClient }) {
  const [plugins, setPlugins] = useState<PluginInfo[]>();
  const [pluginClass, setPluginClass] = useState('');
  // Tagged with its plugin: an answer for a plugin no longer chosen is never shown.
  const [loaded, setLoaded] = useState<{ plugin: string; defs: ConfigKeyInfo[] }>();
  const [mode, setMode] = useState<'form' | 'paste'>('form');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [extras, setExtras] = useState<readonly ExtraKey[]>([]);
  const [chain, setChain] = useState<Chain>(EMPTY_CHAIN);
  const [pending, setPending] = useState<{ plugin: string; pasted: PastedConfig }>();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [problem, setProblem] = useState<ApiError>();
  const [validateProblem, setValidateProblem] = useState<ApiError>();
  const [pasteText, setPasteText] = useState('');
  const [busy, setBusy] = useState(false);
  const focusFirstError = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const preview = usePreview();
  const [previewedConfig, setPreviewedConfig] = useState<string>();

  const defs = loaded?.plugin === pluginClass ? loaded.defs : undefined;
  const known = useMemo(() => new Set((defs ?? []).map((d) => d.name)), [defs]);

  // Every plugin: the connectors for the picker, the transforms and predicates for the editor.
  useEffect(() => {
    api.get<PluginInfo[]>('/connector-plugins?connectorsOnly=false').then(setPlugins, setProblem);
  }, [api]);
  const connectorPlugins = (plugins ?? []).filter((p) => p.type === 'source' || p.type === 'sink');

  useEffect(() => {
    if (pluginClass === '') return;
    let current = true;
    api.get<ConfigKeyInfo[]>(`/connector-plugins/${encodeURIComponent(pluginClass)}/config`).then(
      (list) => current && setLoaded({ plugin: pluginClass, defs: list }),
      (error: ApiError) => current && setProblem(error),
    );
    return () => {
      current = false;
    };
  }, [api, pluginClass]);

  // A pasted config waits for its own plugin's definition to know which keys are fields.
  useEffect(() => {
    if (!pending || !defs || pending.plugin !== pluginClass) return;
    const fields: Record<string, string> = {};
    const others: ExtraKey[] = [];
    const { chain: pastedChain, rest } = chainFromConfig(pending.pasted.config);
    for (const [key, value] of Object.entries(rest)) {
      if (key === 'connector.class') continue;
      if (known.has(key)) fields[key] = value;
      else others.push({ key, value });
    }
    setValues(fields);
    setExtras(others);
    setChain(pastedChain);
    if (pending.pasted.name !== undefined) setName(pending.pasted.name);
    setTouched(new Set(Object.keys(pending.pasted.config).concat('name')));
    setPending(undefined);
  }, [pending, defs, known, pluginClass]);

  const config = useMemo(() => {
    const all: Record<string, string> = {};
    // A key with a field of its own (or the editor's) is set there; a row naming it is refused
    // below, not sent.
    for (const { key, value } of extras) {
      const k = key.trim();
      if (k !== '' && !known.has(k) && !isChainKey(chain, k)) all[k] = value;
    }
    return configToSend(pluginClass, { ...all, ...chainToConfig(chain), ...values }, name.trim());
  }, [pluginClass, values, extras, name, known, chain]);
  // What POST /connectors and a preview take: the name is in the path or beside the config.
  const body = useMemo(
    () => Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'name')),
    [config],
  );

  useEffect(() => {
    if (!defs || pluginClass === '') return;
    let current = true;
    const timer = setTimeout(() => {
      api
        .call<ConfigInfos>(
          'PUT',
          `/connector-plugins/${encodeURIComponent(pluginClass)}/config/validate`,
          config,
        )
        .then(
          (infos) => {
            if (!current) return;
            setFieldErrors(errorsByKey(infos));
            setValidateProblem(undefined);
          },
          (error: ApiError) => current && setValidateProblem(error),
        );
    }, VALIDATE_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, defs, pluginClass, config]);

  // After a refused create: the first field with an error takes the focus (its fold opened).
  useEffect(() => {
    if (!focusFirstError.current) return;
    focusFirstError.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });

  const shownErrors = (key: string): string[] =>
    submitted || touched.has(key) ? (fieldErrors[key] ?? []) : [];
  const touch = (key: string) => setTouched((t) => new Set([...t, key]));
  const title = pluginTitle(pluginClass);
  const sections = defs ? formSections(defs, title) : [];
  const extraKeys = new Set(extras.map((x) => x.key.trim()));
  // Errors of keys the form has no field for (say transforms.x.type): listed with a way to add them.
  const orphanErrors = Object.entries(fieldErrors).filter(
    ([key]) => !known.has(key) && !extraKeys.has(key) && key !== 'name' && !isChainKey(chain, key),
  );
  // The editor's keys' errors, as far as they are shown now.
  const chainKeyErrors = Object.fromEntries(
    Object.keys(fieldErrors)
      .filter((key) => isChainKey(chain, key))
      .map((key) => [key, shownErrors(key)]),
  );

  const choosePlugin = (className: string) => {
    setPluginClass(className);
    setValues({});
    setExtras([]);
    setChain(EMPTY_CHAIN);
    preview.clear();
    setFieldErrors({});
    setTouched(new Set());
    setSubmitted(false);
    setProblem(undefined);
    setValidateProblem(undefined);
  };

  /** What is wrong with an "Other keys" row, if anything: nothing of it may be dropped unseen. */
  const extraRowError = ({ key, value }: ExtraKey): string | undefined => {
    const trimmed = key.trim();
    if (trimmed === '') return value === '' ? undefined : 'Give this value its key.';
    if (isChainKey(chain, trimmed)) return `${trimmed} is set in Transforms above.`;
    if (known.has(trimmed)) return `${trimmed} has its own field above; set it there.`;
    return undefined;
  };

  /** The API refused the config: each key's errors under its field, the first one focused. */
  const refused = (failure: ApiError) => {
    setSubmitted(true);
    if (failure.status === 409) {
      setFieldErrors({ ...fieldErrors, name: [failure.message] });
    } else {
      if (Object.keys(failure.keyErrors).length > 0) {
        setFieldErrors(
          Object.fromEntries(Object.entries(failure.keyErrors).map(([k, v]) => [k, [...v]])),
        );
      }
      setProblem(failure);
    }
    focusFirstError.current = true;
  };

  // The config as it stands, run on a few records by the task function; nothing is stored.
  const runPreview = async () => {
    setProblem(undefined);
    if (extras.some((extra) => extraRowError(extra) !== undefined)) {
      setSubmitted(true);
      focusFirstError.current = true;
      return;
    }
    setPreviewedConfig(JSON.stringify(config));
    const path = `/connectors/${encodeURIComponent(name.trim() || PREVIEW_NAME)}/preview`;
    const failure = await preview.run(
      () => api.call<PreviewAnswer>('POST', path, { config: body, limit: PREVIEW_LIMIT }),
      chain.transforms.map((t) => t.alias),
    );
    if (failure) refused(failure);
  };

  // The API validates again and is the judge: a stale answer of the inline check never blocks.
  const create = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    setProblem(undefined);
    if (extras.some((extra) => extraRowError(extra) !== undefined)) {
      focusFirstError.current = true;
      return;
    }
    setBusy(true);
    try {
      const created = await api.call<ConnectorInfo>('POST', '/connectors', {
        name: name.trim(),
        config: body,
      });
      location.hash = connectorHref(created.name);
    } catch (error) {
      refused(error as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const nameErrors = shownErrors('name');
  const pluginErrors = submitted ? (fieldErrors['connector.class'] ?? []) : [];
  const field = (def: ConfigKeyInfo) => (
    <ConfigField
      key={def.name}
      def={def}
      value={values[def.name] ?? ''}
      errors={shownErrors(def.name)}
      onInput={(value) => setValues((v) => ({ ...v, [def.name]: value }))}
      onBlur={() => touch(def.name)}
    />
  );
  const errorCount =
    Object.keys(fieldErrors).length -
    (fieldErrors.name && !submitted && !touched.has('name') ? 1 : 0);

  return (
    <section aria-labelledby="create-title">
      <div class="page-head">
        <h1 id="create-title">New connector</h1>
        <a href="#/">Back to connectors</a>
      </div>
      {problem && <ProblemBanner failure={problem} />}
      {validateProblem && <ProblemBanner failure={validateProblem} />}
      <div class="tabs" role="tablist" aria-label="How to give the config">
        {(
          [
            ['form', 'Form'],
            ['paste', 'Paste .properties / JSON'],
          ] as const
        ).map(([tab, label]) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-controls={`panel-${tab}`}
            aria-selected={mode === tab}
            onClick={() => setMode(tab)}
          >
            {label}
          </button>
        ))}
      </div>

      {mode === 'paste' && (
        <PastePanel
          api={api}
          text={pasteText}
          onText={setPasteText}
          onProblem={setProblem}
          onPasted={(className, pasted) => {
            choosePlugin(className);
            setPending({ plugin: className, pasted });
            setMode('form');
          }}
        />
      )}

      {mode === 'form' && (
        <div role="tabpanel" id="panel-form" aria-labelledby="tab-form">
          <form ref={formRef} onSubmit={(e) => void create(e)} noValidate>
            <div class={`field${pluginErrors.length > 0 ? ' invalid' : ''}`}>
              <label for="plugin">Plugin</label>
              <select
                id="plugin"
                value={pluginClass}
                aria-invalid={pluginErrors.length > 0}
                aria-describedby={pluginErrors.length > 0 ? 'plugin-errors' : undefined}
                onChange={(e) => choosePlugin((e.target as HTMLSelectElement).value)}
              >
                <option value="">{plugins ? 'Choose a plugin…' : 'Loading plugins…'}</option>
                {connectorPlugins.map((p) => (
                  <option key={p.class} value={p.class}>
                    {pluginTitle(p.class)} ({p.type})
                  </option>
                ))}
              </select>
              <FieldErrors id="plugin-errors" errors={pluginErrors} />
            </div>
            {pluginClass !== '' && (
              <div class={`field${nameErrors.length > 0 ? ' invalid' : ''}`} data-key="name">
                <label for={fieldId('name')}>
                  Name<span class="required"> (required)</span>
                </label>
                <input
                  id={fieldId('name')}
                  name="name"
                  autoComplete="off"
                  spellcheck={false}
                  aria-required
                  aria-invalid={nameErrors.length > 0}
                  aria-describedby={`${fieldId('name')}-doc${nameErrors.length > 0 ? ` ${fieldId('name')}-errors` : ''}`}
                  value={name}
                  onInput={(e) => setName((e.target as HTMLInputElement).value)}
                  onBlur={() => touch('name')}
                />
                <p class="doc" id={`${fieldId('name')}-doc`}>
                  Unique among connectors; it names the connector in the API and its consumer group.
                </p>
                <FieldErrors id={`${fieldId('name')}-errors`} errors={nameErrors} />
              </div>
            )}
            {pluginClass !== '' && !defs && <p aria-busy="true">Loading the plugin’s settings…</p>}
            {sections.map((section) => (
              <FormSection
                key={section.title}
                title={section.title}
                shown={section.shown.map(field)}
                folded={section.more.map(field)}
                foldedCount={section.more.length}
                foldedHasErrors={section.more.some((d) => shownErrors(d.name).length > 0)}
                hasShown={section.shown.length > 0}
              />
            ))}
            {defs && (
              <TransformsEditor
                api={api}
                plugins={plugins}
                chain={chain}
                onChange={setChain}
                errors={chainKeyErrors}
                onTouch={touch}
              />
            )}
            {defs && (
              <OtherKeys
                extras={extras}
                onChange={setExtras}
                rowError={extraRowError}
                errorsOf={shownErrors}
                onTouch={touch}
                orphanErrors={submitted ? orphanErrors : []}
              />
            )}
            {defs && (
              <div class="actions">
                <button type="submit" class="primary" disabled={busy}>
                  {busy ? 'Creating…' : 'Create connector'}
                </button>
                <button
                  type="button"
                  disabled={preview.busy}
                  aria-describedby="preview-doc"
                  onClick={() => void runPreview()}
                >
                  {preview.busy ? 'Previewing…' : 'Preview'}
                </button>
                {submitted && errorCount > 0 && (
                  <span class="error-text" role="status">
                    {errorCount} setting(s) need a fix: see the messages under them.
                  </span>
                )}
              </div>
            )}
            {defs && (
              <p class="doc" id="preview-doc">
                Preview runs this config on up to {PREVIEW_LIMIT} records (a source’s next ones, a
                sink’s topics’ last messages) and shows each stage; it creates nothing.
              </p>
            )}
            {preview.shown && (
              <section class="preview-section" aria-labelledby="preview-title">
                <h2 id="preview-title">Preview</h2>
                {previewedConfig !== JSON.stringify(config) && (
                  <p class="doc">The config changed since this preview: preview it again.</p>
                )}
                <PreviewResult answer={preview.shown.answer} aliases={preview.shown.aliases} />
              </section>
            )}
          </form>
        </div>
      )}
    </section>
  );
}
