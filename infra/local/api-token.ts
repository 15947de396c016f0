import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MIN_TOKEN_LENGTH } from '../../lib/http/api-auth-config.js';
import { StackError } from './jvm.js';
import type { StackSettings } from './settings.js';

export interface LocalApiToken {
  readonly token: string;
  /** `env`: CONNECT_API_TOKEN; `generated`: made by this run; `kept`: made by an earlier run. */
  readonly origin: 'env' | 'generated' | 'kept';
  /** Where a generated token is kept. */
  readonly file: string;
}

/**
 * The API's admin token under `npm start`: CONNECT_API_TOKEN when set; otherwise 32 random
 * bytes, generated once and kept in the stack folder (readable by its owner only), so a restart
 * does not invalidate the token a user exported.
 */
export function localApiToken(settings: StackSettings): LocalApiToken {
  const file = path.join(settings.stackDir, 'api-token');
  const given = settings.functions.apiToken;
  if (given !== undefined && given !== '') {
    // The value is never echoed: it is a credential.
    if (given.startsWith('${')) {
      throw new StackError(
        'CONNECT_API_TOKEN is a reference (${...}); npm start needs the token itself, or leave it unset to have one generated',
      );
    }
    if (given.length < MIN_TOKEN_LENGTH) {
      throw new StackError(
        `CONNECT_API_TOKEN is ${given.length} characters long; the API takes tokens of at least ${MIN_TOKEN_LENGTH}`,
      );
    }
    return { token: given, origin: 'env', file };
  }
  try {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (kept.length >= MIN_TOKEN_LENGTH) return { token: kept, origin: 'kept', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  fs.mkdirSync(settings.stackDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, origin: 'generated', file };
}
