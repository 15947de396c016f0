import type { ConnectorConfig } from '../api/connector-config.js';
import type { ConnectorPlugin } from '../api/connector.js';
import { ConfigError, PluginNotFoundError } from '../api/errors.js';
import type { PluginRegistry } from '../api/registry.js';
import { ConfigProviderError } from '../config/errors.js';
import { HIDDEN, isSecretKey } from '../config/mask.js';
import { resolveConfig, type ConfigProviders } from '../config/providers.js';
import { findReferences } from '../config/references.js';
import type { KeyProblem } from '../config/validate-result.js';
import { CHECK_TIMEOUT_MS } from './check-request.js';

const CLASS_KEY = 'connector.class';

/**
 * A value that came from a reference (not a secret key's) is hidden from messages from this
 * length up: shorter ones (`1`, `db`) would blank out half a message, and protect nothing.
 */
const MIN_HIDDEN_REFERENCED = 4;

/** `//user:password@` in a URL a driver may quote: the password goes. */
const URL_PASSWORD = /(\/\/[^/\s:@]*:)[^@\s/]+@/g;

/**
 * Checks a config against the system it names: the plugin's `checkSystem` hook (reach the
 * host, log in, find the table), with `${...}` references resolved through `providers`, within
 * `timeoutMs`. Runs inside the task function, which holds the drivers, the network path and the
 * right to read secrets; the api asks it through a synchronous invoke (`lambdaSystemCheck`).
 *
 * Never throws: a plugin without the hook gives no problem; a reference that cannot be
 * resolved is a problem on its key; a hook that throws, or does not finish in time, one problem
 * on `connector.class`. No message holds a secret: the values of secret keys and of resolved
 * references are hidden from whatever the hook or its driver says.
 *
 * @example
 * const problems = await checkConnectorSystem(config, registry, providers, AbortSignal.timeout(30_000));
 */
export async function checkConnectorSystem(
  config: ConnectorConfig,
  registry: PluginRegistry,
  providers: ConfigProviders,
  signal: AbortSignal,
  options: { readonly timeoutMs?: number } = {},
): Promise<KeyProblem[]> {
  let plugin: ConnectorPlugin;
  try {
    plugin = registry.get(config[CLASS_KEY]?.trim() ?? '');
  } catch (error) {
    if (!(error instanceof PluginNotFoundError)) throw error;
    return [{ key: CLASS_KEY, message: `in the task function, ${error.message}` }];
  }
  if (!plugin.checkSystem) return [];
  const checkSystem = plugin.checkSystem.bind(plugin);

  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const stop = new AbortController();
  const hidden: string[] = [];
  const check = async (): Promise<KeyProblem[]> => {
    const resolved = await resolveEach(config, providers);
    if ('problems' in resolved) return resolved.problems;
    hidden.push(...valuesToHide(config, resolved.config, plugin));
    const problems = await checkSystem(resolved.config, stop.signal);
    return problems.map(({ key, message }) => ({ key, message }));
  };

  type Outcome = { problems: KeyProblem[] } | { error: unknown } | { late: string };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const outcome = await Promise.race<Outcome>([
    // The hook may ignore its signal: its promise is left to settle on its own, handled here.
    check().then(
      (problems) => ({ problems }),
      (error: unknown) => ({ error }),
    ),
    new Promise<Outcome>((resolve) => {
      timer = setTimeout(
        () => resolve({ late: `did not finish within ${timeoutMs / 1000} s` }),
        timeoutMs,
      );
    }),
    new Promise<Outcome>((resolve) => {
      onAbort = () => resolve({ late: 'was cut short' });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onAbort) signal.removeEventListener('abort', onAbort);

  const hide = (message: string) => hideSecrets(message, hidden);
  if ('problems' in outcome) {
    return outcome.problems.map((p) => ({ key: p.key, message: hide(p.message) }));
  }
  if ('late' in outcome) {
    stop.abort();
    return [
      {
        key: CLASS_KEY,
        message: `checking the config against its system ${outcome.late}: is the system reachable from the task function (its network, VPC and security groups)?`,
      },
    ];
  }
  return [
    {
      key: CLASS_KEY,
      message: `checking the config against its system failed: ${hide(reasonOf(outcome.error))}`,
    },
  ];
}

/**
 * The in-process `SystemCheck` (lib/management/connector-service.ts): what the task function
 * does with a check request, run here. For tests and local tools that build a ConnectorService
 * without Lambda.
 */
export function inProcessSystemCheck(
  registry: PluginRegistry,
  providers: ConfigProviders,
  options: { readonly timeoutMs?: number } = {},
): (config: ConnectorConfig) => Promise<KeyProblem[]> {
  return (config) =>
    checkConnectorSystem(config, registry, providers, new AbortController().signal, options);
}

/**
 * The config with its references resolved, or a problem on each key whose reference cannot be
 * resolved (resolveConfig stops at the first; each key is then tried alone, to name them all).
 * Their messages name the key and the reference, never a value.
 */
async function resolveEach(
  config: ConnectorConfig,
  providers: ConfigProviders,
): Promise<{ config: ConnectorConfig } | { problems: KeyProblem[] }> {
  let first: KeyProblem;
  try {
    return { config: await resolveConfig(config, providers) };
  } catch (error) {
    first = asKeyProblem(error);
  }
  const keys = [...new Set(findReferences(config).references.map((r) => r.key))];
  const each = await Promise.allSettled(
    keys.map((key) => resolveConfig({ [key]: config[key] ?? '' }, providers)),
  );
  const problems = each.flatMap((r) => (r.status === 'rejected' ? [asKeyProblem(r.reason)] : []));
  // A provider that failed once and not again (throttling) still failed this check.
  return { problems: problems.length > 0 ? problems : [first] };
}

function asKeyProblem(error: unknown): KeyProblem {
  if (error instanceof ConfigProviderError || error instanceof ConfigError) {
    return { key: error.key, message: error.message };
  }
  throw error;
}

/**
 * What must not appear in a message: every secret key's value, and every value a reference
 * gave (a `${ssm:...}` URL may hold a password, whatever its key is called).
 */
export function valuesToHide(
  raw: ConnectorConfig,
  resolved: ConnectorConfig,
  plugin: ConnectorPlugin,
): string[] {
  const values = new Set<string>();
  for (const [key, value] of Object.entries(resolved)) {
    const secret = isSecretKey(key, plugin.configDef) && value !== '';
    const referenced = value !== raw[key] && value.length >= MIN_HIDDEN_REFERENCED;
    if (secret || referenced) values.add(value);
  }
  // Longest first: a secret that holds another is hidden whole.
  return [...values].sort((a, b) => b.length - a.length);
}

export function hideSecrets(message: string, values: readonly string[]): string {
  let out = message;
  for (const value of values) out = out.split(value).join(HIDDEN);
  return out.replace(URL_PASSWORD, `$1${HIDDEN}@`);
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  return typeof error === 'string' ? error : 'an unknown error';
}
