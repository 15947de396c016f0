import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient, ApiError } from '../api-client.js';
import type { ConfigInfos, ConfigKeyInfo, ConnectorInfo, PluginInfo } from '../api-types.js';
import { ConfigField, FieldErrors, fieldId } from '../components/config-field.js';
import { FormSection } from '../components/form-section.js';
import { ProblemBanner } from '../components/problem-banner.js';
import {
  configToSend,
  errorsByKey,
  formSections,
  isSecretKey,
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

/**
 * Creating a connector: pick a plugin, fill the form built from its config definition (checked
 * by `config/validate` as you type, each error under its field), or paste a config.
 */
export function CreateConnector({ api }: { api: ApiClient }) {
  const [plugins, setPlugins] = useState<PluginInfo[]>();
  const [pluginClass, setPluginClass] = useState('');
  // Tagged with its plugin: an answer for a plugin no longer chosen is never shown.
  const [loaded, setLoaded] = useState<{ plugin: string; defs: ConfigKeyInfo[] }>();
  const [mode, setMode] = useState<'form' | 'paste'>('form');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [extras, setExtras] = useState<ExtraKey[]>([]);
  const [pending, setPending] = useState<{ plugin: string; pasted: PastedConfig }>();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [problem, setProblem] = useState<ApiError>();
  const [validateProblem, setValidateProblem] = useState<ApiError>();
  const [pasteText, setPasteText] = useState('');
  const [pasteError, setPasteError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const focusFirstError = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);

  const defs = loaded?.plugin === pluginClass ? loaded.defs : undefined;
  const known = useMemo(() => new Set((defs ?? []).map((d) => d.name)), [defs]);

  useEffect(() => {
    api.get<PluginInfo[]>('/connector-plugins').then(setPlugins, setProblem);
  }, [api]);

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
    for (const [key, value] of Object.entries(pending.pasted.config)) {
      if (key === 'connector.class') continue;
      if (known.has(key)) fields[key] = value;
      else others.push({ key, value });
    }
    setValues(fields);
    setExtras(others);
    if (pending.pasted.name !== undefined) setName(pending.pasted.name);
    setTouched(new Set(Object.keys(pending.pasted.config).concat('name')));
    setPending(undefined);
  }, [pending, defs, known, pluginClass]);

  const config = useMemo(() => {
    const all: Record<string, string> = {};
    // A key with a field of its own is set there; a row naming it is refused below, not sent.
    for (const { key, value } of extras) {
      if (key.trim() !== '' && !known.has(key.trim())) all[key.trim()] = value;
    }
    return configToSend(pluginClass, { ...all, ...values }, name.trim());
  }, [pluginClass, values, extras, name, known]);

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
    ([key]) => !known.has(key) && !extraKeys.has(key) && key !== 'name',
  );

  const choosePlugin = (className: string) => {
    setPluginClass(className);
    setValues({});
    setExtras([]);
    setFieldErrors({});
    setTouched(new Set());
    setSubmitted(false);
    setProblem(undefined);
    setValidateProblem(undefined);
  };

  // The API resolves the pasted connector.class (a class name, an alias or a short name) as it
  // will when creating, and names close matches when nothing answers to it.
  const fillFromPaste = async () => {
    setPasteError(undefined);
    let pasted: PastedConfig;
    try {
      pasted = parsePastedConfig(pasteText);
    } catch (error) {
      setPasteError((error as Error).message);
      return;
    }
    const named = pasted.config['connector.class'];
    if (named === undefined) {
      setPasteError('The pasted config has no connector.class.');
      return;
    }
    try {
      const { name: className } = await api.call<ConfigInfos>(
        'PUT',
        `/connector-plugins/${encodeURIComponent(named)}/config/validate`,
        pasted.config,
      );
      choosePlugin(className);
      setPending({ plugin: className, pasted });
      setMode('form');
    } catch (error) {
      const failure = error as ApiError;
      if (failure.status === 404) setPasteError(failure.message);
      else setProblem(failure);
    }
  };

  /** What is wrong with an "Other keys" row, if anything: nothing of it may be dropped unseen. */
  const extraRowError = ({ key, value }: ExtraKey): string | undefined => {
    const trimmed = key.trim();
    if (trimmed === '') return value === '' ? undefined : 'Give this value its key.';
    if (known.has(trimmed)) return `${trimmed} has its own field above; set it there.`;
    return undefined;
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
      const body = Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'name'));
      const created = await api.call<ConnectorInfo>('POST', '/connectors', {
        name: name.trim(),
        config: body,
      });
      location.hash = connectorHref(created.name);
    } catch (error) {
      const failure = error as ApiError;
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
        <div class="paste" role="tabpanel" id="panel-paste" aria-labelledby="tab-paste">
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
          <button type="button" class="primary" onClick={() => void fillFromPaste()}>
            Fill the form
          </button>
        </div>
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
                {(plugins ?? []).map((p) => (
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
              <fieldset>
                <legend>Other keys</legend>
                <p class="doc">
                  Keys the plugin does not list, such as a transform’s own settings
                  (transforms.&lt;alias&gt;.type).
                </p>
                {extras.map((extra, index) => {
                  const key = extra.key.trim();
                  const rowError = extraRowError(extra);
                  const errors = rowError !== undefined ? [rowError] : shownErrors(key);
                  const id = `extra-${index}`;
                  return (
                    <div class={`extra-row${errors.length > 0 ? ' invalid' : ''}`} key={index}>
                      <label for={`${id}-key`}>Key</label>
                      <input
                        id={`${id}-key`}
                        value={extra.key}
                        spellcheck={false}
                        aria-invalid={rowError !== undefined}
                        onInput={(e) => {
                          const typed = (e.target as HTMLInputElement).value;
                          setExtras((all) =>
                            all.map((x, i) => (i === index ? { ...x, key: typed } : x)),
                          );
                        }}
                        onBlur={() => touch(key)}
                      />
                      <label for={`${id}-value`}>Value</label>
                      <input
                        id={`${id}-value`}
                        {...(isSecretKey(key)
                          ? { type: 'password' as const, autoComplete: 'new-password' }
                          : { type: 'text' as const, autoComplete: 'off' })}
                        value={extra.value}
                        spellcheck={false}
                        aria-invalid={errors.length > 0}
                        aria-describedby={errors.length > 0 ? `${id}-errors` : undefined}
                        onInput={(e) => {
                          const value = (e.target as HTMLInputElement).value;
                          setExtras((all) =>
                            all.map((x, i) => (i === index ? { ...x, value } : x)),
                          );
                        }}
                        onBlur={() => touch(key)}
                      />
                      <button
                        type="button"
                        aria-label={`Remove key ${extra.key || index + 1}`}
                        onClick={() => setExtras((all) => all.filter((_, i) => i !== index))}
                      >
                        Remove
                      </button>
                      <FieldErrors id={`${id}-errors`} errors={errors} />
                    </div>
                  );
                })}
                {submitted && orphanErrors.length > 0 && (
                  <div class="orphan-errors" role="alert">
                    <p>These keys need a value or a fix, and have no field yet:</p>
                    <ul class="field-errors">
                      {orphanErrors.map(([key, errors]) => (
                        <li key={key}>
                          <code>{key}</code>: {errors.join(' ')}{' '}
                          <button
                            type="button"
                            onClick={() => setExtras((all) => [...all, { key, value: '' }])}
                          >
                            Add {key}
                          </button>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
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
                {submitted && errorCount > 0 && (
                  <span class="error-text" role="status">
                    {errorCount} setting(s) need a fix: see the messages under them.
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
