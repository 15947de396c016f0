import { defineConfig } from 'vitest/config';

// Two runs: `unit` is pure logic with no network; `integration` talks to the real local stack,
// which its global setup brings up (or reuses) once for the whole run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Files share a 2-core machine with the JVMs; two at a time keeps them responsive.
          maxWorkers: 2,
        },
      },
    ],
  },
});
