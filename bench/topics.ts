/**
 * Creating a topic, and creating a connector whose topic does not exist, in one run:
 *
 * - one topic created by RocketMQ's admin tool (a JVM per call, as the platform did before)
 *   against the same create over the remoting protocol from TypeScript (lib/rocketmq/remoting);
 * - the topic path of a connector create as it was (a proxy lookup that misses, the admin
 *   tool, then waiting until the proxy routes the topic) against `POST /connectors` through the
 *   real API function today (broker lookup, remoting create, proxy route, state writes).
 *
 *   npx tsx bench/topics.ts            (brings the local stack up, or reuses it)
 *   BENCH_SAMPLES=5 npx tsx bench/topics.ts
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureClasspaths } from '../infra/local/jvm.js';
import { localDynamoClient } from '../infra/local/probes.js';
import { stackPaths } from '../infra/local/services.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp } from '../infra/local/stack.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import { RemotingAdmin } from '../lib/rocketmq/remoting/remoting-admin.js';
import { RocketMqTopicCatalog } from '../lib/rocketmq/topic-catalog.js';
import { createStateTable } from '../lib/state/table.js';
import { startTestApi } from '../test/integration/api-server.js';
import { formatGrid, percentile } from './stats.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3);
const print = (text: string) => process.stdout.write(`${text}\n`);
const uniqueName = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const run = promisify(execFile);

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const settings = loadStackSettings();
  const { info } = await stackUp(settings);
  const classpath = ensureClasspaths(settings, () => undefined).rocketmq;
  const home = stackPaths(settings.stackDir).rocketmqHome;
  const { namesrv, cluster } = info.rocketmq;

  // The admin tool as the platform ran it before: one JVM per topic.
  const jvmCreate = async (topic: string) => {
    const { stdout } = await run(settings.javaBin, [
      '-Xms32m',
      '-Xmx128m',
      '-XX:TieredStopAtLevel=1',
      `-Duser.home=${home}`,
      `-Drocketmq.home.dir=${home}`,
      '-cp',
      classpath,
      'org.apache.rocketmq.tools.command.MQAdminStartup',
      'updateTopic',
      '-n',
      namesrv,
      '-c',
      cluster,
      '-t',
      topic,
      '-a',
      '+message.type=NORMAL',
    ]);
    if (!/success/i.test(stdout)) throw new Error(`the admin tool failed: ${stdout}`);
  };
  const admin = new RemotingAdmin(info.rocketmq);
  const clients = new ClientCache({
    endpoints: info.rocketmq.endpoint,
    logger: { warn: () => undefined, error: () => undefined },
  });
  const proxy = new RocketMqTopicCatalog(() => clients.producer());
  const untilRouted = async (topic: string) => {
    while ((await proxy.typeOf(topic)) === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const table = uniqueName('bench-topics');
  await createStateTable(dynamo, table);
  const api = await startTestApi(info, table);

  const samples: Record<string, number[]> = {};
  const add = (name: string, ms: number) => (samples[name] ??= []).push(ms);
  try {
    await proxy.typeOf(uniqueName('warm-up')); // the producer started, outside the figures
    await admin.listTopics(); // the name server connection opened, likewise
    for (let i = 0; i < SAMPLES; i++) {
      add('create one topic: admin tool (JVM)', await timed(() => jvmCreate(uniqueName('jvm'))));
      add(
        'create one topic: remoting client',
        await timed(() => admin.ensureTopic(uniqueName('remoting'), 'NORMAL')),
      );
      const before = uniqueName('before');
      add(
        'connector create, topic path before: proxy miss + JVM + route wait',
        await timed(async () => {
          await proxy.typeOf(before);
          await jvmCreate(before);
          await untilRouted(before);
        }),
      );
      add(
        'POST /connectors, new topic (API function, remoting)',
        await timed(async () => {
          const response = await api.call('POST', '/connectors', {
            body: {
              name: uniqueName('c'),
              config: {
                'connector.class': 'FileStreamSink',
                file: '/tmp/bench-topics.txt',
                topics: uniqueName('after'),
              },
            },
          });
          const text = await response.text();
          if (response.status !== 201) throw new Error(`${response.status} ${text}`);
        }),
      );
    }
    const names = Object.keys(samples);
    const p50 = (name: string) => percentile(samples[name]!, 50);
    print(
      formatGrid(
        ['what', 'n', 'p50 ms', 'max ms'],
        names.map((n) => [
          n,
          String(samples[n]!.length),
          p50(n).toFixed(1),
          Math.max(...samples[n]!).toFixed(1),
        ]),
      ),
    );
    print('');
    print(
      `ratio: one topic, JVM / remoting = ${(p50(names[0]!) / p50(names[1]!)).toFixed(0)}x; ` +
        `connector create with a new topic, before / after = ${(p50(names[2]!) / p50(names[3]!)).toFixed(1)}x`,
    );
  } finally {
    await api.close();
    await clients.close();
    admin.close();
    await dynamo.send(new DeleteTableCommand({ TableName: table }));
    dynamo.destroy();
  }
  // The API's RocketMQ clients keep timers; the figures are printed.
  process.exit(0);
}

await main();
