// The behaviour every source connector keeps, one check per rule of DESIGN.md ("State rules",
// "Connectors"). Each check sets up its own fixture, so it can run alone against any adapter.
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { SourceRecord } from '../../../../lib/api/record.js';
import { fixtureCheck, type SourceConformanceAdapter, type SourceFixture } from './adapter.js';
import { conformLeavesNothingOpen } from './resources.js';
import { CommittedOffsets, identities, withSlice } from './source-slice.js';
import { conform, conformSequence, show, within, type Check } from './verdict.js';

type SourceCheck = Check<SourceConformanceAdapter>;

const check = fixtureCheck<SourceFixture, SourceConformanceAdapter>;

/** Records each check appends: enough for several polls of a small batch. */
const SAMPLE = 12;

export const resumesAfterCommittedOffset = check(
  'resumes exactly after the committed offset, one record or a whole batch later',
  async (adapter, fixture) => {
    await fixture.append(SAMPLE);
    const all = await withSlice(adapter, fixture, new CommittedOffsets(), (s) => s.take(Infinity));
    conform(all.length === SAMPLE, `one slice read ${all.length} of ${SAMPLE} records added`);
    const offsets = new CommittedOffsets();
    const resumed: SourceRecord[] = [];
    // Commits fall on the first record, inside a batch and at the end, never only on a poll's edge.
    for (const step of [1, 2, 5, Infinity]) {
      await withSlice(adapter, fixture, offsets, async (slice) => {
        const sent = await slice.take(step);
        await slice.commit(sent);
        resumed.push(...sent);
      });
    }
    conformSequence(
      identities(adapter, resumed),
      identities(adapter, all),
      'records of slices that each resumed from the last commit',
    );
    const after = await withSlice(adapter, fixture, offsets, (s) => s.take(Infinity));
    conform(after.length === 0, `after everything was committed, ${show(after[0])} came again`);
  },
);

export const redeliversAfterCrash = check(
  'delivers again, and never skips, what was sent but not committed before a crash',
  async (adapter, fixture) => {
    await fixture.append(SAMPLE);
    const offsets = new CommittedOffsets();
    const committed = await withSlice(adapter, fixture, offsets, async (slice) => {
      const sent = await slice.take(3);
      await slice.commit(sent);
      return sent;
    });
    // Sent, receipts back, then the slice dies before its commit: the offsets stay where they were.
    const lost = await withSlice(adapter, fixture, offsets, (slice) => slice.take(Infinity));
    const rest = SAMPLE - committed.length;
    conform(
      lost.length === rest,
      `after a commit of ${committed.length} records, the next slice delivered ` +
        `${lost.length} of the ${rest} after them: ${lost.length < rest ? 'it skipped some' : 'too many'}`,
    );
    const again = await withSlice(adapter, fixture, offsets, (slice) => slice.take(Infinity));
    conformSequence(
      identities(adapter, again),
      identities(adapter, lost),
      'after a crash between send and commit, the records the next slice delivers',
    );
  },
);

/** How long the idle check watches the task. */
const IDLE_WINDOW_MS = 1_000;
/**
 * CPU an idle poll may use on average, beyond the runner's own share of the window. CPU time,
 * not wall time: a loaded machine slows a quiet task without making it use more CPU.
 */
const IDLE_POLL_CPU_MS = 10;
const RUNNER_CPU_MS = 100;

export const idlesQuietly = check(
  'answers an idle poll with [] without busy looping',
  async (adapter, fixture) => {
    await fixture.append(2);
    await withSlice(adapter, fixture, new CommittedOffsets(), async (slice) => {
      await slice.take(Infinity);
      const answerMs = (adapter.longPollMs ?? 0) + 2_000;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      let polls = 0;
      while (performance.now() - started < IDLE_WINDOW_MS) {
        const polled = await within(slice.task.poll(), answerMs, 'late' as const);
        conform(polled !== 'late', `an idle poll did not answer within ${answerMs} ms`);
        conform(polled.length === 0, `an idle poll returned ${show(polled[0])}`);
        polls++;
        // As the runtime backs off after an empty poll.
        await sleep(50);
      }
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = Math.round((cpu.user + cpu.system) / 1_000);
      conform(
        cpuMs < RUNNER_CPU_MS + polls * IDLE_POLL_CPU_MS,
        `${polls} idle polls in ${Math.round(performance.now() - started)} ms used ${cpuMs} ms ` +
          'of CPU: a busy loop; wait for data (honouring the abort signal) or return [] at once',
      );
    });
  },
);

/** How soon after the abort signal a poll in progress must answer (DESIGN: "within a second"). */
const ABORT_ANSWER_MS = 1_000;

/** 'resolved', or what the promise failed with. */
function settled(poll: Promise<unknown>): Promise<unknown> {
  return poll.then(
    () => 'resolved',
    (error: unknown) => error,
  );
}

async function conformAnswers(poll: Promise<unknown>, what: string): Promise<void> {
  const answer = await within(poll, ABORT_ANSWER_MS, 'late');
  conform(answer !== 'late', `${what} did not answer within 1 s of the abort signal`);
  conform(answer === 'resolved', `${what} failed on the abort: ${show(answer)}`);
}

export const honoursAbort = check(
  'answers a poll in progress within a second of the abort signal',
  async (adapter, fixture) => {
    const abort = new AbortController();
    await withSlice(
      adapter,
      fixture,
      new CommittedOffsets(),
      async (slice) => {
        // Nothing to read, so a long-polling source is waiting when the budget ends.
        const inProgress = settled(slice.task.poll());
        await sleep(50);
        abort.abort();
        await conformAnswers(inProgress, 'a poll in progress');
        // The runtime never polls twice at once: the next poll starts once the first answered.
        await conformAnswers(settled(slice.task.poll()), 'a poll after the abort');
      },
      abort.signal,
    );
  },
);

export const releasesOnStop = check(
  'releases every handle, socket and timer on stop',
  async (adapter, fixture) => {
    await fixture.append(SAMPLE);
    await conformLeavesNothingOpen(() =>
      withSlice(adapter, fixture, new CommittedOffsets(), async (slice) => {
        await slice.commit(await slice.take(Infinity));
      }),
    );
  },
);

/** Where in `value` something would not come back from JSON as it went in. */
function jsonFlaw(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') {
    if (Object.is(value, -0) || !Number.isFinite(value)) return `${path} is ${value}`;
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return `${path} is ${value}, past 2^53: integers that large travel as strings`;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') {
    return ['string', 'boolean'].includes(typeof value) || value === null
      ? undefined
      : `${path} is a ${typeof value}`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    return `${path} is a ${value.constructor.name}, not plain JSON`;
  }
  for (const [key, item] of Object.entries(value)) {
    const flaw = jsonFlaw(item, `${path}.${key}`);
    if (flaw) return flaw;
  }
  return isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)
    ? undefined
    : `${path} changes through JSON`;
}

export const offsetsSurviveJson = check(
  'gives partitions and offsets that survive a JSON round trip exactly',
  async (adapter, fixture) => {
    await fixture.append(SAMPLE);
    const records = await withSlice(adapter, fixture, new CommittedOffsets(), (s) =>
      s.take(Infinity),
    );
    conform(records.length > 0, 'the source gave no record to look at');
    for (const [i, record] of records.entries()) {
      const flaw =
        jsonFlaw(record.partition, `record ${i}: partition`) ??
        jsonFlaw(record.offset, `record ${i}: offset`);
      conform(flaw === undefined, flaw ?? '');
    }
  },
);

/** Every source check, in the order the suite reports them. */
export const sourceChecks: readonly SourceCheck[] = [
  resumesAfterCommittedOffset,
  redeliversAfterCrash,
  idlesQuietly,
  honoursAbort,
  releasesOnStop,
  offsetsSurviveJson,
];
