import { ConfigError, ConnectError } from '../api/errors.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import { groupBy } from '../util/group-by.js';
import { ConfigProviderError } from './errors.js';
import { isSecretKey } from './mask.js';
import { type ConfigReference, findReferences, referenceProblemMessage } from './references.js';

/** Environment variables of the task function. */
export interface EnvProvider {
  get(name: string): string | undefined;
}

/** SSM Parameter Store; SecureString parameters come back decrypted. Undefined: no such parameter. */
export interface SsmProvider {
  getParameter(name: string): Promise<string | undefined>;
}

/** Secrets Manager: a secret's string. Undefined: no such secret. */
export interface SecretsProvider {
  getSecretString(secretId: string): Promise<string | undefined>;
}

/** The ports `resolveConfig` reads through; adapters are in provider-adapters.ts. */
export interface ConfigProviders {
  readonly env: EnvProvider;
  readonly ssm: SsmProvider;
  readonly secretsmanager: SecretsProvider;
}

/**
 * The config with every `${...}` reference replaced by what it refers to. Runs inside the task
 * only (never in the API): the result holds secrets, and must not be stored, returned or logged.
 * Each variable, parameter and secret is fetched once per call, all of them at once.
 *
 * Fails with ConfigError on a malformed reference and ConfigProviderError on one that cannot be
 * resolved; both name the key and the reference, never a value.
 */
export async function resolveConfig(
  config: ConnectorConfig,
  providers: ConfigProviders,
): Promise<ConnectorConfig> {
  const { references, problems } = findReferences(config);
  const problem = problems[0];
  if (problem) {
    const message = referenceProblemMessage(problem, isSecretKey(problem.key));
    throw new ConfigError(problem.key, message);
  }
  if (references.length === 0) return config;

  const fetches = new Map<string, Promise<string | undefined>>();
  const fetchOnce = (ref: ConfigReference): Promise<string | undefined> => {
    const id = `${ref.provider}\u0000${ref.path}`;
    let pending = fetches.get(id);
    if (!pending) {
      pending = fetchRaw(ref, providers);
      fetches.set(id, pending);
    }
    return pending;
  };
  const values = await Promise.all(references.map((ref) => resolveOne(ref, fetchOnce)));

  const resolved: Record<string, string> = { ...config };
  const resolvedRefs = references.map((ref, i) => ({ ref, value: values[i] ?? '' }));
  for (const [key, refs] of groupBy(resolvedRefs, (r) => r.ref.key)) {
    const original = config[key] ?? '';
    let out = '';
    let at = 0;
    for (const { ref, value } of refs) {
      out += original.slice(at, ref.start) + value;
      at = ref.end;
    }
    resolved[key] = out + original.slice(at);
  }
  return resolved;
}

async function fetchRaw(
  ref: ConfigReference,
  providers: ConfigProviders,
): Promise<string | undefined> {
  switch (ref.provider) {
    case 'env':
      return providers.env.get(ref.path);
    case 'ssm':
      return providers.ssm.getParameter(ref.path);
    case 'secretsmanager':
      return providers.secretsmanager.getSecretString(ref.path);
  }
}

async function resolveOne(
  ref: ConfigReference,
  fetch: (ref: ConfigReference) => Promise<string | undefined>,
): Promise<string> {
  let raw: string | undefined;
  try {
    raw = await fetch(ref);
  } catch (err) {
    // Our adapters' messages are safe to repeat; anything else is named only by its type.
    const known = err instanceof ConnectError;
    const reason = known ? err.message : `${ref.provider} lookup failed (${errorName(err)})`;
    throw new ConfigProviderError(ref.key, ref.text, reason, known ? err.retriable : true, {
      cause: err,
    });
  }
  if (raw === undefined) throw notFound(ref, missingReason(ref));
  if (ref.jsonKey === undefined) return raw;
  return jsonField(ref, raw, ref.jsonKey);
}

function jsonField(ref: ConfigReference, raw: string, jsonKey: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // The parser's message quotes the text, which is the secret: never pass it on.
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw notFound(
      ref,
      `secret "${ref.path}" is not a JSON object, so key "${jsonKey}" cannot be read`,
    );
  }
  const value: unknown = (parsed as Record<string, unknown>)[jsonKey];
  if (value === undefined || value === null) {
    throw notFound(ref, `secret "${ref.path}" has no key "${jsonKey}"`);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function missingReason(ref: ConfigReference): string {
  switch (ref.provider) {
    case 'env':
      return `environment variable "${ref.path}" is not set`;
    case 'ssm':
      return `SSM parameter "${ref.path}" does not exist`;
    case 'secretsmanager':
      return `secret "${ref.path}" does not exist`;
  }
}

function notFound(ref: ConfigReference, reason: string): ConfigProviderError {
  return new ConfigProviderError(ref.key, ref.text, reason, false);
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
