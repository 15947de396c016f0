import { describe, expect, it } from 'vitest';
import { CliInputError } from '../../../lib/cli/errors.js';
import { parseProperties } from '../../../lib/cli/properties.js';

// Every expectation here is what java.util.Properties.load (JDK 17) gives for the same text;
// the parser was also compared with it on thousands of random inputs.
describe('parseProperties', () => {
  it.each([
    ['key=value', { key: 'value' }],
    ['key = value', { key: 'value' }],
    ['key:value', { key: 'value' }],
    ['key : value', { key: 'value' }],
    ['key value', { key: 'value' }],
    ['key\tvalue', { key: 'value' }],
    ['key \t = \t value', { key: 'value' }],
    ['key  :value', { key: 'value' }],
  ])('separates key and value in %j', (text, expected) => {
    expect(parseProperties(text)).toEqual(expected);
  });

  it('takes only the first separator, the rest is the value', () => {
    expect(parseProperties('a==b')).toEqual({ a: '=b' });
    expect(parseProperties('a=:b')).toEqual({ a: ':b' });
    expect(parseProperties('a: =b')).toEqual({ a: '=b' });
    expect(parseProperties('a b c d')).toEqual({ a: 'b c d' });
  });

  it('keeps trailing whitespace of a value and drops leading whitespace of a line', () => {
    expect(parseProperties('  \f\ta = b  ')).toEqual({ a: 'b  ' });
  });

  it('reads a key alone as an empty value', () => {
    expect(parseProperties('key')).toEqual({ key: '' });
    expect(parseProperties('key=')).toEqual({ key: '' });
    expect(parseProperties('key   ')).toEqual({ key: '' });
  });

  it('reads a line starting with a separator as an empty key', () => {
    expect(parseProperties('=v')).toEqual({ '': 'v' });
    expect(parseProperties(':v')).toEqual({ '': 'v' });
  });

  it('skips # and ! comment lines and blank lines', () => {
    expect(parseProperties('# a comment\n! another\n\n   \n  # indented\na=1\n')).toEqual({
      a: '1',
    });
  });

  it('never continues a comment line', () => {
    expect(parseProperties('# comment \\\na=1')).toEqual({ a: '1' });
  });

  it('treats # inside a value, and on a continued line, as text', () => {
    expect(parseProperties('a=1 # not a comment')).toEqual({ a: '1 # not a comment' });
    expect(parseProperties('a=1\\\n# not a comment')).toEqual({ a: '1# not a comment' });
  });

  it('joins continued lines, dropping the next line’s leading whitespace', () => {
    expect(parseProperties('topics=a,\\\n    b,\\\n\tc')).toEqual({ topics: 'a,b,c' });
  });

  it('ends a continuation at an empty line', () => {
    expect(parseProperties('a=1\\\n\nb=2')).toEqual({ a: '1', b: '2' });
  });

  it('continues only at an odd number of trailing backslashes', () => {
    expect(parseProperties('a=1\\\\\nb=2')).toEqual({ a: '1\\', b: '2' });
    expect(parseProperties('a=1\\\\\\\n 2')).toEqual({ a: '1\\2' });
  });

  it('drops a continuation backslash at the end of the input', () => {
    expect(parseProperties('a=x\\')).toEqual({ a: 'x' });
  });

  it.each([
    ['\n', 'a=1\nb=2\n'],
    ['\r\n', 'a=1\r\nb=2\r\n'],
    ['\r', 'a=1\rb=2\r'],
  ])('ends lines at %j', (_, text) => {
    expect(parseProperties(text)).toEqual({ a: '1', b: '2' });
  });

  it('continues across \\r\\n line ends', () => {
    expect(parseProperties('a=1\\\r\n  2\r\nb=3')).toEqual({ a: '12', b: '3' });
  });

  it('reads \\t \\n \\r \\f and \\uXXXX escapes', () => {
    expect(parseProperties('a=\\u0041\\t\\n\\r\\f|\\u00e9')).toEqual({ a: 'A\t\n\r\f|é' });
  });

  it('drops the backslash before any other character', () => {
    expect(parseProperties('a=\\x\\#\\\\u0041')).toEqual({ a: 'x#\\u0041' });
  });

  it.each([
    ['a\\=b=c', { 'a=b': 'c' }],
    ['a\\:b:c', { 'a:b': 'c' }],
    ['a\\ b c', { 'a b': 'c' }],
    ['a\\tb=c', { 'a\tb': 'c' }],
    ['\\#a=1', { '#a': '1' }],
    ['a\\\\=b', { 'a\\': 'b' }],
  ])('reads escaped separators and whitespace in the key %j', (text, expected) => {
    expect(parseProperties(text)).toEqual(expected);
  });

  it('continues a key onto the next line', () => {
    expect(parseProperties('con\\\n  nector.class=Datagen')).toEqual({
      'connector.class': 'Datagen',
    });
  });

  it('keeps the last of repeated keys', () => {
    expect(parseProperties('a=1\na=2')).toEqual({ a: '2' });
  });

  it('reads UTF-8 text as it is and drops a byte order mark', () => {
    expect(parseProperties('\uFEFFgreeting=héllo wörld')).toEqual({ greeting: 'héllo wörld' });
  });

  it('reads a realistic connector file', () => {
    const text = [
      '# A datagen source',
      'name=orders-gen',
      'connector.class = rocketmq.connect.datagen.DatagenSourceConnector',
      'tasks.max: 2',
      'topic orders',
      'transforms=insert',
      'transforms.insert.type=org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.insert.static.field=source',
      'transforms.insert.static.value=datagen \\',
      '    generator',
      '',
    ].join('\n');
    expect(parseProperties(text)).toEqual({
      name: 'orders-gen',
      'connector.class': 'rocketmq.connect.datagen.DatagenSourceConnector',
      'tasks.max': '2',
      topic: 'orders',
      transforms: 'insert',
      'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.insert.static.field': 'source',
      'transforms.insert.static.value': 'datagen generator',
    });
  });

  it.each(['a=\\u00', 'a=\\uzzzz', 'a=\\u12G4'])(
    'refuses the malformed \\u escape in %j, naming the file and line',
    (bad) => {
      const parse = () => parseProperties(`# header\n\nb=ok\n${bad}\n`, 'conf/files.properties');
      expect(parse).toThrow(CliInputError);
      expect(parse).toThrow(/^conf\/files\.properties, line 4: malformed \\uXXXX escape/);
    },
  );

  it('counts the line where a continued entry starts', () => {
    expect(() => parseProperties('a=1\\\n 2\\\n 3\nb=\\u', 'x.properties')).toThrow(
      /x\.properties, line 4:/,
    );
  });
});
