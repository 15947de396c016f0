import { useState } from 'preact/hooks';
import type { ApiClient, ApiError } from '../api-client.js';
import type { ConfigInfos } from '../api-types.js';
import { parsePastedConfig, type PastedConfig } from '../config-form.js';

/**
 * The create form's "Paste" tab: a config as JSON or .properties, read and handed to the form
 * with the plugin class the API resolved its connector.class to.
 */
export function PastePanel(props: {
  api: ApiClient;
  /** Kept by the form, so that it outlives a switch of tabs. */
  text: string;
  onText: (text: string) => void;
  onPasted: (className: string, pasted: PastedConfig) => void;
  /** A failure that is not the pasted text's (the API is down, the token refused). */
  onProblem: (failure: ApiError) => void;
}) {
  const [pasteError, setPasteError] = useState<string>();

  // The API resolves the pasted connector.class (a class name, an alias or a short name) as it
  // will when creating, and names close matches when nothing answers to it.
  const fillFromPaste = async () => {
    setPasteError(undefined);
    let pasted: PastedConfig;
    try {
      pasted = parsePastedConfig(props.text);
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
      const { name: className } = await props.api.call<ConfigInfos>(
        'PUT',
        `/connector-plugins/${encodeURIComponent(named)}/config/validate`,
        pasted.config,
      );
      props.onPasted(className, pasted);
    } catch (error) {
      const failure = error as ApiError;
      if (failure.status === 404) setPasteError(failure.message);
      else props.onProblem(failure);
    }
  };

  return (
    <div class="paste" role="tabpanel" id="panel-paste" aria-labelledby="tab-paste">
      <label for="paste-text">Config as JSON or .properties</label>
      <textarea
        id="paste-text"
        rows={12}
        spellcheck={false}
        aria-describedby="paste-doc"
        value={props.text}
        onInput={(e) => props.onText((e.target as HTMLTextAreaElement).value)}
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
  );
}
