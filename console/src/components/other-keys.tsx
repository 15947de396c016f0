import { isSecretKey } from '../config-form.js';
import { FieldErrors } from './config-field.js';

/** A key the plugin does not list, typed in by the user. */
export interface ExtraKey {
  readonly key: string;
  readonly value: string;
}

/**
 * The create form's "Other keys": rows of keys the plugin does not list, each with its errors;
 * after a refused create, the keys the API wants that have no field yet, each with a way to add
 * it.
 */
export function OtherKeys(props: {
  extras: readonly ExtraKey[];
  onChange: (change: (extras: readonly ExtraKey[]) => ExtraKey[]) => void;
  /** What is wrong with a row itself (no key, a key set elsewhere), if anything. */
  rowError: (extra: ExtraKey) => string | undefined;
  /** A key's errors to show now. */
  errorsOf: (key: string) => readonly string[];
  onTouch: (key: string) => void;
  /** Keys the API named that no field or row holds: shown after a refused create. */
  orphanErrors: readonly (readonly [string, readonly string[]])[];
}) {
  const { extras, onChange } = props;
  const edit = (index: number, change: Partial<ExtraKey>) =>
    onChange((all) => all.map((x, i) => (i === index ? { ...x, ...change } : x)));
  return (
    <fieldset>
      <legend>Other keys</legend>
      <p class="doc">
        Keys the plugin does not list, such as a converter’s own settings
        (value.converter.&lt;key&gt;).
      </p>
      {extras.map((extra, index) => {
        const key = extra.key.trim();
        const rowError = props.rowError(extra);
        const errors = rowError !== undefined ? [rowError] : props.errorsOf(key);
        const id = `extra-${index}`;
        return (
          <div class={`extra-row${errors.length > 0 ? ' invalid' : ''}`} key={index}>
            <label for={`${id}-key`}>Key</label>
            <input
              id={`${id}-key`}
              value={extra.key}
              spellcheck={false}
              aria-invalid={rowError !== undefined}
              onInput={(e) => edit(index, { key: (e.target as HTMLInputElement).value })}
              onBlur={() => props.onTouch(key)}
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
              onInput={(e) => edit(index, { value: (e.target as HTMLInputElement).value })}
              onBlur={() => props.onTouch(key)}
            />
            <button
              type="button"
              aria-label={`Remove key ${extra.key || index + 1}`}
              onClick={() => onChange((all) => all.filter((_, i) => i !== index))}
            >
              Remove
            </button>
            <FieldErrors id={`${id}-errors`} errors={errors} />
          </div>
        );
      })}
      {props.orphanErrors.length > 0 && (
        <div class="orphan-errors" role="alert">
          <p>These keys need a value or a fix, and have no field yet:</p>
          <ul class="field-errors">
            {props.orphanErrors.map(([key, errors]) => (
              <li key={key}>
                <code>{key}</code>: {errors.join(' ')}{' '}
                <button
                  type="button"
                  onClick={() => onChange((all) => [...all, { key, value: '' }])}
                >
                  Add {key}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" onClick={() => onChange((all) => [...all, { key: '', value: '' }])}>
        Add a key
      </button>
    </fieldset>
  );
}
