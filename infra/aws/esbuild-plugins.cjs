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

module.exports = [rocketMqClientVersion, consoleFiles];
