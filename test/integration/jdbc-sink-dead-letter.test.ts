import type { MessageView } from 'rocketmq-client-nodejs';
import { describe, expect, onTestFinished } from 'vitest';
import { startSimpleConsumer, type RocketMqEndpoint } from '../../lib/rocketmq/clients.js';
import { sendAll } from '../../lib/rocketmq/send.js';
import { test, uniqueName } from './fixtures.js';
import { adminClient, TEST_DATABASES, uniqueTable } from './jdbc/databases.js';
import { LocalPlatform } from './platform.js';

/** Every message of a topic, read by a fresh group, until `expected` came and a receive is empty. */
async function drain(
  rocketmq: RocketMqEndpoint,
  topic: string,
  expected: number,
): Promise<MessageView[]> {
  const consumer = await startSimpleConsumer(rocketmq, {
    consumerGroup: uniqueName('jdbc-dlq-reader'),
    topics: [topic],
    awaitDurationMs: 2_500,
  });
  try {
    const received: MessageView[] = [];
    const until = Date.now() + 30_000;
    for (;;) {
      const batch = await consumer.receive(32, 30_000);
      for (const message of batch) {
        received.push(message);
        await consumer.ack(message);
      }
      if ((batch.length === 0 && received.length >= expected) || Date.now() > until)
        return received;
    }
  } finally {
    await consumer.shutdown();
  }
}

describe('JdbcSink under errors.tolerance=all', () => {
  for (const db of TEST_DATABASES)
    test(`rows ${db.label} refuses go to the dead-letter topic with its message; the others are written`, async ({
      dynamo,
      table,
      rocketmq,
      topics,
    }) => {
      const [topic, dlq] = await Promise.all([
        topics.topic('NORMAL', 'jdbc-dlq-in'),
        topics.topic('NORMAL', 'jdbc-dlq-dlq'),
      ]);
      const target = uniqueTable('dlq_target');
      const { client, close } = await adminClient(db);
      onTestFinished(async () => {
        await client.query(`DROP TABLE IF EXISTS ${target}`);
        await close();
      });
      await client.query(`CREATE TABLE ${target} (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)`);
      // 100 rows; every 20th has no name, which the NOT NULL column refuses.
      const messages = Array.from({ length: 100 }, (_, i) => ({
        topic,
        body: Buffer.from(JSON.stringify({ id: i, name: i % 20 === 7 ? null : `name ${i}` })),
        keys: [],
        properties: new Map([['origin.seq', String(i)]]),
      }));
      const platform = new LocalPlatform(dynamo, table, rocketmq);
      onTestFinished(() => platform.close());
      expect(
        (await sendAll(await platform.clients.producer([topic]), messages)).every((o) => o.ok),
      ).toBe(true);
      const name = uniqueName('jdbc-dlq');
      await platform.store.createConnector(
        name,
        {
          'connector.class': 'JdbcSink',
          'connection.url': db.url,
          'connection.user': db.user,
          topics: topic,
          'table.name.format': target,
          'insert.mode': 'upsert',
          'pk.mode': 'record_value',
          'pk.fields': 'id',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
          'errors.tolerance': 'all',
          'errors.deadletterqueue.topic.name': dlq,
          'errors.deadletterqueue.context.headers.enable': 'true',
          'slice.max.ms': '3000',
        },
        'RUNNING',
        Date.now(),
      );
      onTestFinished(() => platform.store.deleteConnector(name));
      const count = async () =>
        Number((await client.query(`SELECT COUNT(*) FROM ${target}`)).rows[0]?.[0]);
      await platform.runUntil(async () => (await count()) >= 95, { timeoutMs: 60_000 });
      await platform.dispatcher.drain();
      expect(await count()).toBe(95);

      const letters = await drain(rocketmq, dlq, 5);
      expect(letters.map((m) => Object.fromEntries(m.properties)['origin.seq']).sort()).toEqual([
        '27',
        '47',
        '67',
        '7',
        '87',
      ]);
      const refusal =
        db.dialect === 'postgresql'
          ? /null value in column "name"/
          : /Column 'name' cannot be null/;
      for (const letter of letters) {
        expect(Object.fromEntries(letter.properties)).toMatchObject({
          '__connect.errors.stage': 'TASK_PUT',
          '__connect.errors.connector.name': name,
          '__connect.errors.class.name': 'io.confluent.connect.jdbc.JdbcSinkConnector',
          '__connect.errors.exception.message': expect.stringMatching(refusal),
        });
      }
    });
});
