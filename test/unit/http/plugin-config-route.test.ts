import { describe, expect, test } from 'vitest';
import type { ConfigKeyInfo } from '../../../lib/config/validate-result.js';
import { get, testApi } from './fake-api.js';

const { api } = testApi();

async function keysOf(plugin: string): Promise<{ status: number; body: unknown }> {
  const response = await api(
    get(`/connector-plugins/${encodeURIComponent(plugin)}/config`, { token: true }),
  );
  return { status: response.statusCode, body: JSON.parse(response.body) as unknown };
}

describe('GET /connector-plugins/{plugin}/config', () => {
  test("answers a transform's own keys, unprefixed, by class name or short name", async () => {
    for (const name of [
      'org.apache.kafka.connect.transforms.InsertField$Value',
      'InsertField$Value',
    ]) {
      const { status, body } = await keysOf(name);
      expect(status).toBe(200);
      const names = (body as ConfigKeyInfo[]).map((k) => k.name);
      expect(names).toEqual(expect.arrayContaining(['static.field', 'static.value']));
      // Not a connector's common keys.
      expect(names).not.toContain('tasks.max');
    }
  });

  test("answers a predicate's keys", async () => {
    const { status, body } = await keysOf('TopicNameMatches');
    expect(status).toBe(200);
    expect((body as ConfigKeyInfo[]).map((k) => k.name)).toEqual(['pattern']);
  });

  test('still answers a connector with the common keys first, and 404 for no plugin at all', async () => {
    const source = await keysOf('FileStreamSource');
    expect((source.body as ConfigKeyInfo[]).map((k) => k.name)).toEqual(
      expect.arrayContaining(['name', 'tasks.max', 'file', 'topic']),
    );
    expect((await keysOf('NoSuchThing')).status).toBe(404);
  });
});
