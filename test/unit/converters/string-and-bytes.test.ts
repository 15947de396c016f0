import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/api/errors.js';
import { Schemas } from '../../../lib/api/schema.js';
import { ByteArrayConverter } from '../../../lib/converters/byte-array-converter.js';
import { converterPlugins } from '../../../lib/converters/index.js';
import { StringConverter } from '../../../lib/converters/string-converter.js';

function stringConverter(config: Record<string, string> = {}) {
  const c = new StringConverter();
  c.configure(config, false);
  return c;
}

describe('StringConverter', () => {
  it('round-trips UTF-8 text with an optional string schema', () => {
    const c = stringConverter();
    expect(c.toConnectData('t', c.fromConnectData('t', undefined, 'héllo ✓'))).toEqual({
      schema: Schemas.OPTIONAL_STRING,
      value: 'héllo ✓',
    });
  });

  it('writes in the configured encoding', () => {
    const c = stringConverter({ 'converter.encoding': 'ISO-8859-1' });
    expect([...c.fromConnectData('t', undefined, 'é')]).toEqual([0xe9]);
    expect(c.toConnectData('t', new Uint8Array([0xe9])).value).toBe('é');
  });

  it('writes numbers and booleans as text but refuses objects', () => {
    const c = stringConverter();
    expect(new TextDecoder().decode(c.fromConnectData('t', undefined, 12n))).toBe('12');
    expect(() => c.fromConnectData('t', undefined, { a: 1 })).toThrow(/use JsonConverter/);
  });

  it('refuses an unknown encoding with a ConfigError naming the key', () => {
    expect(() => stringConverter({ 'converter.encoding': 'EBCDIC' })).toThrow(ConfigError);
    expect(() => stringConverter({ 'converter.encoding': 'EBCDIC' })).toThrow(
      /"converter.encoding"/,
    );
  });
});

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();
  c.configure({}, true);

  it('passes bytes through both ways', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(c.fromConnectData('t', Schemas.BYTES, data)).toBe(data);
    expect(c.toConnectData('t', data)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: data });
    expect(c.toConnectData('t', new Uint8Array(0)).value).toBeNull();
  });

  it('refuses values that are not bytes, naming the role and topic', () => {
    expect(() => c.fromConnectData('orders', undefined, 'x')).toThrow(
      /ByteArrayConverter: key of topic orders is a string, not bytes/,
    );
    expect(() => c.fromConnectData('orders', Schemas.STRING, new Uint8Array())).toThrow(/STRING/);
  });
});

describe('converterPlugins', () => {
  it('creates each converter under its Kafka class name', () => {
    expect(converterPlugins.map((p) => p.className)).toEqual([
      'org.apache.kafka.connect.json.JsonConverter',
      'org.apache.kafka.connect.storage.StringConverter',
      'org.apache.kafka.connect.converters.ByteArrayConverter',
    ]);
    for (const plugin of converterPlugins) expect(plugin.create()).toBeDefined();
  });
});
