/**
 * Raw RocketMQ load, the ceilings the benches compare the runtime with: a producer sending with
 * bounded in-flight sends, and a SimpleConsumer draining with concurrent receive loops.
 */
import type { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { mapBounded } from '../lib/util/concurrency.js';

/** Sends `count` messages of `body` with at most `inFlight` outstanding; resolves with the seconds. */
export async function produce(
  producer: Pick<Producer, 'send'>,
  topic: string,
  count: number,
  inFlight: number,
  body: Buffer,
): Promise<number> {
  const started = performance.now();
  await mapBounded(
    Array.from({ length: count }, (_, i) => i),
    inFlight,
    (i) => producer.send({ topic, keys: [`k${i}`], body }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * Drains `count` messages with `receivers` concurrent receive loops of `batch` messages each,
 * acking each message as it arrives; resolves with the seconds until the last ack.
 */
export async function consume(
  consumer: Pick<SimpleConsumer, 'receive' | 'ack'>,
  count: number,
  batch: number,
  receivers: number,
): Promise<number> {
  let remaining = count;
  let finished = 0;
  const started = performance.now();
  const deadline = Date.now() + 300_000;
  await Promise.all(
    Array.from({ length: receivers }, async () => {
      while (remaining > 0 && Date.now() < deadline) {
        const messages = await consumer.receive(batch, 60_000);
        await Promise.all(messages.map((m) => consumer.ack(m)));
        remaining -= messages.length;
        // Stop the clock at the last ack: the other receivers' empty long polls are not work.
        if (remaining <= 0 && finished === 0) finished = performance.now();
      }
    }),
  );
  if (remaining > 0) throw new Error(`${remaining} messages never arrived`);
  return (finished - started) / 1000;
}
