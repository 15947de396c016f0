/**
 * The deployable bundles: `serverless package` (offline), then each function's zip and bundle
 * size and its cold-start init, measured locally as Lambda's init does it: a fresh Node process
 * importing the bundle with the function's environment, several times (p50 of wall and CPU
 * time), side by side. Only the import is measured (no AWS round trip: clients connect on first
 * use). CPU time is what a loaded machine disturbs least; the coordinator is the baseline column.
 *
 * BENCH_BASELINE=<git ref> also packages that commit (in a temporary worktree, with this
 * checkout's node_modules) and interleaves its loads with this checkout's, for a before/after
 * in one run.
 *
 *   npx tsx bench/cold-start.ts
 *   BENCH_RUNS=10 BENCH_BASELINE=main npx tsx bench/cold-start.ts
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  FUNCTIONS,
  loadBundle,
  packageService,
  type BundleLoad,
  type CfnResource,
  type FunctionName,
} from '../infra/aws/package.js';
import { repoRoot } from '../infra/local/settings.js';
import { formatGrid, percentile } from './stats.js';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASELINE = process.env.BENCH_BASELINE;

interface Packaged {
  readonly label: string;
  readonly out: string;
  readonly resources: Record<string, CfnResource>;
  readonly loads: Map<FunctionName, BundleLoad[]>;
}

async function packaged(label: string, out: string, checkout?: string): Promise<Packaged> {
  const started = performance.now();
  const { resources } = await packageService(out, 'dev', checkout);
  process.stdout.write(
    `${label}: serverless package ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return { label, out, resources, loads: new Map(FUNCTIONS.map((name) => [name, []])) };
}

/** A worktree of `ref` beside the package folders, sharing this checkout's node_modules. */
async function worktreeOf(ref: string, root: string): Promise<string> {
  const dir = path.join(root, 'baseline-checkout');
  await run('git', ['worktree', 'add', '--detach', dir, ref], { cwd: repoRoot });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

async function bundleBytes(zip: string, name: FunctionName): Promise<number> {
  const { stdout } = await run('unzip', ['-Zl', zip, `functions/${name}.mjs`]);
  // "-rw-r--r--  2.0 unx  1312190 b- 370228 defN ... functions/task.mjs"
  return Number(stdout.trim().split(/\s+/)[3]);
}

async function main(): Promise<void> {
  mkdirSync(path.join(repoRoot, '.package-test'), { recursive: true });
  const root = mkdtempSync(path.join(repoRoot, '.package-test', 'bench-'));
  let checkout: string | undefined;
  try {
    const variants: Packaged[] = [];
    if (BASELINE) {
      checkout = await worktreeOf(BASELINE, root);
      variants.push(await packaged(`baseline ${BASELINE}`, path.join(root, 'baseline'), checkout));
    }
    variants.push(await packaged('this checkout', path.join(root, 'current')));
    // Interleaved, so that the machine's load falls alike on every variant and function.
    for (let i = 0; i < RUNS; i++) {
      for (const name of FUNCTIONS) {
        for (const v of variants)
          v.loads.get(name)!.push(await loadBundle(v.out, name, v.resources));
      }
    }
    const p50 = (loads: BundleLoad[], key: 'initMs' | 'initCpuMs') =>
      percentile(
        loads.map((l) => l[key]),
        50,
      );
    const rows: string[][] = [];
    for (const v of variants) {
      const floor = p50(v.loads.get('coordinator')!, 'initCpuMs');
      for (const name of FUNCTIONS) {
        const loads = v.loads.get(name)!;
        const zip = path.join(v.out, `${name}.zip`);
        const cpu = p50(loads, 'initCpuMs');
        const baseline = variants[0] !== v ? p50(variants[0]!.loads.get(name)!, 'initCpuMs') : cpu;
        rows.push([
          v.label,
          name,
          mib(statSync(zip).size),
          mib(await bundleBytes(zip, name)),
          p50(loads, 'initMs').toFixed(0),
          cpu.toFixed(0),
          (cpu / floor).toFixed(2),
          (cpu / baseline).toFixed(2),
        ]);
      }
    }
    process.stdout.write(`init: ${RUNS} fresh processes per function, interleaved\n`);
    const header = ['build', 'function', 'zip MiB', 'bundle MiB', 'init p50 ms', 'init CPU p50 ms'];
    process.stdout.write(
      `${formatGrid([...header, 'CPU x coordinator', 'CPU x baseline'], rows, 2)}\n`,
    );
  } finally {
    if (checkout) await run('git', ['worktree', 'remove', '--force', checkout], { cwd: repoRoot });
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
