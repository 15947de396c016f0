import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web console: a Preact single-page app. The API function serves what this builds, embedded
// in its bundle (infra/aws/esbuild-plugins.cjs), at `/` and `/console/...`; nothing is written
// to disk. `npm run console:dev` serves it with hot reload, talking to npm start's API.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    // Hashed names, so the API can let browsers cache them for good.
    assetsDir: 'assets',
    // Everything is text the API embeds; no file is turned into a data URL or left out.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(
      ['/connectors', '/connector-plugins', '/health', '/metrics'].map((p) => [
        p,
        process.env.CONNECT_API_URL ?? 'http://127.0.0.1:8083',
      ]),
    ),
  },
});
