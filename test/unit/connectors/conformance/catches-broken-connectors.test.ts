// The suite can fail: each broken connector fails the check for the rule it breaks, while the
// reference connectors it was cut from pass the whole suite.
import { afterAll, describe, expect, it } from 'vitest';
import {
  acksBeforeFlush,
  appendsClaimingIdempotence,
  hidesFlushFailure,
  leakedTimers,
  leaksTimer,
  togglesRows,
  memoryTable,
  refusesAtFlush,
} from './broken-sinks.js';
import {
  acksUpstreamAtPoll,
  ignoresAbort,
  leakedHandles,
  leaksHandle,
  memoryLog,
  spinsWhenIdle,
  unsafeOffset,
} from './broken-sources.js';
import { describeSinkConformance, describeSourceConformance } from './describe.js';
import {
  acksOnlyDurable,
  failedFlushRedelivers,
  redeliveryKeepsTarget,
  poisonToDeadLetters,
  sinkReleasesOnStop,
} from './sink-checks.js';
import {
  honoursAbort,
  idlesQuietly,
  offsetsSurviveJson,
  redeliversAfterCrash,
  releasesOnStop,
  resumesAfterCommittedOffset,
} from './source-checks.js';
import { ConformanceError, type Check } from './verdict.js';

/** A broken connector, the check that must catch it, and what that check must say. */
function row<A>(what: string, adapter: A, check: Check<A>, message: RegExp) {
  // What the check failed with, undefined when it passed.
  const failure = () =>
    check.run(adapter).then(
      () => undefined,
      (error: unknown) => error,
    );
  return { what, check: check.name, failure, message };
}

afterAll(async () => {
  await Promise.all(leakedHandles.splice(0).map((handle) => handle.close()));
  for (const timer of leakedTimers.splice(0)) clearInterval(timer);
});

const caught = [
  row(
    'source that commits before the send receipt (acks upstream at poll): resuming skips',
    acksUpstreamAtPoll,
    resumesAfterCommittedOffset,
    /resumed from the last commit: item \d+ should be .* but was missing/,
  ),
  row(
    'source that commits before the send receipt (acks upstream at poll): a crash loses records',
    acksUpstreamAtPoll,
    redeliversAfterCrash,
    /after a commit of 3 records, the next slice delivered 8 of the 9 after them: it skipped some/,
  ),
  row(
    'source that leaks a file handle',
    leaksHandle,
    releasesOnStop,
    /after stop, the task still holds 1 fd/,
  ),
  row(
    'source that ignores the abort signal in a long poll',
    ignoresAbort,
    honoursAbort,
    /a poll in progress did not answer within 1 s of the abort signal/,
  ),
  row('source that spins the CPU while idle', spinsWhenIdle, idlesQuietly, /a busy loop/),
  row(
    'source that keeps an integer past 2^53 as a JSON number',
    unsafeOffset,
    offsetsSurviveJson,
    /record 0: offset\.lsn is 9007199254740994, past 2\^53/,
  ),
  row(
    'sink that acks before flush (flush resolves before the write)',
    acksBeforeFlush,
    acksOnlyDurable,
    /flush resolved before m0, .* were in the target/,
  ),
  row(
    'sink that hides a failing flush',
    hidesFlushFailure,
    failedFlushRedelivers,
    /the slice succeeded while the target refused writes/,
  ),
  row(
    'sink that refuses a poison record at flush, failing its neighbours with it',
    refusesAtFlush,
    poisonToDeadLetters,
    /a slice with a poison record under errors.tolerance=all failed/,
  ),
  row(
    'sink that claims idempotence but appends',
    appendsClaimingIdempotence,
    redeliveryKeepsTarget,
    /the target after the batch came twice: item 1 should be/,
  ),
  row(
    'sink that says it is not idempotent and loses rows when a batch comes again',
    togglesRows,
    redeliveryKeepsTarget,
    /was lost when the batch came again/,
  ),
  row(
    'sink that leaks a timer',
    leaksTimer,
    sinkReleasesOnStop,
    /after stop, the task still holds 1 Timeout/,
  ),
];

describe('the conformance suite', () => {
  for (const { what, check, failure, message } of caught) {
    it(
      `catches a ${what}: "${check}" fails`,
      async () => {
        const error = await failure();
        expect(error).toBeInstanceOf(ConformanceError);
        expect((error as Error).message).toMatch(message);
      },
      // Real time passes: idle windows, long polls, handles closing, on a shared machine.
      30_000,
    );
  }
});

// The connectors the broken ones were cut from pass everything: the checks do not fail
// connectors that keep the rules, and the idempotence check runs on one that claims it.
describeSourceConformance(memoryLog);
describeSinkConformance(memoryTable);
