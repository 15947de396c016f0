/**
 * One system's run of the job: a FileStreamSource on the input, a FileStreamSink to a new output
 * file, created through the REST API; measured from the source's POST until every line is in the
 * output, with the CPU and memory of the system's process groups over that window.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileStreamPair, type ConnectRest } from '../connect-rest.js';
import { OutputTally, waitForEveryLine, type Tally } from '../line-file-job.js';
import { UsageSampler, type GroupUsage } from '../process-stats.js';

const SETTLE_MS = 3_000;

export interface JobResult {
  readonly system: string;
  readonly lines: number;
  /** Source POST to the last line written; undefined if not every line arrived in time. */
  readonly seconds: number | undefined;
  readonly createSourceMs: number;
  /** Source POST to the first line written. */
  readonly firstLineSeconds: number | undefined;
  readonly tally: Tally;
  /** `workers`: the connector runtime; `services`: broker and state store. */
  readonly usage: Record<'workers' | 'services', GroupUsage>;
}

export async function runFileJob(options: {
  readonly system: string;
  readonly rest: ConnectRest;
  readonly input: string;
  readonly lines: number;
  readonly dir: string;
  readonly topic: string;
  readonly groups: () => Record<'workers' | 'services', readonly number[]>;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}): Promise<JobResult> {
  const { rest, lines, log } = options;
  const output = path.join(options.dir, `${options.system.replace(/\W+/g, '-')}-output.txt`);
  const configs = fileStreamPair({ input: options.input, output, topic: options.topic });
  const sampler = new UsageSampler(options.groups);
  sampler.start();
  const started = performance.now();
  const createSourceMs = await rest.create('bench-source', configs.source);
  await rest.create('bench-sink', configs.sink);
  let lastLog = 0;
  let firstLineAt: number | undefined;
  const outputTally = new OutputTally(output, lines);
  const { completeAt } = await waitForEveryLine(outputTally, {
    timeoutMs: options.timeoutMs,
    progress: (t) => {
      if (firstLineAt === undefined && t.distinct > 0) firstLineAt = performance.now();
      if (performance.now() - lastLog < 10_000) return;
      lastLog = performance.now();
      const s = (performance.now() - started) / 1000;
      log(`${options.system}: ${t.distinct}/${lines} lines after ${s.toFixed(0)} s`);
    },
  });
  const usage = sampler.stop();
  // Copies written just after the last new line count too.
  await sleep(SETTLE_MS);
  const tally = outputTally.read();
  const none = { cpuSeconds: 0, peakRssBytes: 0 };
  return {
    system: options.system,
    lines,
    seconds: completeAt === undefined ? undefined : (completeAt - started) / 1000,
    createSourceMs,
    firstLineSeconds: firstLineAt === undefined ? undefined : (firstLineAt - started) / 1000,
    tally,
    usage: { workers: usage.workers ?? none, services: usage.services ?? none },
  };
}
