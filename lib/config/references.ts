import type { ConnectorConfig } from '../api/connector-config.js';

/** The config providers a value may refer to. */
export const PROVIDER_NAMES = ['env', 'ssm', 'secretsmanager'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * One `${provider:path}` reference in a config value:
 * - `${env:VAR}`: an environment variable of the task function;
 * - `${ssm:/path/to/param}`: an SSM parameter, decrypted;
 * - `${secretsmanager:secret-id:json-key}`: one key of a JSON secret; the id may hold '/' and ':'
 *   (an ARN), the key is after the last ':'; `${secretsmanager:secret-id}` is the whole secret
 *   string, and so is a bare ARN (`arn:aws:secretsmanager:region:account:secret:name`).
 */
export interface ConfigReference {
  /** The config key whose value holds it. */
  readonly key: string;
  /** The reference as written, e.g. `${ssm:/db/password}`: safe to show, it is not the secret. */
  readonly text: string;
  readonly provider: ProviderName;
  /** The variable name, parameter name or secret id. */
  readonly path: string;
  /** secretsmanager only: the key to read from the secret's JSON object. */
  readonly jsonKey?: string;
  /** Where `text` starts and ends in the value. */
  readonly start: number;
  readonly end: number;
}

/** A malformed reference, on the key whose value holds it. */
export interface ReferenceProblem {
  readonly key: string;
  /** Quotes the reference as written. */
  readonly message: string;
  /** Says what is wrong without quoting the value: for keys whose value may be a secret. */
  readonly reason: string;
}

export interface FoundReferences {
  readonly references: ConfigReference[];
  readonly problems: ReferenceProblem[];
}

// `${` starts a reference only when a provider name and ':' follow, so templates such as
// TimestampRouter's `${topic}-${timestamp}` stay plain text, as in Kafka Connect.
const START = /\$\{([A-Za-z0-9_.-]*):/y;

/** Every reference in every value, and every malformed one (unknown provider, unclosed, empty). */
export function findReferences(config: ConnectorConfig): FoundReferences {
  const references: ConfigReference[] = [];
  const problems: ReferenceProblem[] = [];
  for (const [key, value] of Object.entries(config)) {
    const found = referencesIn(key, value);
    references.push(...found.references);
    problems.push(...found.problems);
  }
  return { references, problems };
}

/** The references in one value. */
export function referencesIn(key: string, value: string): FoundReferences {
  const references: ConfigReference[] = [];
  const problems: ReferenceProblem[] = [];
  let from = 0;
  for (;;) {
    const start = value.indexOf('${', from);
    if (start === -1) break;
    START.lastIndex = start;
    const m = START.exec(value);
    if (!m) {
      from = start + 2;
      continue;
    }
    const provider = m[1] ?? '';
    const close = value.indexOf('}', start);
    if (close === -1) {
      problems.push({
        key,
        message: `Reference "\${${provider}:..." in ${key} is not closed with "}"`,
        reason: 'a reference is not closed with "}"',
      });
      break;
    }
    const text = value.slice(start, close + 1);
    const body = value.slice(START.lastIndex, close);
    from = close + 1;
    const problem = checkReference(provider, body, text);
    if (problem !== undefined) {
      problems.push({ key, message: `Reference ${text} in ${key}: ${problem}`, reason: problem });
      continue;
    }
    references.push({
      key,
      text,
      start,
      end: close + 1,
      ...parseBody(provider as ProviderName, body),
    });
  }
  return { references, problems };
}

function checkReference(provider: string, body: string, text: string): string | undefined {
  if (provider === '') return 'no config provider before ":"';
  if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) {
    return `unknown config provider "${provider}"; known: ${PROVIDER_NAMES.join(', ')}`;
  }
  if (body.includes('${')) return 'nested references are not supported';
  if (body.trim() === '') return `empty ${pathWord(provider)}`;
  if (/\s/.test(body)) return `${pathWord(provider)} must not contain spaces`;
  if (provider === 'secretsmanager') {
    const { path, jsonKey } = parseBody(provider, body);
    if (path === '') return 'empty secret id';
    if (jsonKey === '')
      return `empty JSON key after the last ":" (use ${text.slice(0, -2)}} for the whole secret)`;
  }
  return undefined;
}

function pathWord(provider: string): string {
  switch (provider) {
    case 'env':
      return 'variable name';
    case 'ssm':
      return 'parameter name';
    default:
      return 'secret id';
  }
}

// An ARN has 7 ':'-separated parts; with an 8th, the last one is the JSON key.
const ARN_PARTS = 7;

function parseBody(
  provider: ProviderName,
  body: string,
): { provider: ProviderName; path: string; jsonKey?: string } {
  if (provider !== 'secretsmanager') return { provider, path: body };
  const parts = body.split(':');
  const isBareArn = body.startsWith('arn:') && parts.length === ARN_PARTS;
  const last = body.lastIndexOf(':');
  if (isBareArn || last === -1) return { provider, path: body };
  return { provider, path: body.slice(0, last), jsonKey: body.slice(last + 1) };
}

/**
 * The problem's message, or for a secret key one that does not quote the value (a password may
 * happen to hold `${x:y}`).
 */
export function referenceProblemMessage(problem: ReferenceProblem, secret: boolean): string {
  return secret ? `Malformed reference in ${problem.key}: ${problem.reason}` : problem.message;
}

/** Whether a value holds at least one well-formed reference. */
export function hasReference(value: string): boolean {
  return referencesIn('', value).references.length > 0;
}

/**
 * Whether a value is nothing but well-formed references (`${ssm:/a}`, `${env:A}${env:B}`): such
 * a value shows where a secret lives, not the secret, so it need not be masked.
 */
export function isOnlyReferences(value: string): boolean {
  const { references, problems } = referencesIn('', value);
  if (references.length === 0 || problems.length > 0) return false;
  let at = 0;
  for (const ref of references) {
    if (ref.start !== at) return false;
    at = ref.end;
  }
  return at === value.length;
}
