/**
 * What the management API costs a caller: the real API function (functions/api.ts) over HTTP,
 * on DynamoDB Local and RocketMQ, one request at a time, p50 and p95 per route, and the ratios
 * that matter side by side (an expanded list in one scan against one status call per connector;
 * creating a connector whose topic exists against one whose topic the API must create).
 *
 *   npx tsx bench/api.ts            (brings the local stack up, or reuses it)
 *   BENCH_CONNECTORS=100 npx tsx bench/api.ts
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp } from '../infra/local/stack.js';
import { createStateTable } from '../lib/state/table.js';
import { startTestApi, type TestApi } from '../test/integration/api-server.js';
import { formatGrid, percentile } from './stats.js';

const CONNECTORS = Number(process.env.BENCH_CONNECTORS ?? 50);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
// startTestApi catches the API's own log lines; the figures go to stdout directly.
const print = (text: string) => process.stdout.write(`${text}\n`);
const uniqueName = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

interface Measured {
  readonly name: string;
  readonly samples: number[];
}

async function measure(
  name: string,
  count: number,
  call: (i: number) => Promise<Response>,
  expected: number,
): Promise<Measured> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await call(i);
    const text = await response.text();
    samples.push(performance.now() - started);
    if (response.status !== expected) {
      throw new Error(`${name}: ${response.status} ${text.slice(0, 300)}`);
    }
  }
  return { name, samples };
}

async function main(): Promise<void> {
  const { info } = await stackUp(loadStackSettings());
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const table = uniqueName('bench-api');
  await createStateTable(dynamo, table);
  const api: TestApi = await startTestApi(info, table);
  try {
    const topic = uniqueName('bench-api');
    const config = (extra: Record<string, string> = {}) => ({
      'connector.class': 'FileStreamSink',
      file: '/tmp/bench-api.txt',
      topics: topic,
      'tasks.max': '2',
      ...extra,
    });
    const first = await measure(
      'POST /connectors, topic created (remoting admin)',
      1,
      () => api.call('POST', '/connectors', { body: { name: 'c-0', config: config() } }),
      201,
    );
    const creates = await measure(
      'POST /connectors, topic exists',
      CONNECTORS - 1,
      (i) => api.call('POST', '/connectors', { body: { name: `c-${i + 1}`, config: config() } }),
      201,
    );
    const missing: Measured = {
      name: 'POST /connectors, topic created (remoting admin)',
      samples: [...first.samples],
    };
    for (let i = 0; i < 2; i++) {
      const fresh = uniqueName('bench-api-new');
      const one = await measure(
        missing.name,
        1,
        () =>
          api.call('POST', '/connectors', {
            body: { name: `new-${i}`, config: config({ topics: fresh }) },
          }),
        201,
      );
      missing.samples.push(...one.samples);
    }

    const results: Measured[] = [
      await measure(
        'GET /health (no auth)',
        SAMPLES,
        () => api.call('GET', '/health', { token: null }),
        200,
      ),
      await measure(
        'GET /connectors/{name}/status',
        SAMPLES,
        (i) => api.call('GET', `/connectors/c-${i % CONNECTORS}/status`),
        200,
      ),
      await measure(
        'PATCH /connectors/{name}/config',
        SAMPLES,
        (i) =>
          api.call('PATCH', `/connectors/c-${i % CONNECTORS}/config`, {
            body: { 'tasks.max': String(1 + (i % 3)) },
          }),
        200,
      ),
      await measure(
        'PUT .../config/validate',
        SAMPLES,
        () =>
          api.call('PUT', '/connector-plugins/FileStreamSink/config/validate', {
            body: { ...config(), name: 'v' },
          }),
        200,
      ),
      await measure(
        `GET /connectors?expand=status (${CONNECTORS + 2} connectors, one scan)`,
        20,
        () => api.call('GET', '/connectors?expand=status'),
        200,
      ),
      await measure(
        `GET /metrics (${CONNECTORS + 2} connectors)`,
        20,
        () => api.call('GET', '/metrics'),
        200,
      ),
      creates,
      missing,
    ];
    // The alternative to one expanded list: the list, then one status call per connector.
    const perConnector: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      const names = (await (await api.call('GET', '/connectors')).json()) as string[];
      for (const name of names) await (await api.call('GET', `/connectors/${name}/status`)).text();
      perConnector.push(performance.now() - started);
    }
    results.push({
      name: `list + ${CONNECTORS + 2} status calls (what expand saves)`,
      samples: perConnector,
    });

    const p50 = (m: Measured) => percentile(m.samples, 50);
    const rows = results.map((m) => [
      m.name,
      String(m.samples.length),
      p50(m).toFixed(1),
      percentile(m.samples, 95).toFixed(1),
    ]);
    print(formatGrid(['request', 'n', 'p50 ms', 'p95 ms'], rows, 1));
    const byName = (prefix: string) => results.find((m) => m.name.startsWith(prefix))!;
    print('');
    print(
      `ratio: list + status calls / one expanded list = ${(p50(byName('list +')) / p50(byName('GET /connectors?expand'))).toFixed(1)}x`,
    );
    print(
      `ratio: create with a new topic / with an existing topic = ${(p50(missing) / p50(creates)).toFixed(1)}x`,
    );
    print(
      `ratio: status / health (the cost of a connector read over the floor) = ${(p50(byName('GET /connectors/{name}/status')) / p50(byName('GET /health'))).toFixed(1)}x`,
    );
  } finally {
    await api.close();
    await dynamo.send(new DeleteTableCommand({ TableName: table }));
    dynamo.destroy();
  }
  // The API's RocketMQ clients keep timers; the figures are printed.
  process.exit(0);
}

await main();
