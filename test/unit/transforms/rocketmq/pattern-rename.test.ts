import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../../lib/api/schema-builder.js';
import { Schemas } from '../../../../lib/api/schema.js';
import { applyChain } from '../../../../lib/api/transform.js';
import { PatternRename } from '../../../../lib/transforms/rocketmq/pattern-rename.js';
import { configured, record, refusal, refusedKey } from './records.js';

const rename = (
  pattern: string,
  replacement: string,
  part: 'key' | 'value' = 'value',
  more: Record<string, string> = {},
) =>
  configured(new PatternRename(part), {
    'field.pattern': pattern,
    'field.replacement': replacement,
    ...more,
  });

describe('PatternRename$Key / $Value', () => {
  test.each(['key', 'value'] as const)(
    "RocketMQ Connect's schemaless example (%s): dots become underscores",
    (part) => {
      const input = { 'first.name': 'example', 'last.name': 'user' };
      const out = rename('\\.', '_', part).apply(record({ [part]: input }));
      expect(out?.[part]).toEqual({ first_name: 'example', last_name: 'user' });
      expect(input).toEqual({ 'first.name': 'example', 'last.name': 'user' });
    },
  );

  test.each(['key', 'value'] as const)(
    "RocketMQ Connect's struct example (%s): a prefix is removed, the schema keeps its name",
    (part) => {
      const schema = SchemaBuilder.struct()
        .name('testing')
        .field('prefixedfirstname', Schemas.STRING)
        .field('prefixedlastname', Schemas.STRING)
        .build();
      const value = { prefixedfirstname: 'example', prefixedlastname: 'user' };
      const input =
        part === 'key'
          ? record({ keySchema: schema, key: value })
          : record({ valueSchema: schema, value });
      const out = rename('^prefixed', '', part).apply(input);
      expect(out?.[part]).toEqual({ firstname: 'example', lastname: 'user' });
      expect(part === 'key' ? out?.keySchema : out?.valueSchema).toMatchObject({
        type: 'STRUCT',
        name: 'testing',
        fields: [
          { name: 'firstname', index: 0, schema: Schemas.STRING },
          { name: 'lastname', index: 1, schema: Schemas.STRING },
        ],
      });
    },
  );

  test("RocketMQ Connect's README chain: company -> company02 -> company03", () => {
    const chain = [
      { name: 'Replace', transform: rename('company', 'company02') },
      { name: 'Replace02', transform: rename('company02', 'company03') },
    ];
    const [out] = applyChain([record({ value: { company: 'Acme', id: 1 } })], chain);
    expect(out?.value).toEqual({ company03: 'Acme', id: 1 });
  });

  test("every match is replaced, with Java's $n and ${name} group references", () => {
    expect(rename('_', '', 'value').apply(record({ value: { a_b_c: 1 } }))?.value).toEqual({
      abc: 1,
    });
    const groups = rename('^(\\w+?)_(?<part>id)$', '$1${part}');
    expect(groups.apply(record({ value: { order_id: 1, other: 2 } }))?.value).toEqual({
      orderid: 1,
      other: 2,
    });
    expect(rename('x', '\\$').apply(record({ value: { axb: 1 } }))?.value).toEqual({ a$b: 1 });
  });

  test('field.pattern.flags: CASE_INSENSITIVE, LITERAL', () => {
    const ci = rename('^pre', '', 'value', { 'field.pattern.flags': 'CASE_INSENSITIVE' });
    expect(ci.apply(record({ value: { PREname: 1 } }))?.value).toEqual({ name: 1 });
    const literal = rename('.', '_', 'value', { 'field.pattern.flags': 'LITERAL, UNICODE_CASE' });
    expect(literal.apply(record({ value: { 'a.b': 1, ab: 2 } }))?.value).toEqual({
      a_b: 1,
      ab: 2,
    });
  });

  test('a field name that matches nothing keeps its name, and the record is unchanged', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    const input = record({ valueSchema: schema, value: { id: 1 } });
    expect(rename('^x', 'y').apply(input)).toBe(input);
  });

  test('a MAP schema with string keys keeps its schema', () => {
    const mapSchema = SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build();
    const out = rename('-', '_').apply(
      record({ valueSchema: mapSchema, value: new Map([['a-b', 1]]) }),
    );
    expect(out?.value).toEqual(new Map([['a_b', 1]]));
    expect(out?.valueSchema).toBe(mapSchema);
  });

  test('two fields renamed to one name are refused rather than one overwriting the other', () => {
    expect(refusal(() => rename('^x', '').apply(record({ value: { xa: 1, a: 2 } })))).toBe(
      "PatternRename$Value: fields 'xa' and 'a' would both be named 'a'",
    );
  });

  test('a tombstone stays one; with a schema, its schema is renamed', () => {
    const schema = SchemaBuilder.struct().field('x.y', Schemas.INT32).optional().build();
    const out = rename('\\.', '_').apply(record({ valueSchema: schema, value: null }));
    expect(out?.value).toBeNull();
    expect(out?.valueSchema).toMatchObject({ optional: true, fields: [{ name: 'x_y' }] });
    const schemaless = record();
    expect(rename('a', 'b').apply(schemaless)).toBe(schemaless);
  });

  test('a value that is neither a struct nor a map is refused', () => {
    expect(refusal(() => rename('a', 'b').apply(record({ value: 42 })))).toBe(
      'PatternRename$Value: a schemaless value must be a map, got a number',
    );
  });

  test('bad configs are refused, naming the key', () => {
    const p = new PatternRename('value');
    expect(refusedKey(() => p.configure({ 'field.replacement': '' })).key).toBe('field.pattern');
    expect(refusedKey(() => p.configure({ 'field.pattern': 'a' })).key).toBe('field.replacement');
    expect(
      refusedKey(() => p.configure({ 'field.pattern': '(', 'field.replacement': '' })),
    ).toMatchObject({ key: 'field.pattern', message: expect.stringMatching(/regular expression/) });
    expect(
      refusedKey(() => p.configure({ 'field.pattern': '(a)', 'field.replacement': '$2' })),
    ).toMatchObject({
      key: 'field.replacement',
      message: expect.stringMatching(/refers to group 2, but regex has 1/),
    });
    const withFlags = (flags: string) => () =>
      p.configure({ 'field.pattern': 'a', 'field.replacement': '', 'field.pattern.flags': flags });
    expect(refusedKey(withFlags('COMMENTS'))).toEqual({
      key: 'field.pattern.flags',
      message:
        'PatternRename$Value: Invalid value for configuration: Flag COMMENTS is not supported "field.pattern.flags"',
    });
    expect(refusedKey(withFlags('DOTALL, NOPE')).message).toMatch(/Unknown flag NOPE/);
    expect(withFlags('CASE_INSENSITIVE,')).not.toThrow();
  });
});
