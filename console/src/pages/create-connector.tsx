import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiError } from '../api-client.js';
import { type ApiClient } from '../api-client.js';
import type { ConfigInfos, ConfigKeyInfo, ConnectorInfo, PluginInfo } from '../api-types.js';
import { ConfigField, fieldId } from '../components/config-field.js';
import { ProblemBanner } from '../components/problem-banner.js';
import {
  configToSend,
  errorsByKey,
  formSections,
  parsePastedConfig,
  pluginTitle,
  type PastedConfig,
} from '../config-form.js';
import { connectorHref } from '../routes.js';

const VALIDATE_AFTER_MS = 400;

interface ExtraKey {
  readonly key: string;
  readonly value: string;
}

/** The plugin a pasted `connector.class` names: its class, its short title, or its simple name. */
function findPlugin(plugins: readonly PluginInfo[], named: string): PluginInfo | undefined {
  return plugins.find(
    (p) => p.class === named || pluginTitle(p.class) === named || p.class.endsWith(`.${named}`),
  );
}

/**
 * Creating a connector: pick a plugin, fill the form built from its config definition (checked
 * by `config/validate` as you type, each error under its field), or paste a config.
 */
export function CreateConnector({ api }: { api: ApiClient }) {
  const [plugins, setPlugins] = useState<PluginInfo[]>();
  const [pluginClass, setPluginClass] = useState('');
  const [defs, setDefs] = useState<ConfigKeyInfo[]>();
  const [mode, setMode] = useState<'form' | 'paste'>('form');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [extras, setExtras] = useState<ExtraKey[]>([]);
  const [pending, setPending] = useState<PastedConfig>();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [problem, setProblem] = useState<ApiError>();
  const [pasteText, setPasteText] = useState('');
  const [pasteError, setPasteError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<PluginInfo[]>('/connector-plugins').then(setPlugins, setProblem);
  }, [api]);

  useEffect(() => {
    setDefs(undefined);
    setFieldErrors({});
    if (pluginClass === '') return;
    api
      .get<ConfigKeyInfo[]>(`/connector-plugins/${encodeURIComponent(pluginClass)}/config`)
      .then(setDefs, setProblem);
  }, [api, pluginClass]);

  // A pasted config waits for its plugin's definition to know which keys are fields.
  useEffect(() => {
    if (!pending || !defs) return;
    const known = new Set(defs.map((d) => d.name));
    const fields: Record<string, string> = {};
    const others: ExtraKey[] = [];
    for (const [key, value] of Object.entries(pending.config)) {
      if (key === 'connector.class') continue;
      if (known.has(key)) fields[key] = value;
      else others.push({ key, value });
    }
    setValues(fields);
    setExtras(others);
    if (pending.name !== undefined) setName(pending.name);
    setTouched(new Set(Object.keys(pending.config).concat('name')));
    setPending(undefined);
  }, [pending, defs]);

  const config = useMemo(() => {
    const all: Record<string, string> = { ...values };
    for (const { key, value } of extras) if (key.trim() !== '') all[key.trim()] = value;
    return configToSend(pluginClass, all, name.trim());
  }, [pluginClass, values, extras, name]);

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
          (infos) => current && setFieldErrors(errorsByKey(infos)),
          (error: ApiError) => current && setProblem(error),
        );
    }, VALIDATE_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, defs, pluginClass, config]);

  const shownErrors = (key: string): string[] =>
    submitted || touched.has(key) ? (fieldErrors[key] ?? []) : [];
  const touch = (key: string) => setTouched((t) => new Set([...t, key]));
  const title = pluginTitle(pluginClass);
  const sections = defs ? formSections(defs, title) : [];

  const choosePlugin = (className: string) => {
    setPluginClass(className);
    setValues({});
    setExtras([]);
    setTouched(new Set());
    setSubmitted(false);
    setProblem(undefined);
  };

  const usePasted = () => {
    setPasteError(undefined);
    try {
      const pasted = parsePastedConfig(pasteText);
      const named = pasted.config['connector.class'];
      if (named === undefined) throw new Error('The pasted config has no connector.class.');
      const plugin = findPlugin(plugins ?? [], named);
      if (!plugin) {
        throw new Error(
          `connector.class "${named}" is not a plugin of this platform; it has ${(plugins ?? []).map((p) => pluginTitle(p.class)).join(', ')}.`,
        );
      }
      if (plugin.class !== pluginClass) choosePlugin(plugin.class);
      setPending(pasted);
      setSubmitted(false);
      setMode('form');
    } catch (error) {
      setPasteError((error as Error).message);
    }
  };

  const create = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    setProblem(undefined);
    const invalid = Object.keys(fieldErrors);
    if (invalid.length > 0) {
      document.getElementById(fieldId(invalid[0]!))?.focus();
      return;
    }
    setBusy(true);
    try {
      // The name goes beside the config, as Kafka Connect's POST /connectors takes it.
      const body = Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'name'));
      const created = await api.call<ConnectorInfo>('POST', '/connectors', {
        name: name.trim(),
        config: body,
      });
      location.hash = connectorHref(created.name);
    } catch (error) {
      const failure = error as ApiError;
      if (failure.status === 409) setFieldErrors({ name: [failure.message] });
      else if (Object.keys(failure.keyErrors).length > 0) {
        setFieldErrors(
          Object.fromEntries(Object.entries(failure.keyErrors).map(([k, v]) => [k, [...v]])),
        );
      }
      setProblem(failure);
    } finally {
      setBusy(false);
    }
  };

  const nameErrors = shownErrors('name');
  return (
    <section aria-labelledby="create-title">
      <div class="page-head">
        <h1 id="create-title">New connector</h1>
        <a href="#/">Back to connectors</a>
      </div>
      {problem && <ProblemBanner failure={problem} />}
      <div class="tabs" role="tablist" aria-label="How to give the config">
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'form'}
          onClick={() => setMode('form')}
        >
          Form
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'paste'}
          onClick={() => setMode('paste')}
        >
          Paste .properties / JSON
        </button>
      </div>

      {mode === 'paste' && (
        <div class="paste" role="tabpanel">
          <label for="paste-text">Config as JSON or .properties</label>
          <textarea
            id="paste-text"
            rows={12}
            spellcheck={false}
            aria-describedby="paste-doc"
            value={pasteText}
            onInput={(e) => setPasteText((e.target as HTMLTextAreaElement).value)}
          />
          <p class="doc" id="paste-doc">
            JSON as POST /connectors takes it (with "name" and "config"), a flat JSON object, or
            .properties lines. It fills the form, where you can check it before creating.
          </p>
          {pasteError && (
            <p class="field-errors" role="alert">
              {pasteError}
            </p>
          )}
          <button type="button" class="primary" onClick={usePasted}>
            Fill the form
          </button>
        </div>
      )}

      {mode === 'form' && (
        <div role="tabpanel">
          <form onSubmit={(e) => void create(e)} noValidate>
            <div class="field">
              <label for="plugin">Plugin</label>
              <select
                id="plugin"
                value={pluginClass}
                onChange={(e) => choosePlugin((e.target as HTMLSelectElement).value)}
              >
                <option value="">{plugins ? 'Choose a plugin…' : 'Loading plugins…'}</option>
                {(plugins ?? []).map((p) => (
                  <option key={p.class} value={p.class}>
                    {pluginTitle(p.class)} ({p.type})
                  </option>
                ))}
              </select>
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
                  aria-describedby={`${fieldId('name')}-doc`}
                  value={name}
                  onInput={(e) => setName((e.target as HTMLInputElement).value)}
                  onBlur={() => touch('name')}
                />
                <p class="doc" id={`${fieldId('name')}-doc`}>
                  Unique among connectors; it names the connector in the API and its consumer group.
                </p>
                {nameErrors.length > 0 && (
                  <ul class="field-errors">
                    {nameErrors.map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {pluginClass !== '' && !defs && <p aria-busy="true">Loading the plugin’s settings…</p>}
            {sections.map((section) => {
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
              const hiddenErrors = section.more.some((d) => shownErrors(d.name).length > 0);
              return (
                <fieldset key={section.title}>
                  <legend>{section.title}</legend>
                  {section.shown.map(field)}
                  {section.more.length > 0 && (
                    <details open={hiddenErrors ? true : undefined}>
                      <summary>
                        {section.shown.length === 0 ? 'Show the ' : 'More '}
                        {section.title} settings ({section.more.length})
                      </summary>
                      {section.more.map(field)}
                    </details>
                  )}
                </fieldset>
              );
            })}
            {defs && (
              <fieldset>
                <legend>Other keys</legend>
                <p class="doc">
                  Keys the plugin does not list, such as a transform’s own settings
                  (transforms.&lt;alias&gt;.type).
                </p>
                {extras.map((extra, index) => {
                  const errors = shownErrors(extra.key.trim());
                  const id = `extra-${index}`;
                  return (
                    <div class={`extra-row${errors.length > 0 ? ' invalid' : ''}`} key={index}>
                      <label for={`${id}-key`}>Key</label>
                      <input
                        id={`${id}-key`}
                        value={extra.key}
                        spellcheck={false}
                        onInput={(e) => {
                          const key = (e.target as HTMLInputElement).value;
                          setExtras((all) => all.map((x, i) => (i === index ? { ...x, key } : x)));
                        }}
                        onBlur={() => touch(extra.key.trim())}
                      />
                      <label for={`${id}-value`}>Value</label>
                      <input
                        id={`${id}-value`}
                        value={extra.value}
                        spellcheck={false}
                        aria-invalid={errors.length > 0}
                        onInput={(e) => {
                          const value = (e.target as HTMLInputElement).value;
                          setExtras((all) =>
                            all.map((x, i) => (i === index ? { ...x, value } : x)),
                          );
                        }}
                        onBlur={() => touch(extra.key.trim())}
                      />
                      <button
                        type="button"
                        aria-label={`Remove key ${extra.key || index + 1}`}
                        onClick={() => setExtras((all) => all.filter((_, i) => i !== index))}
                      >
                        Remove
                      </button>
                      {errors.length > 0 && (
                        <ul class="field-errors">
                          {errors.map((e) => (
                            <li key={e}>{e}</li>
                          ))}
                        </ul>
                      )}
                    </div>
                  );
                })}
                <button
                  type="button"
                  onClick={() => setExtras((all) => [...all, { key: '', value: '' }])}
                >
                  Add a key
                </button>
              </fieldset>
            )}
            {defs && (
              <div class="actions">
                <button type="submit" class="primary" disabled={busy}>
                  {busy ? 'Creating…' : 'Create connector'}
                </button>
                {submitted && Object.keys(fieldErrors).length > 0 && (
                  <span class="error-text" role="status">
                    {Object.keys(fieldErrors).length} setting(s) need a fix: see the messages under
                    them.
                  </span>
                )}
              </div>
            )}
          </form>
        </div>
      )}
    </section>
  );
}
