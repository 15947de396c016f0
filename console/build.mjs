// The web console's one builder: Vite's build of console/vite.config.ts, in memory. Plain
// JavaScript (ESM), so that both the function bundles' esbuild plugin (CommonJS,
// infra/aws/esbuild-plugins.cjs) and code run from source (lib/http/console-files.ts under vitest
// or tsx) load it as it is, with no compile step of its own. Its type is in build.d.mts.
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { TextDecoder } from 'node:util';
import { build } from 'vite';

const CONFIG_FILE = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

/**
 * Builds the console and answers its files as text, by path relative to the build root:
 * `{'index.html': '<!doctype html>...', 'assets/index-BhfJQbZP.js': '...'}`. Nothing is
 * written to disk. Fails on a file that is not UTF-8 text: the API serves text only.
 */
export async function buildConsoleFiles() {
  // Vite sets NODE_ENV to "production" when it is unset, in this process, for good: the
  // serverless process that runs the esbuild plugin hands its environment to the functions
  // under npm start. And under vitest (NODE_ENV=test) it would build a test flavour. So every
  // build is a production build, and the variable is put back as it was.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  let result;
  try {
    result = await build({ configFile: CONFIG_FILE, build: { write: false } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  // One output, or one per output option; a watcher only if the config turned watching on.
  const outputs = Array.isArray(result) ? result : [result];
  if (outputs.some((o) => !Array.isArray(o.output))) {
    throw new Error(`${CONFIG_FILE}: the build watches for changes; the console needs one build`);
  }
  const files = {};
  for (const output of outputs) {
    for (const file of output.output) {
      files[file.fileName] = file.type === 'chunk' ? file.code : text(file.fileName, file.source);
    }
  }
  if (files['index.html'] === undefined) {
    throw new Error(`${CONFIG_FILE}: the build has no index.html`);
  }
  return files;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(fileName, source) {
  if (typeof source === 'string') return source;
  try {
    return utf8.decode(source);
  } catch {
    throw new Error(
      `console build: ${fileName} is binary; the API serves the console as text only ` +
        '(use SVG, or inline the file in the code)',
    );
  }
}
