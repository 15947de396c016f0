import path from 'node:path';
import { repoRoot } from '../local/settings.js';

/** This checkout's own Serverless Framework v3 CLI (run with `node`). */
export const SERVERLESS_BIN = path.join(
  repoRoot,
  'node_modules',
  'serverless',
  'bin',
  'serverless.js',
);

/**
 * The environment to run the CLI in. Without these two, v3 sends telemetry and fetches
 * notifications first; on a machine without internet `serverless package` then hung for
 * minutes.
 */
export function serverlessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
}
