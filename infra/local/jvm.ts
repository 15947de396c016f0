import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, type StackSettings } from './settings.js';

/** A problem the person running the stack can fix; the message says how. */
export class StackError extends Error {
  override readonly name = 'StackError';
}

const MIN_JAVA = 17;

/** Fails with what to install when Java is missing or older than 17. */
export function checkJava(settings: StackSettings): void {
  const result = spawnSync(settings.javaBin, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new StackError(
      `Java ${MIN_JAVA}+ is needed to run RocketMQ and DynamoDB Local, but '${settings.javaBin}' could not be run (${result.error.message}). ` +
        `Install a JDK (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME.`,
    );
  }
  const major = parseJavaMajor(result.stderr);
  if (major === undefined || major < MIN_JAVA) {
    throw new StackError(
      `Java ${MIN_JAVA}+ is needed, '${settings.javaBin} -version' says: ${result.stderr.split('\n')[0] ?? ''}. ` +
        `Install a newer JDK or point JAVA_HOME at one.`,
    );
  }
}

/** `openjdk version "17.0.15"` -> 17; `java version "1.8.0_392"` -> 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

export interface Classpaths {
  readonly rocketmq: string;
  readonly dynamodb: string;
  /** Folder holding libsqlite4java's native library, for DynamoDB Local. */
  readonly nativeDir: string;
}

const POM_FILES = ['pom.xml', 'maven/rocketmq/pom.xml', 'maven/dynamodb/pom.xml'].map((p) =>
  path.join(repoRoot, 'infra/local', p),
);

/**
 * Returns the services' classpaths, running Maven only when they are missing, older than a pom,
 * or name a jar that is gone. The jars themselves stay cached in the local Maven repository.
 */
export function ensureClasspaths(settings: StackSettings, out: (line: string) => void): Classpaths {
  const files = {
    rocketmq: path.join(settings.stackDir, 'classpath', 'rocketmq.txt'),
    dynamodb: path.join(settings.stackDir, 'classpath', 'dynamodb.txt'),
  };
  const nativeDir = path.join(settings.stackDir, 'native');
  if (!classpathsCurrent([files.rocketmq, files.dynamodb], nativeDir)) {
    out('resolving RocketMQ and DynamoDB Local jars with Maven (first run downloads them)...');
    runMaven(
      settings,
      POM_FILES[0] ?? 'pom.xml',
      { 'stack.dir': settings.stackDir },
      "the stack's jars",
    );
  }
  return {
    rocketmq: fs.readFileSync(files.rocketmq, 'utf8').trim(),
    dynamodb: fs.readFileSync(files.dynamodb, 'utf8').trim(),
    nativeDir,
  };
}

function classpathsCurrent(files: string[], nativeDir: string): boolean {
  if (!fs.existsSync(path.join(nativeDir, 'libsqlite4java-linux-amd64.so'))) return false;
  const newestPom = Math.max(...POM_FILES.map((p) => fs.statSync(p).mtimeMs));
  return files.every((file) => {
    if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < newestPom) return false;
    const jars = fs.readFileSync(file, 'utf8').trim().split(path.delimiter);
    return jars.length > 0 && jars.every((jar) => fs.existsSync(jar));
  });
}

/**
 * `mvn process-resources` on a pom whose build writes classpath files (the stack's, or a bench's):
 * fails with what to install when Maven is missing, and with Maven's last lines when a jar cannot
 * be resolved.
 */
export function runMaven(
  settings: StackSettings,
  pomFile: string,
  properties: Record<string, string>,
  what: string,
): void {
  const args = [
    '-q',
    '-B',
    '-f',
    pomFile,
    'process-resources',
    ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
  ];
  const result = spawnSync(settings.mavenCmd, args, { encoding: 'utf8', timeout: 15 * 60_000 });
  if (result.error) {
    throw new StackError(
      `Apache Maven is needed to fetch ${what} from Maven Central, but '${settings.mavenCmd}' could not be run (${result.error.message}). ` +
        `Install it (Debian: apt-get install maven) or set MAVEN_CMD.`,
    );
  }
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new StackError(
      `Maven could not resolve ${what} (exit ${result.status}); check access to Maven Central:\n${output}`,
    );
  }
}
