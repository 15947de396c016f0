import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A group of the create form: its prominent fields, and the rest folded. The fold opens by itself
 * when one of its fields has an error to show, and never closes by itself (closing it under a
 * user typing in it would hide the focused field).
 */
export function FormSection(props: {
  title: string;
  shown: ComponentChildren;
  folded: ComponentChildren;
  foldedCount: number;
  foldedHasErrors: boolean;
  hasShown: boolean;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (props.foldedHasErrors && details.current) details.current.open = true;
  }, [props.foldedHasErrors]);
  return (
    <fieldset>
      <legend>{props.title}</legend>
      {props.shown}
      {props.foldedCount > 0 && (
        <details ref={details}>
          <summary>
            {props.hasShown ? 'More ' : 'Show the '}
            {props.title} settings ({props.foldedCount})
          </summary>
          {props.folded}
        </details>
      )}
    </fieldset>
  );
}
