import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished } from 'vitest';
import { startProducer } from '../../lib/rocketmq/clients.js';
import { startTestApi } from './api-server.js';
import { test, uniqueName } from './fixtures.js';
import { LocalPlatform, readLines } from './platform.js';

interface SinkOffset {
  readonly partition: { rocketmq_topic: string; rocketmq_broker: string; rocketmq_queue: number };
  readonly offset: { rocketmq_offset: number };
}

const RECORDS = 20;

describe("a sink connector's offsets through the REST API (KIP-875 for sinks)", () => {
  test('shows the consumer group per queue, refuses changes while running, and after a reset while stopped the sink reads everything again', async ({
    stack,
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const api = await startTestApi(stack, table);
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(async () => {
      await platform.close();
      await api.close();
    });
    const topic = await topics.topic('NORMAL', 'sink-offsets');
    const output = join(await mkdtemp(join(tmpdir(), 'sink-offsets-')), 'out.txt');
    const name = uniqueName('offsets-sink');
    const created = await api.call('POST', '/connectors', {
      body: {
        name,
        config: {
          'connector.class': 'FileStreamSink',
          file: output,
          topics: topic,
          'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'slice.max.ms': '2000',
        },
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);

    const producer = await startProducer(rocketmq, [topic]);
    try {
      for (let i = 0; i < RECORDS; i++) {
        await producer.send({ topic, body: Buffer.from(`record-${i}`) });
      }
    } finally {
      await producer.shutdown();
    }
    await platform.runUntil(async () => (await readLines(output)).length >= RECORDS, {
      timeoutMs: 90_000,
    });

    const offsets = async (): Promise<SinkOffset[]> => {
      const response = await api.call('GET', `/connectors/${name}/offsets`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { offsets: SinkOffset[] }).offsets;
    };
    const total = (entries: SinkOffset[]) =>
      entries.reduce((sum, e) => sum + e.offset.rocketmq_offset, 0);
    // Acks reach the group's committed offsets asynchronously on the broker.
    let seen = await offsets();
    for (let tries = 0; tries < 50 && total(seen) < RECORDS; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await offsets();
    }
    expect(total(seen)).toBe(RECORDS);
    expect(seen.length).toBeGreaterThan(1); // spread over the topic's queues
    for (const entry of seen) {
      expect(entry.partition).toEqual({
        rocketmq_topic: topic,
        rocketmq_broker: 'broker-a',
        rocketmq_queue: expect.any(Number) as number,
      });
    }

    // Changes only while STOPPED, as for a source.
    const running = await api.call('DELETE', `/connectors/${name}/offsets`);
    expect(running.status).toBe(409);
    const patchRunning = await api.call('PATCH', `/connectors/${name}/offsets`, {
      body: { offsets: [{ partition: seen[0]!.partition, offset: null }] },
    });
    expect(patchRunning.status).toBe(409);

    expect((await api.call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    await platform.tick();
    await platform.dispatcher.drain();

    // A partition that is not a queue of this shape is refused, naming the entry.
    const bad = await api.call('PATCH', `/connectors/${name}/offsets`, {
      body: { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: null }] },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('offsets[0].partition');

    // One queue moved by PATCH, then everything rewound by DELETE.
    const first = seen[0]!;
    const patched = await api.call('PATCH', `/connectors/${name}/offsets`, {
      body: { offsets: [{ partition: first.partition, offset: { rocketmq_offset: 0 } }] },
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    const afterPatch = await offsets();
    expect(
      afterPatch.find((e) => e.partition.rocketmq_queue === first.partition.rocketmq_queue),
    ).toMatchObject({ offset: { rocketmq_offset: 0 } });
    expect(total(afterPatch)).toBe(RECORDS - first.offset.rocketmq_offset);

    const reset = await api.call('DELETE', `/connectors/${name}/offsets`);
    expect(reset.status, await reset.clone().text()).toBe(200);
    expect(total(await offsets())).toBe(0);

    expect((await api.call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await platform.runUntil(async () => (await readLines(output)).length >= 2 * RECORDS, {
      timeoutMs: 90_000,
    });
    await platform.dispatcher.drain();
    const lines = await readLines(output);
    expect(lines).toHaveLength(2 * RECORDS);
    // Every record exactly twice: once before the reset, once after it.
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
    expect(counts.size).toBe(RECORDS);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
  }, 240_000);
});
