// The behaviour every sink connector keeps under the runtime's sink loop: nothing acked before
// it is durable, nothing lost to a failing target or a poison record, and, when it says so,
// the same result for a batch delivered twice.
import { isDeepStrictEqual } from 'node:util';
import type { IncomingMessage } from '../../../../lib/runtime/message-mapping.js';
import { fixtureCheck, type SinkConformanceAdapter, type SinkFixture } from './adapter.js';
import { conformLeavesNothingOpen } from './resources.js';
import {
  DEAD_LETTER_TOPIC,
  runSinkSlice,
  suiteMessage,
  writtenOf,
  type SinkSliceOutcome,
} from './sink-slice.js';
import { conform, conformSequence, missingFrom, show, type Check } from './verdict.js';

type SinkCheck = Check<SinkConformanceAdapter>;

const check = fixtureCheck<SinkFixture, SinkConformanceAdapter>;

/** Messages each check delivers: more than one receive brings (32), so a slice flushes twice. */
const SAMPLE = 40;

function suiteMessages(): IncomingMessage[] {
  return Array.from({ length: SAMPLE }, (_, i) => suiteMessage(i));
}

function conformSucceeded(outcome: SinkSliceOutcome, what: string): void {
  conform(outcome.failure === undefined, `${what} failed: ${show(outcome.failure)}`);
}

/** Fails unless the target holds every record of `messages` (duplicates allowed). */
async function conformWritten(
  adapter: SinkConformanceAdapter,
  fixture: SinkFixture,
  messages: readonly IncomingMessage[],
  what: string,
): Promise<void> {
  const missing = missingFrom(
    await fixture.read(),
    messages.map((m) => writtenOf(adapter, m)),
  );
  conform(missing.length === 0, `${what}: the target lacks ${show(missing)}`);
}

export const acksOnlyDurable = check(
  'has every record in its target before the runtime acknowledges it',
  async (adapter, fixture) => {
    const messages = suiteMessages();
    const early: string[] = [];
    const outcome = await runSinkSlice(adapter, fixture, messages, {
      beforeAck: async (m) => {
        const held = await fixture.read();
        if (missingFrom(held, [writtenOf(adapter, m)]).length > 0) early.push(m.messageId);
      },
    });
    conformSucceeded(outcome, 'the slice');
    conform(
      early.length === 0,
      `flush resolved before ${early.join(', ')} were in the target, so they were acked early`,
    );
    conform(outcome.acked.length === SAMPLE, `${outcome.acked.length} of ${SAMPLE} acked`);
  },
);

export const failedFlushRedelivers = check(
  'acks nothing when flush fails, and writes the records when they come again',
  async (adapter, fixture) => {
    const messages = suiteMessages();
    const heal = await fixture.breakTarget();
    const failed = await runSinkSlice(adapter, fixture, messages);
    await heal();
    conform(
      failed.failure !== undefined,
      'the slice succeeded while the target refused writes: flush hid the failure',
    );
    conform(failed.acked.length === 0, `${failed.acked.length} acked though flush failed`);
    // RocketMQ hands the unacked messages to the next slice once they are visible again.
    const again = await runSinkSlice(adapter, fixture, messages);
    conformSucceeded(again, 'the slice after the target recovered');
    conform(again.acked.length === SAMPLE, `${again.acked.length} of ${SAMPLE} acked`);
    await conformWritten(adapter, fixture, messages, 'after the records came again');
  },
);

/** Bytes no JSON converter reads: refused before the task sees them. */
const UNREADABLE = 'not json {';

export const poisonToDeadLetters = check(
  'sends a poison record to the dead-letter topic under errors.tolerance=all, writing its neighbours',
  async (adapter, fixture) => {
    const messages = suiteMessages();
    const poison = [suiteMessage(3, UNREADABLE)];
    if (adapter.refusedValue) poison.push(suiteMessage(7, adapter.refusedValue));
    for (const p of poison) messages[p.offset ?? 0] = p;
    const outcome = await runSinkSlice(adapter, fixture, messages, {
      config: {
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': DEAD_LETTER_TOPIC,
      },
    });
    conformSucceeded(outcome, 'a slice with a poison record under errors.tolerance=all');
    // In any order: the runtime sends a batch's letters by the stage that refused them.
    const letter = (topic: string, body: Buffer) => `${topic}: ${body.toString('utf8')}`;
    conformSequence(
      outcome.deadLetters.map((m) => letter(m.topic, m.body)).sort(),
      poison.map((m) => letter(DEAD_LETTER_TOPIC, m.body)).sort(),
      'dead letters',
    );
    const neighbours = messages.filter((m) => !poison.includes(m));
    await conformWritten(adapter, fixture, neighbours, 'the poison record’s neighbours');
    conform(outcome.acked.length === SAMPLE, `${outcome.acked.length} of ${SAMPLE} acked`);
  },
);

export const redeliveryKeepsTarget = check(
  'keeps every record when a batch is delivered twice, and the same content if it claims idempotence',
  async (adapter, fixture) => {
    const messages = suiteMessages();
    conformSucceeded(await runSinkSlice(adapter, fixture, messages), 'the first delivery');
    const once = await fixture.read();
    // As after a crash between flush and ack: every message comes again.
    conformSucceeded(await runSinkSlice(adapter, fixture, messages), 'the second delivery');
    const twice = await fixture.read();
    if (adapter.idempotent) {
      conformSequence(twice, once, 'the target after the batch came twice');
      return;
    }
    // At least once: nothing written the first time is lost, nothing but copies is added.
    const lost = once.find((item) => !twice.some((t) => isDeepStrictEqual(t, item)));
    conform(lost === undefined, `${show(lost)} was lost when the batch came again`);
    const stranger = twice.find((item) => !once.some((o) => isDeepStrictEqual(o, item)));
    conform(stranger === undefined, `${show(stranger)} appeared when the batch came again`);
  },
);

export const sinkReleasesOnStop = check(
  'releases every handle, socket and timer on stop',
  async (adapter, fixture) => {
    await conformLeavesNothingOpen(async () => {
      conformSucceeded(await runSinkSlice(adapter, fixture, suiteMessages()), 'the slice');
    });
  },
);

/** Every sink check, in the order the suite reports them. */
export const sinkChecks: readonly SinkCheck[] = [
  acksOnlyDurable,
  failedFlushRedelivers,
  poisonToDeadLetters,
  redeliveryKeepsTarget,
  sinkReleasesOnStop,
];
