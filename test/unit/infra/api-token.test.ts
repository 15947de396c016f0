import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { localApiToken } from '../../../infra/local/api-token.js';
import { loadStackSettings } from '../../../infra/local/settings.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function settingsIn(env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'api-token-'));
  dirs.push(dir);
  return loadStackSettings({ STACK_DIR: path.join(dir, 'stack'), ...env });
}

describe("npm start's API token", () => {
  test('is CONNECT_API_TOKEN when set, and nothing is written', () => {
    const settings = settingsIn({ CONNECT_API_TOKEN: 'a-token-from-the-shell' });
    const token = localApiToken(settings);
    expect(token).toMatchObject({ token: 'a-token-from-the-shell', origin: 'env' });
    expect(fs.existsSync(token.file)).toBe(false);
  });

  test('is generated once, readable by its owner only, and kept for the next run', () => {
    const settings = settingsIn();
    const first = localApiToken(settings);
    expect(first.origin).toBe('generated');
    // 32 random bytes, base64url.
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const second = localApiToken(settings);
    expect(second).toEqual({ ...first, origin: 'kept' });
  });

  test('refuses a short or referenced CONNECT_API_TOKEN without echoing it', () => {
    const short = settingsIn({ CONNECT_API_TOKEN: 'secret-12' });
    expect(() => localApiToken(short)).toThrow(
      'CONNECT_API_TOKEN is 9 characters long; the API takes tokens of at least 16',
    );
    expect(() => localApiToken(short)).not.toThrow(/secret-12/);
    const reference = settingsIn({ CONNECT_API_TOKEN: '${ssm:/connect/token}' });
    expect(() => localApiToken(reference)).toThrow(/is a reference/);
  });

  test('replaces a kept token too short to be accepted', () => {
    const settings = settingsIn();
    fs.mkdirSync(settings.stackDir, { recursive: true });
    fs.writeFileSync(path.join(settings.stackDir, 'api-token'), 'short\n');
    const token = localApiToken(settings);
    expect(token.origin).toBe('generated');
    expect(token.token).toHaveLength(43);
  });
});
