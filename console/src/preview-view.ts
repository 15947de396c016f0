// A preview's answer as a table: one row per record, one column per stage it goes through.
import { shortName } from '../../lib/api/plugin-names.js';
import type { PreviewAnswer, PreviewError, PreviewedRecord } from './api-types.js';

/** What one record looked like at one stage. */
export type PreviewCell =
  | {
      readonly kind: 'record';
      readonly value: string;
      /** Undefined when the record has no key. */
      readonly key?: string;
      /** Set where the topic changed from the stage before (a router transform). */
      readonly topic?: string;
    }
  | {
      readonly kind: 'message';
      readonly body: string;
      readonly key?: string;
      readonly topic?: string;
    }
  | { readonly kind: 'dropped' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'error'; readonly text: string }
  /** The record never reached this stage (dropped or failed before it). */
  | { readonly kind: 'none' };

export interface PreviewColumn {
  readonly id: string;
  readonly title: string;
  /** A transform's class, short (`InsertField$Value`). */
  readonly detail?: string;
}

export interface PreviewRow {
  readonly outcome: PreviewedRecord['outcome'];
  readonly cells: readonly PreviewCell[];
}

export interface PreviewTable {
  readonly columns: readonly PreviewColumn[];
  readonly rows: readonly PreviewRow[];
}

/** Values as compact JSON: `"a line"`, `{"line":"a","origin":"file"}`. */
export const compactJson = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

/** A preview failure said in one line: where, which transform, what. */
export function errorText(error: PreviewError): string {
  const where =
    error.alias !== undefined
      ? `${error.stage} ${error.alias}`
      : error.className !== undefined
        ? `${error.stage} ${shortName(error.className)}`
        : error.stage;
  return `${where}: ${error.message}`;
}

const transformColumn = (alias: string) => `transform:${alias}`;

/**
 * The table of a preview. Columns: a source's records as polled, a sink's as the message and
 * as converted; then each transform by alias (those of `aliases`, the config's `transforms`,
 * first, in order); then a source's outgoing message. A record's error is in the column of the
 * stage that failed.
 */
export function previewTable(answer: PreviewAnswer, aliases: readonly string[] = []): PreviewTable {
  const classes = new Map<string, string>();
  const seen = [...aliases];
  for (const record of answer.records) {
    for (const step of record.steps) {
      if (step.stage !== 'transform') continue;
      classes.set(step.alias, shortName(step.className));
      if (!seen.includes(step.alias)) seen.push(step.alias);
    }
  }
  const transforms: PreviewColumn[] = seen.map((alias) => ({
    id: transformColumn(alias),
    title: alias,
    ...(classes.has(alias) && { detail: classes.get(alias) }),
  }));
  const columns: PreviewColumn[] =
    answer.type === 'source'
      ? [{ id: 'poll', title: 'Polled' }, ...transforms, { id: 'message', title: 'Message' }]
      : [
          { id: 'message', title: 'Message' },
          { id: 'converted', title: 'Converted' },
          ...transforms,
        ];
  const rows = answer.records.map((record) => rowOf(record, answer.type, columns));
  return { columns, rows };
}

function rowOf(
  record: PreviewedRecord,
  type: PreviewAnswer['type'],
  columns: readonly PreviewColumn[],
): PreviewRow {
  const cells = new Map<string, PreviewCell>();
  let topic: string | undefined;
  const changed = (next: string | undefined) => {
    const shown = topic !== undefined && next !== undefined && next !== topic ? next : undefined;
    if (next !== undefined) topic = next;
    return shown === undefined ? {} : { topic: shown };
  };
  for (const step of record.steps) {
    switch (step.stage) {
      case 'poll':
      case 'converted':
        cells.set(step.stage, recordCell(step.record, changed(step.record.topic)));
        break;
      case 'message': {
        const { message } = step;
        cells.set('message', {
          kind: 'message',
          body: message.bodyEncoding === 'base64' ? `base64: ${message.body}` : message.body,
          ...(message.key !== undefined && { key: message.key }),
          ...changed(message.topic),
        });
        break;
      }
      case 'transform':
        cells.set(
          transformColumn(step.alias),
          step.skipped !== undefined
            ? { kind: 'skipped', reason: step.skipped }
            : step.record
              ? recordCell(step.record, changed(step.record.topic))
              : { kind: 'dropped' },
        );
        break;
    }
  }
  if (record.error) {
    const { error } = record;
    const column =
      error.stage === 'transform' && error.alias !== undefined
        ? transformColumn(error.alias)
        : (error.stage === 'key.converter' || error.stage === 'value.converter') && type === 'sink'
          ? 'converted'
          : type === 'source'
            ? 'message'
            : // A sink record's failure with no stage of its own: after its last shown stage.
              (columns.find((c) => !cells.has(c.id))?.id ?? 'converted');
    cells.set(column, { kind: 'error', text: errorText(error) });
  }
  return {
    outcome: record.outcome,
    cells: columns.map((c) => cells.get(c.id) ?? { kind: 'none' }),
  };
}

function recordCell(
  record: { readonly key: unknown; readonly value: unknown },
  topic: { topic?: string },
): PreviewCell {
  return {
    kind: 'record',
    value: compactJson(record.value),
    ...(record.key !== null && record.key !== undefined && { key: compactJson(record.key) }),
    ...topic,
  };
}
