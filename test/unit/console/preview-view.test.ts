import { describe, expect, it } from 'vitest';
import type { PreviewAnswer, RecordView } from '../../../console/src/api-types.js';
import { errorText, previewTable } from '../../../console/src/preview-view.js';

const INSERT = 'org.apache.kafka.connect.transforms.InsertField$Value';
const HOIST = 'org.apache.kafka.connect.transforms.HoistField$Value';
const ROUTER = 'org.apache.kafka.connect.transforms.RegexRouter';

const record = (value: unknown, extra: Partial<RecordView> = {}): RecordView => ({
  topic: 'lines',
  timestamp: 0,
  key: null,
  value,
  headers: [],
  ...extra,
});
const message = (body: string, topic = 'lines') => ({
  stage: 'message' as const,
  message: { topic, body, bodyEncoding: 'utf8' as const, properties: {} },
});

describe('previewTable', () => {
  it("lays out a source's records: polled, each transform by alias, the message", () => {
    const answer: PreviewAnswer = {
      connector: 'c',
      type: 'source',
      records: [
        {
          outcome: 'send',
          steps: [
            { stage: 'poll', record: record('alpha') },
            {
              stage: 'transform',
              alias: 'hoist',
              className: HOIST,
              record: record({ line: 'alpha' }),
            },
            {
              stage: 'transform',
              alias: 'wrap',
              className: INSERT,
              record: record({ line: 'alpha', origin: 'file' }, { key: 'k1' }),
            },
            message('{"line":"alpha","origin":"file"}'),
          ],
        },
        {
          outcome: 'dropped',
          steps: [
            { stage: 'poll', record: record('beta') },
            { stage: 'transform', alias: 'hoist', className: HOIST, record: null },
          ],
        },
      ],
    };
    const table = previewTable(answer, ['hoist', 'wrap']);
    expect(table.columns).toEqual([
      { id: 'poll', title: 'Polled' },
      { id: 'transform:hoist', title: 'hoist', detail: 'HoistField$Value' },
      { id: 'transform:wrap', title: 'wrap', detail: 'InsertField$Value' },
      { id: 'message', title: 'Message' },
    ]);
    expect(table.rows[0]).toEqual({
      outcome: 'send',
      cells: [
        { kind: 'record', value: '"alpha"' },
        { kind: 'record', value: '{"line":"alpha"}' },
        { kind: 'record', value: '{"line":"alpha","origin":"file"}', key: '"k1"' },
        { kind: 'message', body: '{"line":"alpha","origin":"file"}' },
      ],
    });
    expect(table.rows[1]?.cells.map((c) => c.kind)).toEqual(['record', 'dropped', 'none', 'none']);
  });

  it('shows a skipped transform, a changed topic, and a failure in its stage with its alias', () => {
    const answer: PreviewAnswer = {
      connector: 'c',
      type: 'source',
      records: [
        {
          outcome: 'failed',
          steps: [
            { stage: 'poll', record: record('x') },
            {
              stage: 'transform',
              alias: 'route',
              className: ROUTER,
              record: record('x', { topic: 'other' }),
            },
            {
              stage: 'transform',
              alias: 'maybe',
              className: INSERT,
              skipped: 'its predicate did not match',
            },
          ],
          error: {
            stage: 'transform',
            alias: 'wrap',
            className: INSERT,
            message: 'only Map objects supported',
          },
        },
      ],
    };
    const { columns, rows } = previewTable(answer, ['route', 'maybe', 'wrap']);
    expect(columns.map((c) => c.title)).toEqual(['Polled', 'route', 'maybe', 'wrap', 'Message']);
    expect(rows[0]?.cells).toEqual([
      { kind: 'record', value: '"x"' },
      { kind: 'record', value: '"x"', topic: 'other' },
      { kind: 'skipped', reason: 'its predicate did not match' },
      { kind: 'error', text: 'transform wrap: only Map objects supported' },
      { kind: 'none' },
    ]);
  });

  it('puts a converter failure of a source under the message, of a sink under converted', () => {
    const failed = (type: 'source' | 'sink'): PreviewAnswer => ({
      connector: 'c',
      type,
      records: [
        {
          outcome: 'failed',
          steps:
            type === 'source' ? [{ stage: 'poll', record: record('x') }] : [message('not json')],
          error: {
            stage: 'value.converter',
            className: 'org.apache.kafka.connect.json.JsonConverter',
            message: 'bad',
          },
        },
      ],
    });
    const source = previewTable(failed('source'));
    expect(source.rows[0]?.cells.at(-1)).toEqual({
      kind: 'error',
      text: 'value.converter JsonConverter: bad',
    });
    const sink = previewTable(failed('sink'));
    expect(sink.columns.map((c) => c.id)).toEqual(['message', 'converted']);
    expect(sink.rows[0]?.cells).toEqual([
      { kind: 'message', body: 'not json' },
      { kind: 'error', text: 'value.converter JsonConverter: bad' },
    ]);
  });

  it("adds a transform column for an alias the config did not list (the stored config's, say)", () => {
    const answer: PreviewAnswer = {
      connector: 'c',
      type: 'sink',
      records: [
        {
          outcome: 'put',
          steps: [
            message('a'),
            { stage: 'converted', record: record('a') },
            { stage: 'transform', alias: 'route', className: ROUTER, record: record('a') },
          ],
        },
      ],
    };
    expect(previewTable(answer).columns.map((c) => c.title)).toEqual([
      'Message',
      'Converted',
      'route',
    ]);
  });
});

describe('errorText', () => {
  it('names the stage and the transform, or the class short', () => {
    expect(errorText({ stage: 'task start', message: 'no such file' })).toBe(
      'task start: no such file',
    );
    expect(errorText({ stage: 'transform', alias: 'w', className: INSERT, message: 'm' })).toBe(
      'transform w: m',
    );
  });
});
