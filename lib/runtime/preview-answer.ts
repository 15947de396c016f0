/**
 * What a preview answers (`POST /connectors/{name}/preview`, lib/runtime/preview.ts): plain
 * data with no imports, so that the web console reads the same types without the runtime.
 */

/** Where in the pipeline something failed; `alias` names the transform (its name in `transforms`). */
export interface PreviewError {
  readonly stage:
    'config' | 'task start' | 'poll' | 'read' | 'key.converter' | 'value.converter' | 'transform';
  readonly alias?: string;
  readonly className?: string;
  readonly message: string;
}

/** A record as shown: values in JSON (Decimal as its text, dates in ISO 8601, bytes in base64). */
export interface RecordView {
  readonly topic?: string;
  readonly partition?: unknown;
  readonly offset?: unknown;
  readonly timestamp: number;
  readonly key: unknown;
  readonly keySchema?: unknown;
  readonly value: unknown;
  readonly valueSchema?: unknown;
  readonly headers: readonly (readonly [string, string])[];
}

/** A RocketMQ message as shown: the key as text, the body as text, or base64 when it is not. */
export interface MessageView {
  readonly topic: string;
  readonly key?: string;
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  readonly properties: Readonly<Record<string, string>>;
}

/** One stage a record went through. */
export type PreviewStep =
  | { readonly stage: 'poll' | 'converted'; readonly record: RecordView }
  | { readonly stage: 'message'; readonly message: MessageView }
  | {
      readonly stage: 'transform';
      readonly alias: string;
      readonly className: string;
      /** The record after it; null when it dropped the record. */
      readonly record?: RecordView | null;
      /** Set when the transform's predicate left the record as it was. */
      readonly skipped?: string;
    };

export interface PreviewedRecord {
  readonly steps: readonly PreviewStep[];
  /** `send`: a source record's message; `put`: what the sink task would receive. */
  readonly outcome: 'send' | 'put' | 'dropped' | 'failed';
  readonly error?: PreviewError;
}

export interface PreviewAnswer {
  readonly connector: string;
  readonly type: 'source' | 'sink';
  readonly records: readonly PreviewedRecord[];
  /** A failure not of one record (the config, the task's start, a poll, reading the topics). */
  readonly error?: PreviewError;
  /** Where a sink's messages came from. */
  readonly messagesFrom?: 'topics' | 'request';
}
