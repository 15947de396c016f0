/**
 * The web console's built files, which the API serves (lib/http/console-routes.ts).
 *
 * Run from source (vitest, tsx), this builds console/ with Vite in memory on the first call
 * (console/build.mjs) and keeps the result for the process; a build that failed is tried again
 * on the next call. The function bundles never run this file: their esbuild
 * plugin (infra/aws/esbuild-plugins.cjs) replaces it with a module of the same export whose
 * files were built at bundling time and are embedded, so a bundle holds no Vite and a cold start
 * builds nothing. Keep the export as it is: the plugin writes the same one.
 */
import type { ConsoleFiles } from './console-routes.js';
import { memoizeSuccess } from '../util/memo.js';

// Imported only when asked for: importing Vite costs time and the API needs it only for the
// console, and never in a bundle.
export const consoleFiles: () => Promise<ConsoleFiles> = memoizeSuccess(async () => {
  const { buildConsoleFiles } = await import('../../console/build.mjs');
  return new Map(Object.entries(await buildConsoleFiles()));
});
