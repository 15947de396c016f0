import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../../lib/config/errors.js';
import { parseConnectorConfig } from '../../../lib/config/parse.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';

const registry = createBuiltinRegistry();
const source = {
  name: 'c',
  'connector.class': 'FileStreamSource',
  file: '/tmp/in.txt',
  topic: 't',
};

function problems(config: Record<string, string>): Record<string, readonly string[]> {
  try {
    parseConnectorConfig({ ...source, ...config }, registry);
    return {};
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(
      error.result.configs
        .filter((c) => c.value.errors.length > 0)
        .map((c) => [c.value.name, c.value.errors]),
    );
  }
}

describe("a transform's configure runs at validate", () => {
  it('what only configure checks (keys that go together) is refused then, on its key', () => {
    expect(
      problems({
        transforms: 'a',
        'transforms.a.type': 'InsertField$Value',
        'transforms.a.static.field': 'origin',
      }),
    ).toEqual({
      'transforms.a.static.value': [expect.stringMatching(/static.value/) as unknown],
    });
  });

  it('a config with ${...} references is left to the task, which resolves them first', () => {
    expect(
      problems({
        transforms: 'a',
        'transforms.a.type': 'InsertField$Value',
        'transforms.a.static.field': '${env:FIELD}',
      }),
    ).toEqual({});
  });
});
