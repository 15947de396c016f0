/**
 * What the browser tests of the web console share: a real headless Chromium (Debian's package,
 * driven by playwright-core) against the platform as `npm start` runs it, the four functions
 * under serverless-offline on free ports of the suite's local stack.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startLocalFunctions, type LocalFunctions } from '../../infra/local/functions.js';
import type { LocalStackInfo } from '../../infra/local/stack.js';
import { loadStackSettings, repoRoot } from '../../infra/local/settings.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(repoRoot, 'test-results', 'console');
/** Flags for a root user on a machine with no outside network (no sandbox, no phoning home). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Slices start within seconds of a change; a sink's first slice also waits for its route. */
export const STATE_TIMEOUT_MS = 90_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The platform under serverless-offline and a browser page on it, not signed in yet. */
export interface ConsoleSession {
  readonly functions: LocalFunctions;
  readonly page: Page;
  readonly token: string;
  /** serverless-offline's output lines, for a failed test's report. */
  readonly output: string[];
  /** Errors the page threw: a test ends expecting none. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Starts the functions on free ports (the API's and Lambda's) against `table`, with a fresh
 * admin token, and opens a 1280×900 page. Whatever started is stopped again if a later step
 * fails; `close` stops it all and removes serverless-offline's build folder.
 */
export async function openConsoleSession(
  stack: LocalStackInfo,
  table: string,
): Promise<ConsoleSession> {
  const apiPort = await freePort();
  const settings = loadStackSettings({
    ...process.env,
    API_PORT: String(apiPort),
    LAMBDA_PORT: String(await freePort()),
    STATE_TABLE_NAME: table,
  });
  const token = randomBytes(24).toString('base64url');
  const output: string[] = [];
  const pageErrors: string[] = [];
  let functions: LocalFunctions | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await functions?.stop();
    await rm(path.join(repoRoot, `.esbuild-offline-${apiPort}`), { recursive: true, force: true });
  };
  try {
    functions = await startLocalFunctions({
      settings,
      info: stack,
      apiToken: token,
      output: (line) => output.push(line),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { functions, page, token, output, pageErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What a failed test prints: the functions' warnings, serverless-offline's end, page errors. */
export function reportSession(session: Pick<ConsoleSession, 'output' | 'pageErrors'>): void {
  const warnings = session.output.filter((line) => /"level":"(WARN|ERROR)"/.test(line));
  console.log(`--- the functions' warnings ---\n${warnings.slice(-60).join('\n')}`);
  console.log(`--- serverless-offline, last lines ---\n${session.output.slice(-80).join('\n')}`);
  console.log(`--- page errors ---\n${session.pageErrors.join('\n')}`);
}

/** Opens the console (the API's root for a browser) and signs in with the token. */
export async function signIn(page: Page, apiUrl: string, token: string): Promise<void> {
  await page.goto(`${apiUrl}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Open the console' }).click();
  await expect.poll(() => page.locator('#list-title').textContent()).toBe('Connectors');
}

/** Waits until the connector page's own badge (next to its title) reads `state`. */
export async function connectorState(page: Page, state: string): Promise<void> {
  await expect
    .poll(() => page.locator('.page-head .badge').textContent(), { timeout: STATE_TIMEOUT_MS })
    .toBe(state);
}
