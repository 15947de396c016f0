import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../local/settings.js';
import type { Metafile } from './bundle-inputs.js';
import { SERVERLESS_BIN, serverlessEnv } from './serverless-cli.js';

const run = promisify(execFile);

/** The functions serverless.yml declares. */
export const FUNCTIONS = ['api', 'coordinator', 'task', 'mirror'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

export interface PackagedService {
  readonly resources: Record<string, CfnResource>;
  /** The configuration paths serverless.yml's schema check warned about. */
  readonly configWarnings: string[];
}

/**
 * serverless-esbuild's work folder of a package into `outDir`: beside it, since the package
 * step empties `outDir` after the build. Kept until its metafiles are moved into `outDir`.
 */
const workFolderOf = (outDir: string) => `${outDir}.esbuild`;
const metafileOf = (outDir: string, name: FunctionName) =>
  path.join(outDir, 'metafiles', `${name}-meta.json`);

/**
 * `serverless package` of a stage into `outDir`, offline (no AWS account, no telemetry): the
 * zips and the CloudFormation template, and esbuild's metafiles (`readMetafile`). Answers the
 * template's resources. `checkout`: another checkout of this project to package (a bench's
 * baseline), with this one's node_modules.
 */
export async function packageService(
  outDir: string,
  stage = 'dev',
  checkout = repoRoot,
): Promise<PackagedService> {
  const { stdout, stderr } = await run(
    process.execPath,
    [SERVERLESS_BIN, 'package', '--stage', stage, '--package', outDir],
    {
      cwd: checkout,
      env: serverlessEnv({
        ...process.env,
        CONNECT_API_TOKEN: process.env.CONNECT_API_TOKEN ?? 'a-token-to-package-with',
        // A build folder of this package's own (none shared with another package running at
        // once), kept afterwards for its metafiles. serverless.yml takes it relative.
        ESBUILD_WORK_FOLDER: path.relative(checkout, workFolderOf(outDir)),
        ESBUILD_KEEP_OUTPUT: 'true',
      }),
      timeout: 240_000,
    },
  );
  const built = path.join(workFolderOf(outDir), '.build', 'functions');
  mkdirSync(path.join(outDir, 'metafiles'));
  for (const name of FUNCTIONS) {
    renameSync(path.join(built, `${name}-meta.json`), metafileOf(outDir, name));
  }
  rmSync(workFolderOf(outDir), { recursive: true, force: true });
  const template = JSON.parse(
    readFileSync(path.join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as { Resources: Record<string, CfnResource> };
  // "Warning: Invalid configuration encountered" is followed by one "  at '<path>': ..." each.
  const configWarnings = [...`${stdout}\n${stderr}`.matchAll(/^\s+at '([^']+)':/gm)].map(
    (match) => match[1]!,
  );
  return { resources: template.Resources, configWarnings };
}

/** esbuild's metafile of a function's bundle, from a `packageService` into `outDir`. */
export function readMetafile(outDir: string, name: FunctionName): Metafile {
  return JSON.parse(readFileSync(metafileOf(outDir, name), 'utf8')) as Metafile;
}

/** A function's resource in the template (`ApiLambdaFunction` for `api`). */
export function functionResource(
  resources: Record<string, CfnResource>,
  name: FunctionName,
): CfnResource {
  const logical = `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`;
  const resource = resources[logical];
  if (!resource) throw new Error(`no ${logical} in the template`);
  return resource;
}

/** What importing a bundle in a fresh process took, as Lambda's init does it. */
export interface BundleLoad {
  readonly handlerType: string;
  /** Wall time of the import. */
  readonly initMs: number;
  /** CPU time of the import (user and system): what a loaded machine disturbs least. */
  readonly initCpuMs: number;
}

/**
 * Unzips a function's bundle and imports it in a fresh Node process with the environment the
 * template gives it (plus stand-ins for what the deployment fills in), as Lambda's init does.
 * The folder is inside this checkout, whose node_modules stand for the runtime's own (which has
 * the AWS SDK): the package test checks from the metafiles that the bundles need none of it.
 */
export async function loadBundle(
  outDir: string,
  name: FunctionName,
  resources: Record<string, CfnResource>,
): Promise<BundleLoad> {
  const dir = mkdtempSync(path.join(outDir, `unzipped-${name}-`));
  try {
    await run('unzip', ['-q', path.join(outDir, `${name}.zip`), '-d', dir]);
    const variables = (
      functionResource(resources, name).Properties.Environment as {
        Variables: Record<string, string>;
      }
    ).Variables;
    const script = `const t = performance.now(); const c = process.cpuUsage();
      const m = await import('./functions/${name}.mjs');
      const { user, system } = process.cpuUsage(c);
      console.log(JSON.stringify({ handlerType: typeof m.handler, initMs: performance.now() - t,
        initCpuMs: (user + system) / 1000 }));
      process.exit(0);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: {
        ...process.env,
        // The template's, and nothing this process was started with (a loader, say).
        NODE_OPTIONS: variables.NODE_OPTIONS ?? '',
        STATE_TABLE_NAME: 'state',
        TASK_FUNCTION_NAME: 'task',
        COORDINATOR_FUNCTION_NAME: 'coordinator',
        ROCKETMQ_ENDPOINT: '127.0.0.1:8081',
        CONNECT_API_TOKEN: 'a-token-to-package-with',
        AWS_REGION: 'us-east-1',
      },
      timeout: 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as BundleLoad;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
