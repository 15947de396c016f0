/**
 * The deployable bundles: `serverless package` (offline), then each function's zip size and its
 * cold-start init time, measured locally as Lambda's init does it: a fresh Node process
 * importing the bundle with the function's environment, several times (p50 and min), side by
 * side. Only the import is measured (no AWS round trip: clients connect on first use).
 *
 *   npx tsx bench/cold-start.ts
 *   BENCH_RUNS=10 npx tsx bench/cold-start.ts
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS, loadBundle, packageService } from '../infra/aws/package.js';
import { repoRoot } from '../infra/local/settings.js';
import { formatGrid, percentile } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function main(): Promise<void> {
  mkdirSync(path.join(repoRoot, '.package-test'), { recursive: true });
  const out = mkdtempSync(path.join(repoRoot, '.package-test', 'bench-'));
  try {
    const started = performance.now();
    const { resources } = await packageService(out);
    const packageMs = performance.now() - started;
    const measured = [];
    for (const name of FUNCTIONS) {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push((await loadBundle(out, name, resources)).initMs);
      measured.push({ name, samples, p50: percentile(samples, 50) });
    }
    // Ratios to the coordinator's init, the smallest bundle.
    const floor = measured.find((m) => m.name === 'coordinator')?.p50 ?? 1;
    const mib = (file: string) => (statSync(file).size / 1024 / 1024).toFixed(2);
    const rows = measured.map(({ name, samples, p50 }) => [
      name,
      mib(path.join(out, `${name}.zip`)),
      mib(path.join(out, `unzipped-${name}`, 'functions', `${name}.mjs`)),
      p50.toFixed(0),
      Math.min(...samples).toFixed(0),
      (p50 / floor).toFixed(2),
    ]);
    process.stdout.write(
      `serverless package: ${(packageMs / 1000).toFixed(1)} s; init over ${RUNS} fresh processes each\n`,
    );
    process.stdout.write(
      `${formatGrid(['function', 'zip MiB', 'bundle MiB', 'init p50 ms', 'init min ms', 'x coordinator'], rows)}\n`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
