/**
 * What went into a function's bundle, read from esbuild's metafile: the check that connector
 * task code and driver packages stay in the task function's bundle (infra/aws/esbuild-plugins.cjs
 * keeps them out of the others; DESIGN.md "Connectors").
 */

/** The part of esbuild's metafile read here. */
export interface Metafile {
  readonly inputs: Readonly<
    Record<
      string,
      {
        readonly imports: readonly {
          readonly path: string;
          readonly kind: string;
          readonly external?: boolean;
        }[];
      }
    >
  >;
}

/**
 * Packages that only connector tasks may load: the drivers of the catalog's connectors, present
 * and planned (JDBC, CDC, RabbitMQ, MQTT, Redis, HTTP). Packages that task code alone imports
 * are found from the task bundle's metafile as well (`taskCodeOf`); this list also catches a
 * driver that an api, coordinator or mirror module imports directly.
 */
export const DRIVER_PACKAGES: readonly string[] = [
  'pg',
  'pg-cursor',
  'pg-pool',
  'pg-logical-replication',
  'mysql2',
  '@vlasky/zongji',
  'amqplib',
  'mqtt',
  'redis',
  '@redis/client',
  'ioredis',
  'undici',
];

/** What only task code may hold, as found in the task function's bundle. */
export interface TaskCode {
  /** Connector modules (under lib/connectors/) reached only through a task's dynamic import. */
  readonly modules: ReadonlySet<string>;
  /** Packages reached only that way. */
  readonly packages: ReadonlySet<string>;
}

const CONNECTORS = 'lib/connectors/';

/**
 * The task code in the task function's bundle: what its entry reaches only through a dynamic
 * `import()` made by a connector (`createTask`), and not through its static imports.
 */
export function taskCodeOf(taskBundle: Metafile): TaskCode {
  const eager = new Set<string>();
  const entries = Object.keys(taskBundle.inputs).filter((input) => input.startsWith('functions/'));
  const pending = [...entries];
  for (let input = pending.pop(); input !== undefined; input = pending.pop()) {
    if (eager.has(input)) continue;
    eager.add(input);
    for (const imported of taskBundle.inputs[input]?.imports ?? []) {
      const lazy = imported.kind === 'dynamic-import' && connectorPath(input) !== undefined;
      if (!lazy && !imported.external) pending.push(imported.path);
    }
  }
  const lazyOnly = Object.keys(taskBundle.inputs).filter((input) => !eager.has(input));
  return {
    modules: new Set(lazyOnly.filter((input) => connectorPath(input) !== undefined)),
    packages: new Set(lazyOnly.flatMap((input) => packageOf(input) ?? [])),
  };
}

/**
 * Task code in another function's bundle, one line each: a task module, a package that only
 * task code imports, or a known driver (DRIVER_PACKAGES), whether bundled or left external.
 * Nothing means the bundle is clean.
 */
export function taskCodeLeaks(
  bundle: Metafile,
  taskCode: TaskCode,
  drivers: readonly string[] = DRIVER_PACKAGES,
): string[] {
  const leaks = new Set<string>();
  const driver = (name: string | undefined) =>
    name !== undefined && (drivers.includes(name) || taskCode.packages.has(name));
  for (const [input, { imports }] of Object.entries(bundle.inputs)) {
    if (taskCode.modules.has(input)) leaks.add(`task module ${input}`);
    const name = packageOf(input);
    if (driver(name)) leaks.add(`driver package ${name} (${input})`);
    for (const imported of imports) {
      const external = imported.external ? packageOfSpecifier(imported.path) : undefined;
      if (driver(external)) leaks.add(`driver package ${external} (external, from ${input})`);
    }
  }
  return [...leaks].sort();
}

/** The path from lib/connectors/ on, when the input is a connector module. */
function connectorPath(input: string): string | undefined {
  const at = input.indexOf(CONNECTORS);
  return at === -1 || input.includes('node_modules/') ? undefined : input.slice(at);
}

/** `pg` for `../node_modules/pg/lib/client.js`, `@scope/name` for a scoped package. */
function packageOf(input: string): string | undefined {
  const at = input.lastIndexOf('node_modules/');
  return at === -1 ? undefined : packageOfSpecifier(input.slice(at + 'node_modules/'.length));
}

/** `pg` for `pg/lib/x.js`, `@scope/name` for `@scope/name/x`; Node's own modules are none. */
function packageOfSpecifier(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || specifier.startsWith('/')) {
    return undefined;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
