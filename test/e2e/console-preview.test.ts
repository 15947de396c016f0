/**
 * The create form's transforms editor and Preview, in a real headless Chromium against the
 * platform as `npm start` runs it (see console-helpers.ts). Through the page, as a user: fill a
 * FileStreamSource form (a file of three lines, a topic, JsonConverter without schemas); add
 * two transforms with the editor (InsertField$Value first, then HoistField$Value moved above
 * it: each line becomes {"line": ...}, then gains {"origin": "console"}); a Preview before
 * HoistField's field is set is refused with the error under that field; Preview then shows the
 * table with the transformed value at each stage (InsertField only where its predicate,
 * TopicNameMatches, matches). Nothing was produced or committed: the topic
 * has no message, no connector exists, no offsets are stored. Then the connector is created with
 * the editor's config and runs, its messages transformed; its page's Preview (the stored config,
 * from its committed offsets) has nothing left to read. A pasted config's chain (with RocketMQ
 * Connect's `class` key) fills the editor. Screenshot: test-results/console/preview.png.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, onTestFailed } from 'vitest';
import { taskMessagingOf } from '../../lib/platform/topic-admin.js';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { test, uniqueName } from '../integration/fixtures.js';
import {
  connectorState,
  openConsoleSession,
  reportSession,
  SHOTS,
  STATE_TIMEOUT_MS,
  signIn,
  type ConsoleSession,
} from './console-helpers.js';

const LINES = ['line 1', 'line 2', 'line 3'];
const TRANSFORMED = LINES.map((line) => JSON.stringify({ line, origin: 'console' }));

describe('the web console: transforms editor and preview', () => {
  test(
    'builds a transform chain, previews it without producing or committing, then creates it',
    { timeout: 300_000 },
    async ({ stack, table, dynamo, topics }) => {
      const demo = await mkdtemp(path.join(tmpdir(), 'console-preview-'));
      const input = path.join(demo, 'input.txt');
      await writeFile(input, LINES.map((l) => `${l}\n`).join(''));
      const topic = await topics.topic('NORMAL', 'console-preview');
      const name = uniqueName('previewed');
      await mkdir(SHOTS, { recursive: true });
      const clients = new ClientCache({ endpoints: stack.rocketmq.endpoint });
      const messaging = taskMessagingOf(
        { ROCKETMQ_NAMESRV: stack.rocketmq.namesrv, ROCKETMQ_CLUSTER: stack.rocketmq.cluster },
        clients,
      );
      /** Every message the topic holds, read without a consumer group's commit. */
      const stored = async () =>
        (await messaging.peek!(uniqueName('console-preview-reader'), [topic], 100)).map((m) =>
          m.body.toString('utf8'),
        );

      let session: ConsoleSession | undefined;
      onTestFailed(() => {
        if (session) reportSession(session);
      });
      try {
        session = await openConsoleSession(stack, table);
        const { functions, page, token, pageErrors } = session;
        const apiGet = (apiPath: string) =>
          fetch(`${functions.apiUrl}${apiPath}`, { headers: { authorization: `Bearer ${token}` } });
        await signIn(page, functions.apiUrl, token);

        // The source's own fields, and its value converter (behind the Common fold).
        await page.getByRole('link', { name: 'New connector' }).first().click();
        await page.getByLabel('Plugin').selectOption({ label: 'FileStreamSource (source)' });
        await page.locator('#field-name').fill(name);
        await page.locator('#field-file').fill(input);
        await page.locator('#field-topic').fill(topic);
        const converter = page.locator('#field-value-converter');
        if (!(await converter.isVisible())) {
          await page.locator('details:has(#field-value-converter) > summary').click();
        }
        await converter.fill('org.apache.kafka.connect.json.JsonConverter');
        await page.getByRole('button', { name: 'Add a key' }).click();
        await page.locator('#extra-0-key').fill('value.converter.schemas.enable');
        await page.locator('#extra-0-value').fill('false');

        // The editor: InsertField$Value first, its static field set from its own keys.
        const transforms = page.locator('fieldset.transforms');
        await page.locator('#new-transform-alias').fill('wrap');
        await page.locator('#new-transform-type').selectOption({ label: 'InsertField$Value' });
        await page.getByRole('button', { name: 'Add transform' }).click();
        await page.locator('#field-transforms-wrap-static-field').fill('origin');
        await page.locator('#field-transforms-wrap-static-value').fill('console');
        // Then HoistField$Value (a line is a string: InsertField needs a struct), moved first.
        await page.locator('#new-transform-alias').fill('hoist');
        await page.locator('#new-transform-type').selectOption({ label: 'HoistField$Value' });
        await page.getByRole('button', { name: 'Add transform' }).click();
        await page.getByRole('button', { name: 'Move hoist up' }).click();
        // wrap (now second) only for this topic's records: a predicate with its own key.
        await page.locator('#transform-1-predicate').selectOption({ label: 'TopicNameMatches' });
        await page.locator('#field-predicates-wrap-pattern').fill('console-preview-.*');
        const aliases = async () =>
          Promise.all(
            (await transforms.locator('fieldset.transform').all()).map((f) =>
              f.getAttribute('data-alias'),
            ),
          );
        await expect.poll(aliases).toEqual(['hoist', 'wrap']);

        // HoistField's field is required: the preview is refused, the error under that field.
        await page.getByRole('button', { name: 'Preview', exact: true }).click();
        const hoistField = page.locator('[data-key="transforms.hoist.field"]');
        await expect
          .poll(() => hoistField.locator('.field-errors').textContent(), { timeout: 30_000 })
          .toMatch(/transforms\.hoist\.field|required|value/i);
        expect(
          await page.locator('#field-transforms-hoist-field').getAttribute('aria-invalid'),
        ).toBe('true');
        expect(await page.locator('.preview-table').count()).toBe(0);

        // Set, the preview runs: each record polled, after each transform, as its message.
        await page.locator('#field-transforms-hoist-field').fill('line');
        await expect.poll(() => hoistField.locator('.field-errors').count()).toBe(0);
        await page.getByRole('button', { name: 'Preview', exact: true }).click();
        const rows = page.locator('.preview-table tbody tr');
        await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(LINES.length);
        // Each transform's column: its alias, and its class short.
        expect(await page.locator('.preview-table thead th').allTextContents()).toEqual([
          'Record',
          'Polled',
          'hoistHoistField$Value',
          'wrapInsertField$Value',
          'Message',
        ]);
        const column = (stage: string) =>
          page.locator(`.preview-table td[data-stage="${stage}"] .cell-value`).allTextContents();
        expect(await column('poll')).toEqual(LINES.map((l) => JSON.stringify(l)));
        expect(await column('transform:hoist')).toEqual(
          LINES.map((line) => JSON.stringify({ line })),
        );
        expect(await column('transform:wrap')).toEqual(TRANSFORMED);
        expect(await column('message')).toEqual(TRANSFORMED);
        expect(await page.locator('.preview-note').textContent()).toContain(
          'preview: nothing was produced or committed',
        );
        await page.locator('#preview-title').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, 'preview.png'), fullPage: true });

        // Nothing was produced or committed: no message, no connector, no offsets.
        expect(await stored()).toEqual([]);
        expect((await apiGet(`/connectors/${name}`)).status).toBe(404);
        const store = new DynamoStateStore(dynamo, table);
        expect(await store.readOffsets(name, [{ filename: input }])).toEqual([]);

        // Created with the editor's config: it runs, and its messages are the previewed ones.
        await page.getByRole('button', { name: 'Create connector' }).click();
        await expect
          .poll(() => page.locator('#connector-title').textContent(), { timeout: 30_000 })
          .toBe(name);
        await connectorState(page, 'RUNNING');
        const config = (await (await apiGet(`/connectors/${name}/config`)).json()) as Record<
          string,
          string
        >;
        expect(config).toMatchObject({
          transforms: 'hoist,wrap',
          'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
          'transforms.hoist.field': 'line',
          'transforms.wrap.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
          'transforms.wrap.static.field': 'origin',
          'transforms.wrap.static.value': 'console',
          'transforms.wrap.predicate': 'wrap',
          predicates: 'wrap',
          'predicates.wrap.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
          'predicates.wrap.pattern': 'console-preview-.*',
          'value.converter.schemas.enable': 'false',
        });
        await expect
          .poll(async () => (await stored()).sort(), { timeout: STATE_TIMEOUT_MS, interval: 1_000 })
          .toEqual(TRANSFORMED);

        // Its page previews the stored config from its committed offsets: nothing left to read.
        await page.getByRole('button', { name: 'Preview', exact: true }).click();
        await expect
          .poll(() => page.locator('.preview-section').textContent(), { timeout: 60_000 })
          .toContain('The source had no records within the preview’s time.');
        expect(await page.locator('.preview-note').textContent()).toContain(
          'preview: nothing was produced or committed',
        );

        // A pasted config's chain lands in the editor, not in "Other keys".
        await page.getByRole('link', { name: 'New connector' }).first().click();
        await page.getByRole('tab', { name: 'Paste .properties / JSON' }).click();
        await page.getByLabel('Config as JSON or .properties').fill(
          [
            `name=${uniqueName('pasted')}`,
            'connector.class=FileStreamSource',
            `file=${input}`,
            `topic=${topic}`,
            'transforms=route',
            // RocketMQ Connect's spelling of the class key.
            'transforms.route.class=org.apache.kafka.connect.transforms.RegexRouter',
            'transforms.route.regex=(.*)',
            'transforms.route.replacement=$1-copy',
          ].join('\n'),
        );
        await page.getByRole('button', { name: 'Fill the form' }).click();
        await expect
          .poll(() => page.locator('#field-transforms-route-regex').inputValue())
          .toBe('(.*)');
        expect(await page.locator('#field-transforms-route-replacement').inputValue()).toBe(
          '$1-copy',
        );
        expect(await page.locator('#transform-0-type option:checked').textContent()).toBe(
          'RegexRouter',
        );
        expect(await page.locator('.extra-row').count()).toBe(0);
        expect(pageErrors).toEqual([]);
      } finally {
        if (session) {
          await fetch(`${session.functions.apiUrl}/connectors/${name}`, {
            method: 'DELETE',
            headers: { authorization: `Bearer ${session.token}` },
          }).catch(() => undefined);
        }
        await session?.close();
        await clients.close();
        await rm(demo, { recursive: true, force: true });
      }
    },
  );
});
