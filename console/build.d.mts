// The type of build.mjs (plain JavaScript; see there why).

/** The built console: each file's text by its path relative to the build root. */
export type ConsoleBuild = Record<string, string>;

/**
 * Builds the console with console/vite.config.ts, in memory: `{'index.html': ...,
 * 'assets/index-BhfJQbZP.js': ...}`. Fails on a file that is not UTF-8 text.
 */
export function buildConsoleFiles(): Promise<ConsoleBuild>;
