import type { PreviewAnswer } from '../api-types.js';
import { errorText, previewTable, type PreviewCell } from '../preview-view.js';

/**
 * A preview's answer: that nothing was sent, the failure that stopped it (if one did), and each
 * record at each stage in a table (cards on a phone).
 */
export function PreviewResult({
  answer,
  aliases,
}: {
  answer: PreviewAnswer;
  /** The config's transforms, in order: their columns come even when no record reached them. */
  aliases: readonly string[];
}) {
  const table = previewTable(answer, aliases);
  const from =
    answer.type === 'source'
      ? 'polled from the source'
      : answer.messagesFrom === 'request'
        ? 'from the sample messages'
        : 'the topics’ last messages, read without a commit';
  return (
    <div class="preview" aria-live="polite">
      <p class="preview-note">
        {answer.records.length} record(s) {from} · preview: nothing was produced or committed
      </p>
      {answer.error && (
        <div class="problem" role="alert">
          <strong>The preview stopped</strong>
          <p class="problem-detail">{errorText(answer.error)}</p>
        </div>
      )}
      {answer.records.length === 0 && !answer.error && (
        <p class="empty">
          {answer.type === 'source'
            ? 'The source had no records within the preview’s time.'
            : 'The topics hold no messages yet.'}
        </p>
      )}
      {answer.records.length > 0 && (
        <table class="responsive preview-table">
          <thead>
            <tr>
              <th scope="col">Record</th>
              {table.columns.map((column) => (
                <th scope="col" key={column.id}>
                  {column.title}
                  {column.detail && <span class="column-detail">{column.detail}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, index) => (
              <tr key={index} data-outcome={row.outcome}>
                <th scope="row" data-label="Record">
                  #{index + 1} <span class={`outcome outcome-${row.outcome}`}>{row.outcome}</span>
                </th>
                {row.cells.map((cell, i) => {
                  const column = table.columns[i]!;
                  return (
                    <td key={column.id} data-label={column.title} data-stage={column.id}>
                      <Cell cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Cell({ cell }: { cell: PreviewCell }) {
  switch (cell.kind) {
    case 'record':
    case 'message':
      return (
        <>
          {cell.topic !== undefined && <span class="muted cell-topic">→ {cell.topic}</span>}
          {cell.key !== undefined && (
            <span class="cell-key">
              <span class="muted">key </span>
              <code>{cell.key}</code>
            </span>
          )}
          <code class="cell-value">{cell.kind === 'record' ? cell.value : cell.body}</code>
        </>
      );
    case 'dropped':
      return <span class="muted">dropped</span>;
    case 'skipped':
      return (
        <span class="muted" title={cell.reason}>
          skipped (predicate)
        </span>
      );
    case 'error':
      return <span class="error-text error-cell">{cell.text}</span>;
    case 'none':
      return <span class="muted">—</span>;
  }
}
