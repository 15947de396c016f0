import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: the stack folder and the Maven pom are found relative to it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const port = (fallback: number) => z.coerce.number().int().min(1024).max(65535).default(fallback);

/**
 * Environment variables that tune the local stack. This is the only place the stack reads
 * `process.env`; every other module takes a {@link StackSettings}.
 */
const envSchema = z.object({
  STACK_DIR: z.string().min(1).optional(),
  ROCKETMQ_NAMESRV_PORT: port(9876),
  ROCKETMQ_PROXY_PORT: port(8081),
  ROCKETMQ_PROXY_REMOTING_PORT: port(8080),
  // The broker also listens on this port - 2 (fast remoting) and + 1 (HA).
  ROCKETMQ_BROKER_PORT: port(10911),
  DYNAMODB_PORT: port(8000),
  JAVA_HOME: z.string().min(1).optional(),
  MAVEN_CMD: z.string().min(1).default('mvn'),
  STACK_READY_TIMEOUT_MS: z.coerce.number().int().positive().default(180_000),
  // The state table `npm start` uses (created when missing) and mirrors to the state topics.
  STATE_TABLE_NAME: z.string().min(3).max(255).default('connect-state'),
  // Where DynamoDB Local keeps its data when this run starts it: `memory` (gone when it stops)
  // or `disk` (under the stack folder). Unset: `npm start` keeps it on disk, tests in memory.
  DYNAMODB_DATA: z.enum(['memory', 'disk']).optional(),
  // `npm start`: the HTTP API's port and the Lambda invoke endpoint's (serverless-offline).
  API_PORT: port(8083),
  LAMBDA_PORT: port(3002),
  // The API's admin token under `npm start` (checked there); one is generated and kept when unset.
  CONNECT_API_TOKEN: z.string().optional(),
  // `npm start` runs serverless-offline (and so every function's worker thread) under
  // `node --cpu-prof`, writing one .cpuprofile per thread into this folder (profiling benches).
  FUNCTIONS_CPU_PROF_DIR: z.string().min(1).optional(),
  // Integration tests stop a stack they started themselves, unless this is 1.
  STACK_KEEP: z.enum(['0', '1']).default('0'),
});

export interface StackSettings {
  /** Folder for classpaths, generated configs, logs, the broker's store and pid files. */
  readonly stackDir: string;
  readonly ports: {
    readonly namesrv: number;
    readonly proxyGrpc: number;
    readonly proxyRemoting: number;
    readonly broker: number;
    readonly dynamodb: number;
  };
  readonly javaBin: string;
  readonly mavenCmd: string;
  readonly readyTimeoutMs: number;
  /** Leave a stack that the integration tests started running after them. */
  readonly keepAfterTests: boolean;
  /** The state table of the platform `npm start` runs. */
  readonly stateTable: string;
  /** DynamoDB Local's data, when this run starts it; unset: the command's own choice. */
  readonly dynamodbData: 'memory' | 'disk' | undefined;
  /** The functions under `npm start` (serverless-offline). */
  readonly functions: {
    readonly apiPort: number;
    readonly lambdaPort: number;
    /** CONNECT_API_TOKEN, when given. */
    readonly apiToken: string | undefined;
    /** FUNCTIONS_CPU_PROF_DIR: where the functions' CPU profiles go, when profiling. */
    readonly cpuProfDir: string | undefined;
  };
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Parses the stack's environment variables; a bad value fails naming the variable. */
export function loadStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) =>
        `${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`,
    );
    throw new SettingsError(`invalid local stack setting: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const ports = {
    namesrv: e.ROCKETMQ_NAMESRV_PORT,
    proxyGrpc: e.ROCKETMQ_PROXY_PORT,
    proxyRemoting: e.ROCKETMQ_PROXY_REMOTING_PORT,
    broker: e.ROCKETMQ_BROKER_PORT,
    dynamodb: e.DYNAMODB_PORT,
  };
  const clash = findPortClash(ports, [
    { port: e.API_PORT, variable: 'API_PORT' },
    { port: e.LAMBDA_PORT, variable: 'LAMBDA_PORT' },
  ]);
  if (clash) throw new SettingsError(clash);
  return {
    stackDir: path.resolve(e.STACK_DIR ?? path.join(repoRoot, '.stack')),
    ports,
    javaBin: e.JAVA_HOME ? path.join(e.JAVA_HOME, 'bin', 'java') : 'java',
    mavenCmd: e.MAVEN_CMD,
    readyTimeoutMs: e.STACK_READY_TIMEOUT_MS,
    keepAfterTests: e.STACK_KEEP === '1',
    stateTable: e.STATE_TABLE_NAME,
    dynamodbData: e.DYNAMODB_DATA,
    functions: {
      apiPort: e.API_PORT,
      lambdaPort: e.LAMBDA_PORT,
      apiToken: e.CONNECT_API_TOKEN,
      cpuProfDir: e.FUNCTIONS_CPU_PROF_DIR && path.resolve(e.FUNCTIONS_CPU_PROF_DIR),
    },
  };
}

/** Every TCP port the stack listens on, with the variable that moves it. */
export function listeningPorts(
  ports: StackSettings['ports'],
): { port: number; variable: string }[] {
  return [
    { port: ports.namesrv, variable: 'ROCKETMQ_NAMESRV_PORT' },
    { port: ports.proxyGrpc, variable: 'ROCKETMQ_PROXY_PORT' },
    { port: ports.proxyRemoting, variable: 'ROCKETMQ_PROXY_REMOTING_PORT' },
    { port: ports.broker, variable: 'ROCKETMQ_BROKER_PORT' },
    { port: ports.broker - 2, variable: 'ROCKETMQ_BROKER_PORT (its port - 2)' },
    { port: ports.broker + 1, variable: 'ROCKETMQ_BROKER_PORT (its port + 1)' },
    { port: ports.dynamodb, variable: 'DYNAMODB_PORT' },
  ];
}

function findPortClash(
  ports: StackSettings['ports'],
  others: { port: number; variable: string }[],
): string | undefined {
  const seen = new Map<number, string>();
  for (const { port: p, variable } of [...listeningPorts(ports), ...others]) {
    const other = seen.get(p);
    if (other) return `${variable} and ${other} both use port ${p}; give each its own port`;
    seen.set(p, variable);
  }
  return undefined;
}
