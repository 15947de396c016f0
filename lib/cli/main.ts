import { readFile } from 'node:fs/promises';
import { parseArgs } from './args.js';
import { ConnectClient } from './client.js';
import { COMMAND_HANDLERS } from './commands.js';
import type { ReadFile } from './config-file.js';
import { ApiError, CliError } from './errors.js';
import { restoreStateCommand } from './restore-state.js';
import { DEFAULT_URL, helpText } from './usage.js';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** CONNECT_API_URL and CONNECT_API_TOKEN are read from here (restore-state's settings too). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Default: reading the file as UTF-8. */
  readonly readFile?: ReadFile;
  /** How long a request may take; default 60 s. */
  readonly timeoutMs?: number;
}

const readUtf8: ReadFile = (path) => readFile(path, 'utf8');

/**
 * The `rmq-connect` command line: runs one command against the Connect REST API (or
 * restore-state, against RocketMQ and DynamoDB) and answers its exit code (0 done, 1 the API
 * or the restore refused or failed, or a file is invalid, 2 a usage error). Never throws.
 *
 * @example await run(['status', 'files', '--url', 'http://127.0.0.1:8083'], { stdout, stderr, env })
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const invocation = parseArgs(argv);
    if (invocation.kind === 'help') {
      // Help asked for is the answer; help because no command was given is a usage error.
      (invocation.asked ? io.stdout : io.stderr)(helpText(invocation.topic));
      return invocation.asked ? 0 : 2;
    }
    const { options } = invocation;
    if (invocation.command === 'restore-state') {
      return await restoreStateCommand({
        options,
        env: io.env,
        out: io.stdout,
        note: io.stderr,
      });
    }
    const envUrl = nonEmpty(io.env.CONNECT_API_URL);
    const client = new ConnectClient({
      url: options.url ?? envUrl ?? DEFAULT_URL,
      urlSource:
        options.url !== undefined
          ? 'from --url'
          : envUrl !== undefined
            ? 'from CONNECT_API_URL'
            : 'the default; set CONNECT_API_URL or --url',
      token: nonEmpty(options.token) ?? nonEmpty(io.env.CONNECT_API_TOKEN),
      fetch: io.fetch ?? fetch,
      ...(io.timeoutMs === undefined ? {} : { timeoutMs: io.timeoutMs }),
    });
    return await COMMAND_HANDLERS[invocation.command]({
      client,
      args: invocation.args,
      options,
      readFile: io.readFile ?? readUtf8,
      out: io.stdout,
      note: io.stderr,
    });
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(errorText(error));
      return error.exitCode;
    }
    // A bug in the CLI itself: the stack is what a report needs.
    io.stderr(
      `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

/** `error (404): <message>`, then the details, one per line. */
export function errorText(error: CliError): string {
  const head = error instanceof ApiError ? `error (${error.status})` : 'error';
  return [`${head}: ${error.message}`, ...error.details].map((l) => `${l}\n`).join('');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
