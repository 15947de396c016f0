import type { TestProject } from 'vitest/node';
import { loadStackSettings } from '../../infra/local/settings.js';
import { stackDown, stackUp, type LocalStackInfo } from '../../infra/local/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: LocalStackInfo;
  }
}

/**
 * Brings the local stack up once per integration run, or reuses the one already running
 * (`npm start`, `npm run stack:up`). A stack started here is stopped afterwards unless STACK_KEEP=1.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const settings = loadStackSettings();
  const { info, outcomes } = await stackUp(settings, (line) => console.log(`[stack] ${line}`));
  project.provide('stack', info);
  const startedHere = Object.values(outcomes).includes('started');
  return async () => {
    if (startedHere && !settings.keepAfterTests) await stackDown(settings);
  };
}
