import { describe, expect, it } from 'vitest';
import {
  connectorRequest,
  readConnectorFile,
  readOffsetsFile,
  type ReadFile,
} from '../../../lib/cli/config-file.js';
import { CliInputError } from '../../../lib/cli/errors.js';

/** Files from a map; a missing one fails as fs does. */
function files(contents: Record<string, string>): ReadFile {
  return (path) => {
    const text = contents[path];
    if (text !== undefined) return Promise.resolve(text);
    return Promise.reject(Object.assign(new Error(`ENOENT: open '${path}'`), { code: 'ENOENT' }));
  };
}

const config = {
  'connector.class': 'Datagen',
  'tasks.max': '2',
  topic: 'orders',
};

describe('readConnectorFile', () => {
  it('reads a .properties file', async () => {
    const read = files({
      'gen.properties': 'connector.class=Datagen\ntasks.max: 2\ntopic orders\n',
    });
    expect(await readConnectorFile('gen.properties', read)).toEqual({ name: undefined, config });
  });

  it('reads a flat JSON config, taking numbers and booleans as text', async () => {
    const read = files({
      'gen.json': JSON.stringify({
        name: 'g',
        'connector.class': 'Datagen',
        'tasks.max': 2,
        'errors.log.enable': true,
      }),
    });
    expect(await readConnectorFile('gen.json', read)).toEqual({
      name: 'g',
      config: {
        name: 'g',
        'connector.class': 'Datagen',
        'tasks.max': '2',
        'errors.log.enable': 'true',
      },
    });
  });

  it("reads Kafka Connect's {name, config, initial_state} form", async () => {
    const read = files({
      'gen.json': JSON.stringify({ name: 'orders-gen', config, initial_state: 'PAUSED' }),
    });
    expect(await readConnectorFile('gen.json', read)).toEqual({
      name: 'orders-gen',
      config,
      initialState: 'PAUSED',
    });
  });

  it('takes the name from the config in the Kafka form when the top level has none', async () => {
    const read = files({ 'gen.json': JSON.stringify({ config: { ...config, name: 'inner' } }) });
    expect((await readConnectorFile('gen.json', read)).name).toBe('inner');
  });

  it('reads a file of another extension by its content', async () => {
    const read = files({ '/dev/fd/63': '{"topic": "t"}', 'gen.conf': 'topic=t' });
    expect((await readConnectorFile('/dev/fd/63', read)).config).toEqual({ topic: 't' });
    expect((await readConnectorFile('gen.conf', read)).config).toEqual({ topic: 't' });
  });

  it('names a missing file', async () => {
    await expect(readConnectorFile('conf/missing.json', files({}))).rejects.toThrow(
      new CliInputError('cannot read conf/missing.json: no such file'),
    );
  });

  it('names an unreadable file and the reason', async () => {
    const read: ReadFile = () =>
      Promise.reject(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
    await expect(readConnectorFile('conf', read)).rejects.toThrow(
      'cannot read conf: it is a directory',
    );
  });

  it('names a malformed JSON file, where and what is wrong', async () => {
    const read = files({ 'bad.json': '{\n  "topic": "t",\n  "tasks.max": 2,\n}\n' });
    const error = await readConnectorFile('bad.json', read).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliInputError);
    expect((error as Error).message).toMatch(/^bad\.json is not valid JSON \(line 4:1\): /);
  });

  it.each([
    ['[1, 2]', 'bad.json must hold a JSON object'],
    ['"text"', 'bad.json must hold a JSON object'],
    [
      '{"topics": ["a", "b"]}',
      'bad.json: "topics" must be a string, number or boolean, not an array',
    ],
    ['{"x": null}', 'bad.json: "x" must be a string, number or boolean, not null'],
    [
      '{"config": {"a": {}}}',
      'bad.json: "config.a" must be a string, number or boolean, not an object',
    ],
    ['{"config": {}, "tasks": []}', 'bad.json: unknown field "tasks" next to "config"'],
    ['{"config": {}, "name": 5}', 'bad.json: "name" must be a string'],
  ])('refuses %s', async (text, message) => {
    await expect(readConnectorFile('bad.json', files({ 'bad.json': text }))).rejects.toThrow(
      message,
    );
  });

  it('names the file and line of a malformed properties escape', async () => {
    await expect(
      readConnectorFile('c.properties', files({ 'c.properties': 'a=1\nb=\\uXY' })),
    ).rejects.toThrow('c.properties, line 2: malformed \\uXXXX escape');
  });
});

describe('connectorRequest', () => {
  it('names the connector after the file when nothing else does', () => {
    expect(
      connectorRequest('conf/orders-gen.properties', { name: undefined, config }, undefined),
    ).toEqual({ name: 'orders-gen', config });
  });

  it("prefers the file's name", () => {
    expect(connectorRequest('conf/x.json', { name: 'from-file', config }, undefined).name).toBe(
      'from-file',
    );
  });

  it('prefers --name, and writes it over a name key in the config', () => {
    const file = { name: 'from-file', config: { ...config, name: 'from-file' } };
    expect(connectorRequest('x.json', file, 'flag')).toEqual({
      name: 'flag',
      config: { ...config, name: 'flag' },
    });
    expect(connectorRequest('x.json', { name: undefined, config }, 'flag')).toEqual({
      name: 'flag',
      config,
    });
  });
});

describe('readOffsetsFile', () => {
  const offsets = [{ partition: { file: 'a' }, offset: { position: 10 } }];

  it('reads {"offsets": [...]} and the list alone', async () => {
    const read = files({
      'a.json': JSON.stringify({ offsets }),
      'b.json': JSON.stringify(offsets),
    });
    expect(await readOffsetsFile('a.json', read)).toEqual({ offsets });
    expect(await readOffsetsFile('b.json', read)).toEqual({ offsets });
  });

  it('refuses anything else, naming the file', async () => {
    await expect(
      readOffsetsFile('o.json', files({ 'o.json': '{"partition": {}}' })),
    ).rejects.toThrow(/^o\.json must hold \{"offsets": \[/);
  });
});
