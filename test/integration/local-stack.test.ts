import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { isAlive, isPortFree, type ProcessRecord } from '../../infra/local/processes.js';
import { repoRoot } from '../../infra/local/settings.js';
import { test } from './fixtures.js';

const cli = path.join(repoRoot, 'infra/local/cli.ts');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');

interface CliResult {
  code: number;
  output: string;
}

/** Runs the stack's CLI (what `npm run stack:*` runs) with extra environment variables. */
function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [cli, ...args],
      { env: { ...process.env, ...env }, timeout: 300_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** Seven free ports for a second stack: namesrv, proxy gRPC and remoting, broker-2..+1, DynamoDB. */
type PortVariable =
  | 'ROCKETMQ_NAMESRV_PORT'
  | 'ROCKETMQ_PROXY_PORT'
  | 'ROCKETMQ_PROXY_REMOTING_PORT'
  | 'ROCKETMQ_BROKER_PORT'
  | 'DYNAMODB_PORT';

async function freePortEnv(): Promise<Record<PortVariable, string>> {
  for (let base = 21_000 + Math.floor(Math.random() * 200) * 20; base < 40_000; base += 20) {
    const ports = [base, base + 1, base + 2, base + 4, base + 5, base + 6, base + 7];
    const free = await Promise.all(ports.map(isPortFree));
    if (free.every(Boolean)) {
      return {
        ROCKETMQ_NAMESRV_PORT: String(base),
        ROCKETMQ_PROXY_PORT: String(base + 1),
        ROCKETMQ_PROXY_REMOTING_PORT: String(base + 2),
        ROCKETMQ_BROKER_PORT: String(base + 6), // also takes base + 4 and base + 7
        DYNAMODB_PORT: String(base + 5),
      };
    }
  }
  throw new Error('no free ports for a second stack');
}

function readPids(stackDir: string): ProcessRecord[] {
  const dir = path.join(stackDir, 'pids');
  return fs
    .readdirSync(dir)
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ProcessRecord);
}

// A second, independent stack on other ports and its own folder, so the shared one is untouched.
describe('the local stack CLI', () => {
  const stackDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-cli-'));
  afterAll(async () => {
    await runCli(['down', '--purge'], { STACK_DIR: stackDir });
    fs.rmSync(stackDir, { recursive: true, force: true });
  });

  // A second stack of three JVMs, started beside the other test files' work on 2 cores: it took
  // over 120 s once in CI (the default timeout), so this test gets more.
  test(
    'up starts every service, a second up or another checkout reuses them, and down leaves none running',
    {
      timeout: 300_000,
    },
    async () => {
      const env = { STACK_DIR: stackDir, ...(await freePortEnv()) };

      const first = await runCli(['up'], env);
      expect(first.output).toMatch(/namesrv\s+started/);
      expect(first.output).toMatch(/proxy\s+started/);
      expect(first.output).toMatch(/dynamodb\s+started/);
      expect(first.code, first.output).toBe(0);
      const started = readPids(stackDir);
      expect(started).toHaveLength(3);
      expect(started.every(isAlive)).toBe(true);

      const second = await runCli(['up'], env);
      expect(second.code, second.output).toBe(0);
      expect(second.output.match(/already up, reused/g)).toHaveLength(3);
      expect(
        readPids(stackDir)
          .map((r) => r.pid)
          .sort(),
      ).toEqual(started.map((r) => r.pid).sort());

      // Another checkout (its own stack folder) on the same ports reuses this stack as it is,
      // and its down leaves it running: it stops only what it started itself.
      const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-other-'));
      try {
        const other = { ...env, STACK_DIR: otherDir };
        const reused = await runCli(['up'], other);
        expect(reused.code, reused.output).toBe(0);
        expect(reused.output.match(/run by another program, reused/g)).toHaveLength(3);
        const otherDown = await runCli(['down'], other);
        expect(otherDown.output).toContain('nothing of this stack was running');
        expect(started.every(isAlive)).toBe(true);
      } finally {
        fs.rmSync(otherDir, { recursive: true, force: true });
      }

      const status = await runCli(['status'], env);
      expect(status.code, status.output).toBe(0);
      expect(status.output).toMatch(/proxy\s+ready .*round trip/);

      const down = await runCli(['down'], env);
      expect(down.code, down.output).toBe(0);
      expect(started.some(isAlive)).toBe(false);
      for (const port of Object.values(env).filter((v) => /^\d+$/.test(v))) {
        expect(await isPortFree(Number(port)), `port ${port}`).toBe(true);
      }
      const after = await runCli(['status'], env);
      expect(after.code).toBe(1);
      expect(after.output).toMatch(/dynamodb\s+DOWN/);
    },
  );

  test('up refuses a port held by another program, naming the port and its variable', async () => {
    const env = { STACK_DIR: stackDir, ...(await freePortEnv()) };
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(env.DYNAMODB_PORT), resolve));
    try {
      const result = await runCli(['up'], env);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(`port ${env.DYNAMODB_PORT} (DYNAMODB_PORT) is taken`);
    } finally {
      squatter.close();
    }
  });

  test('up says what to install when Java or Maven is missing', async () => {
    const noJava = await runCli(['up'], { STACK_DIR: stackDir, JAVA_HOME: '/nonexistent/jdk' });
    expect(noJava.code).not.toBe(0);
    expect(noJava.output).toMatch(/Java 17\+ is needed.*set JAVA_HOME/);

    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-nomvn-'));
    try {
      const noMaven = await runCli(['up'], { STACK_DIR: emptyDir, MAVEN_CMD: '/nonexistent/mvn' });
      expect(noMaven.code).not.toBe(0);
      expect(noMaven.output).toMatch(/Apache Maven is needed.*set MAVEN_CMD/);
    } finally {
      fs.rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  test('up reports a service that does not come up in time, and down cleans up after it', async () => {
    const env = { STACK_DIR: stackDir, STACK_READY_TIMEOUT_MS: '1', ...(await freePortEnv()) };
    const result = await runCli(['up'], env);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/did not come up: .*npm run stack:down/);
    const down = await runCli(['down'], env);
    expect(down.code).toBe(0);
    expect(fs.readdirSync(path.join(stackDir, 'pids'))).toEqual([]);
  });

  test('a bad setting fails naming the variable', async () => {
    const result = await runCli(['status'], { ROCKETMQ_PROXY_PORT: 'eighty' });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('ROCKETMQ_PROXY_PORT="eighty"');
  });
});
