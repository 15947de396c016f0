/**
 * Kafka's own transforms and JsonConverter (4.4.0, from Maven Central) as the oracle of ours:
 * test/oracle/kafka-transforms/TransformOracle.java, run as a single-file Java program with the
 * jars its pom resolves (kept in the local Maven repository, the classpath in the stack folder).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runMaven } from '../../../infra/local/jvm.js';
import { loadStackSettings, repoRoot } from '../../../infra/local/settings.js';

const ORACLE_DIR = path.join(repoRoot, 'test', 'oracle', 'kafka-transforms');

/** One record as both sides read it: JsonConverter envelopes (schemas.enable=true) or null. */
export interface OracleRecord {
  readonly topic: string;
  readonly timestamp: number;
  readonly key: unknown;
  readonly value: unknown;
  /** String headers, in order, names may repeat. */
  readonly headers: readonly (readonly [string, string])[];
}

export interface OracleCase {
  /** The transform's Kafka class name. */
  readonly type: string;
  readonly config: Readonly<Record<string, string>>;
  /** A predicate deciding which records the transform changes (Kafka's class name). */
  readonly predicate?: { readonly type: string; readonly config: Readonly<Record<string, string>> };
  readonly negate?: boolean;
  readonly records: readonly OracleRecord[];
}

/**
 * The answer for one record: the converters' bytes as text (a header's value as Kafka's
 * SimpleHeaderConverter writes it), a drop, or the error.
 */
export type OracleAnswer =
  | {
      readonly topic: string;
      readonly key: string | null;
      readonly value: string | null;
      readonly headers: readonly (readonly [string, string | null])[];
    }
  | { readonly dropped: true }
  | { readonly error: string };

export type OracleResult = OracleAnswer[] | { readonly configError: string };

/** The classpath of Kafka's jars the oracle's pom resolves (bench/transforms.ts runs on it too). */
export function kafkaOracleClasspath(): string {
  const settings = loadStackSettings();
  const file = path.join(settings.stackDir, 'kafka-transforms-oracle-classpath.txt');
  const pom = path.join(ORACLE_DIR, 'pom.xml');
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < fs.statSync(pom).mtimeMs) {
    fs.mkdirSync(settings.stackDir, { recursive: true });
    runMaven(settings, pom, { 'classpath.file': file }, "Kafka's transforms (the oracle)");
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Runs every case through Kafka's transforms in one JVM; one result per case, in order. */
export async function runKafkaOracle(cases: readonly OracleCase[]): Promise<OracleResult[]> {
  const java = spawn(
    'java',
    ['-cp', kafkaOracleClasspath(), path.join(ORACLE_DIR, 'TransformOracle.java')],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  java.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  java.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  // A harness that fails to compile exits before reading: its stderr says why, not EPIPE.
  java.stdin.on('error', () => {});
  java.stdin.end(cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const code = await new Promise<number | null>((resolve) => java.once('close', resolve));
  const lines = out.split('\n').filter((line) => line !== '');
  if (code !== 0 || lines.length !== cases.length) {
    throw new Error(
      `the Kafka oracle exited ${code} with ${lines.length} of ${cases.length} answers:\n${err}`,
    );
  }
  return lines.map((line) => JSON.parse(line) as OracleResult);
}
