/**
 * The web console in a real headless Chromium (Debian's package, driven by playwright-core),
 * against the platform as `npm start` runs it: the four functions under serverless-offline on the
 * suite's local stack, the console served by the API function from its bundle. Through the
 * pages, as a user: sign in with the token; create a FileStreamSource with the form (a bad value
 * shows its error under its field first) and a FileStreamSink from a pasted .properties config;
 * see both RUNNING and the records/s chart move; pause and resume; restart with tasks; stop,
 * reset the source's offsets and resume (each asked first), and see every line copied again;
 * delete both with the keyboard through the confirmation. Screenshots of the list, the form and the connector page go to
 * test-results/console/.
 */
import { appendFile, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFailed } from 'vitest';
import { test, uniqueName } from '../integration/fixtures.js';
import {
  connectorState,
  openConsoleSession,
  reportSession,
  SHOTS,
  STATE_TIMEOUT_MS,
  type ConsoleSession,
} from './console-helpers.js';

const FIRST_LINES = 3_000;
const MORE_LINES = 2_000;

const lines = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `line ${from + i}\n`).join('');

async function lineCount(file: string): Promise<number> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '').length;
  } catch {
    return 0;
  }
}

async function openConnector(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Connectors', exact: true }).click();
  await page.getByRole('link', { name, exact: true }).click();
  await expect.poll(() => page.locator('#connector-title').textContent()).toBe(name);
}

/** Waits until the chart's records/s peak is above zero; returns its records line. */
async function chartMoved(page: Page): Promise<string> {
  await expect
    .poll(async () => Number(await page.locator('.chart svg').getAttribute('data-peak')), {
      timeout: STATE_TIMEOUT_MS,
      interval: 1_000,
    })
    .toBeGreaterThan(0);
  return (await page.locator('.chart .records-line').getAttribute('points')) ?? '';
}

async function deleteWithKeyboard(page: Page, name: string): Promise<void> {
  await openConnector(page, name);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.locator('h2').textContent()).toBe(`Delete ${name}?`);
  // The safe choice has the focus; Tab then Enter confirms.
  await expect
    .poll(() => page.evaluate<string | undefined>('document.activeElement?.textContent'))
    .toBe('Cancel');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#list-title').count()).toBe(1);
}

describe('the web console', () => {
  test(
    'creates, watches, operates and deletes connectors in a real browser',
    { timeout: 420_000 },
    async ({ stack, table }) => {
      const demo = await mkdtemp(path.join(tmpdir(), 'console-e2e-'));
      const input = path.join(demo, 'input.txt');
      const copied = path.join(demo, 'output.txt');
      const topic = uniqueName('console-lines');
      const source = uniqueName('lines-in');
      const sink = uniqueName('lines-out');
      await writeFile(input, lines(1, FIRST_LINES));
      await mkdir(SHOTS, { recursive: true });

      let session: ConsoleSession | undefined;
      onTestFailed(() => {
        if (session) reportSession(session);
      });
      try {
        session = await openConsoleSession(stack, table);
        const { functions, page, token, pageErrors } = session;

        // The console is the API's root for a browser; it asks for the token once.
        await page.goto(`${functions.apiUrl}/`);
        await page.getByLabel('API token').fill('not-the-token-at-all');
        await page.getByRole('button', { name: 'Open the console' }).click();
        await expect
          .poll(() => page.getByRole('alert').textContent())
          .toContain('The API token was refused');
        await page.getByLabel('API token').fill(token);
        await page.getByRole('button', { name: 'Open the console' }).click();
        await expect.poll(() => page.locator('#list-title').textContent()).toBe('Connectors');
        await expect
          .poll(() => page.locator('.empty').textContent())
          .toContain('No connectors yet');

        // The source, through the form: a bad value is refused next to its field first.
        await page.getByRole('link', { name: 'New connector' }).first().click();
        await page.getByLabel('Plugin').selectOption({ label: 'FileStreamSource (source)' });
        await page.locator('#field-name').fill(source);
        await page.locator('#field-file').fill(input);
        await page.locator('#field-topic').fill(topic);
        const tasksMax = page.locator('[data-key="tasks.max"]');
        await tasksMax.getByRole('textbox').fill('many');
        await tasksMax.getByRole('textbox').blur();
        await expect
          .poll(() => tasksMax.locator('.field-errors').textContent())
          .toMatch(/many.*tasks\.max|tasks\.max.*many/);
        expect(await tasksMax.getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
        await page.screenshot({ path: path.join(SHOTS, 'create-form.png'), fullPage: true });
        await tasksMax.getByRole('textbox').fill('1');
        await expect.poll(() => tasksMax.locator('.field-errors').count()).toBe(0);
        await page.getByRole('button', { name: 'Create connector' }).click();
        await expect
          .poll(() => page.locator('#connector-title').textContent(), { timeout: 30_000 })
          .toBe(source);
        await connectorState(page, 'RUNNING');
        const firstChart = await chartMoved(page);

        // The sink, from a pasted .properties file (the way an existing config is brought in).
        // The form shows another plugin's fields first: the paste switches it to the sink's.
        await page.getByRole('link', { name: 'New connector' }).first().click();
        await page.getByLabel('Plugin').selectOption({ label: 'FileStreamSource (source)' });
        await page.locator('#field-topic').waitFor();
        await page.getByRole('tab', { name: 'Paste .properties / JSON' }).click();
        // A misspelt plugin: the API names the one meant.
        await page
          .getByLabel('Config as JSON or .properties')
          .fill(`name=${sink}\nconnector.class=FileStreamSinc\n`);
        await page.getByRole('button', { name: 'Fill the form' }).click();
        await expect
          .poll(() => page.locator('.paste .field-errors').textContent())
          .toMatch(/"FileStreamSinc".*did you mean .*FileStreamSinkConnector/);
        await page
          .getByLabel('Config as JSON or .properties')
          .fill(
            `# copied from a standalone worker\nname=${sink}\nconnector.class=FileStreamSink\n` +
              `file=${copied}\ntopics=${topic}\n`,
          );
        await page.getByRole('button', { name: 'Fill the form' }).click();
        await expect.poll(() => page.locator('#field-name').inputValue()).toBe(sink);
        await expect.poll(() => page.locator('#field-file').inputValue()).toBe(copied);
        await expect.poll(() => page.locator('#field-topics').inputValue()).toBe(topic);
        expect(await page.getByLabel('Plugin').inputValue()).toMatch(/FileStreamSinkConnector$/);
        expect(await page.locator('.extra-row').count()).toBe(0);
        await page.getByRole('button', { name: 'Create connector' }).click();
        await expect
          .poll(() => page.locator('#connector-title').textContent(), { timeout: 30_000 })
          .toBe(sink);
        await connectorState(page, 'RUNNING');
        await chartMoved(page);
        await expect
          .poll(() => lineCount(copied), { timeout: STATE_TIMEOUT_MS, interval: 1_000 })
          .toBe(FIRST_LINES);

        // More lines: the source's chart moves again.
        await openConnector(page, source);
        await appendFile(input, lines(FIRST_LINES + 1, MORE_LINES));
        await expect
          .poll(
            async () => (await page.locator('.chart .records-line').getAttribute('points')) ?? '',
            {
              timeout: STATE_TIMEOUT_MS,
              interval: 1_000,
            },
          )
          .not.toBe(firstChart);
        await expect
          .poll(() => page.locator('[data-stat="records"]').textContent(), {
            timeout: STATE_TIMEOUT_MS,
            interval: 1_000,
          })
          .toBe((FIRST_LINES + MORE_LINES).toLocaleString('en-US'));
        await expect
          .poll(() => page.locator('.chart svg').getAttribute('aria-label'))
          .toMatch(/peak [1-9]/);
        await page.screenshot({ path: path.join(SHOTS, 'connector-page.png'), fullPage: true });

        // Pause and resume.
        await page.getByRole('button', { name: 'Pause', exact: true }).click();
        await connectorState(page, 'PAUSED');
        await expect
          .poll(() => page.locator('[data-task] .badge').first().textContent(), {
            timeout: STATE_TIMEOUT_MS,
          })
          .toBe('PAUSED');
        await page.getByRole('button', { name: 'Resume', exact: true }).click();
        await connectorState(page, 'RUNNING');

        // The list: both connectors, their states and rates, at laptop and phone widths.
        await page.getByRole('link', { name: 'Connectors', exact: true }).click();
        for (const name of [source, sink]) {
          const row = page.locator(`tr[data-connector="${name}"]`);
          await expect
            .poll(() => row.locator('td[data-label="State"] .badge').textContent(), {
              timeout: STATE_TIMEOUT_MS,
            })
            .toBe('RUNNING');
        }
        await expect
          .poll(() => page.locator(`tr[data-connector="${sink}"] .rate`).textContent(), {
            timeout: STATE_TIMEOUT_MS,
          })
          .not.toBe('0');
        await expect
          .poll(() => lineCount(copied), { timeout: STATE_TIMEOUT_MS })
          .toBe(FIRST_LINES + MORE_LINES);
        await page.screenshot({ path: path.join(SHOTS, 'list.png'), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: path.join(SHOTS, 'list-phone.png'), fullPage: true });
        expect(
          // Nothing wider than the phone's screen: no sideways scrolling.
          await page.evaluate<boolean>(
            'document.documentElement.scrollWidth <= window.innerWidth + 1',
          ),
        ).toBe(true);
        await page.setViewportSize({ width: 1280, height: 900 });

        // Restart with its tasks; then stop, reset the offsets (both asked first) and resume:
        // the source reads its file from the start again.
        await openConnector(page, source);
        await page.getByLabel('restart its tasks too').check();
        await page.getByRole('button', { name: 'Restart', exact: true }).click();
        await expect
          .poll(() => page.getByRole('status').first().textContent())
          .toBe('Restart: done.');
        expect(
          await page.getByRole('button', { name: 'Reset offsets', exact: true }).isDisabled(),
        ).toBe(true);
        await page.getByRole('button', { name: 'Stop', exact: true }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Stop', exact: true }).click();
        await connectorState(page, 'STOPPED');
        await page.getByRole('button', { name: 'Reset offsets', exact: true }).click();
        await expect
          .poll(() => page.getByRole('dialog').locator('h2').textContent())
          .toBe(`Reset the offsets of ${source}?`);
        await page
          .getByRole('dialog')
          .getByRole('button', { name: 'Reset offsets', exact: true })
          .click();
        await expect
          .poll(() => page.getByText('No offsets committed yet.').count(), { timeout: 10_000 })
          .toBe(1);
        await page.getByRole('button', { name: 'Resume', exact: true }).click();
        await connectorState(page, 'RUNNING');
        // Every line a second time (the sink keeps its own position in RocketMQ).
        await expect
          .poll(() => lineCount(copied), { timeout: STATE_TIMEOUT_MS, interval: 1_000 })
          .toBe(2 * (FIRST_LINES + MORE_LINES));

        // Delete both, confirming with the keyboard.
        await deleteWithKeyboard(page, source);
        await deleteWithKeyboard(page, sink);
        await expect
          .poll(() => page.locator('.empty').textContent(), { timeout: 10_000 })
          .toContain('No connectors yet');
        expect(pageErrors).toEqual([]);

        const copiedLines = (await readFile(copied, 'utf8')).split('\n').filter((l) => l !== '');
        expect(new Set(copiedLines)).toEqual(
          new Set(
            lines(1, FIRST_LINES + MORE_LINES)
              .split('\n')
              .filter((l) => l !== ''),
          ),
        );
      } finally {
        await session?.close();
        await rm(demo, { recursive: true, force: true });
      }
    },
  );
});
