import type { ConfigKeyInfo } from '../api-types.js';
import { inputKindOf } from '../config-form.js';

/** An id usable in HTML for a config key (`errors.tolerance` -> `field-errors-tolerance`). */
export const fieldId = (key: string) => `field-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** One config key's labelled input, its documentation, and its errors right under it. */
export function ConfigField(props: {
  def: ConfigKeyInfo;
  value: string;
  errors: readonly string[];
  onInput: (value: string) => void;
  onBlur: () => void;
}) {
  const { def, value, errors } = props;
  const id = fieldId(def.name);
  const kind = inputKindOf(def);
  const describedBy = `${id}-doc${errors.length > 0 ? ` ${id}-errors` : ''}`;
  const placeholder = def.default_value ? `default: ${def.default_value}` : '';
  const common = {
    id,
    name: def.name,
    'aria-describedby': describedBy,
    'aria-invalid': errors.length > 0,
    'aria-required': def.required,
    onBlur: props.onBlur,
  };
  return (
    <div class={`field${errors.length > 0 ? ' invalid' : ''}`} data-key={def.name}>
      <label for={id}>
        {def.display_name || def.name}
        {def.required && <span class="required"> (required)</span>}
        {def.display_name && def.display_name !== def.name && (
          <code class="key-name">{def.name}</code>
        )}
      </label>
      {kind === 'boolean' ? (
        <select
          {...common}
          value={value}
          onChange={(e) => props.onInput((e.target as HTMLSelectElement).value)}
        >
          <option value="">
            {def.default_value ? `default (${def.default_value})` : 'not set'}
          </option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input
          {...common}
          {...(kind === 'password'
            ? { type: 'password' as const, autoComplete: 'new-password' }
            : { type: 'text' as const, autoComplete: 'off' })}
          spellcheck={false}
          placeholder={placeholder}
          value={value}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
      )}
      <p class="doc" id={`${id}-doc`}>
        {def.documentation}
        {kind === 'list' && ' Comma-separated.'}
      </p>
      <FieldErrors id={`${id}-errors`} errors={errors} />
    </div>
  );
}

/** A field's errors, right under it; `id` is what the input's aria-describedby names. */
export function FieldErrors({ id, errors }: { id: string; errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul class="field-errors" id={id}>
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}
