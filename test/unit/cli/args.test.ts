import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../lib/cli/args.js';
import { UsageError } from '../../../lib/cli/errors.js';
import { COMMAND_NAMES, helpText } from '../../../lib/cli/usage.js';

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not fail`);
}

describe('parseArgs', () => {
  it('reads a command, its arguments and options in any order', () => {
    expect(parseArgs(['--url', 'http://h:1', 'create', 'a.json', '--paused', '--name=x'])).toEqual({
      kind: 'command',
      command: 'create',
      args: ['a.json'],
      options: { url: 'http://h:1', paused: true, name: 'x' },
    });
  });

  it('reads the two-word offsets commands', () => {
    expect(parseArgs(['offsets', 'set', 'c', 'o.json'])).toMatchObject({
      command: 'offsets set',
      args: ['c', 'o.json'],
    });
    expect(parseArgs(['offsets', 'get', 'c', '--json'])).toMatchObject({
      command: 'offsets get',
      options: { json: true },
    });
  });

  it('takes everything after -- as arguments, even when it starts with a dash', () => {
    expect(parseArgs(['status', '--', '--odd-name'])).toMatchObject({ args: ['--odd-name'] });
  });

  it('answers help for --help, -h and help <command>', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', topic: undefined, asked: true });
    expect(parseArgs(['status', '-h'])).toEqual({ kind: 'help', topic: 'status', asked: true });
    expect(parseArgs(['help', 'offsets'])).toEqual({ kind: 'help', topic: 'offsets', asked: true });
    expect(parseArgs(['help', 'offsets', 'set'])).toMatchObject({ topic: 'offsets set' });
  });

  it('answers unasked help when there is no command', () => {
    expect(parseArgs([])).toEqual({ kind: 'help', topic: undefined, asked: false });
  });

  it.each([
    [['lst'], 'unknown command "lst"; did you mean list?'],
    [['stauts', 'x'], 'unknown command "stauts"; did you mean status?'],
    [['restrat', 'x'], 'unknown command "restrat"; did you mean restart?'],
    [['help', 'plugin'], 'unknown command "plugin"; did you mean plugins?'],
    [['offsets', 'gett', 'x'], 'unknown command "offsets gett"; did you mean offsets get?'],
    [['offsets', 'zzz', 'x'], 'unknown command "offsets zzz"; offsets takes get, reset, set'],
    [['offsets'], 'offsets needs a subcommand: get, reset, set'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('names the closest command for %j', (argv, message) => {
    const error = usageError(argv);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
  });

  it.each([
    [['list', '--stauts'], 'unknown option --stauts; did you mean --status?'],
    [['list', '--jsn=1'], 'unknown option --jsn; did you mean --json?'],
    [['list', '-s'], 'unknown option -s'],
  ])('names the closest option for %j', (argv, message) => {
    expect(usageError(argv).message).toBe(message);
  });

  it('says which commands an option belongs to', () => {
    const error = usageError(['list', '--trace']);
    expect(error.message).toBe('--trace is not an option of list; it is an option of status');
    expect(error.details).toEqual(['usage: rmq-connect list [--status]']);
  });

  it('names a missing argument with the synopsis', () => {
    const error = usageError(['restart-task', 'files']);
    expect(error.message).toBe('restart-task needs <task-id>');
    expect(error.details).toEqual(['usage: rmq-connect restart-task <name> <task-id>']);
  });

  it('refuses an extra argument', () => {
    expect(usageError(['status', 'a', 'b']).message).toBe('unexpected argument "b"');
  });

  it('refuses a value for a switch and a missing value for an option', () => {
    expect(usageError(['list', '--json=yes']).message).toBe('--json takes no value');
    expect(usageError(['list', '--url']).message).toBe('--url needs a value: --url URL');
  });

  it('refuses --paused with --stopped', () => {
    expect(usageError(['create', 'f.json', '--paused', '--stopped']).message).toMatch(
      /cannot both be given/,
    );
  });
});

describe('helpText', () => {
  it('lists every command', () => {
    const text = helpText();
    for (const command of COMMAND_NAMES) expect(text).toContain(`\n  ${command}`);
  });

  it('shows the options of one command and of every command', () => {
    const text = helpText('restart');
    expect(text).toContain('Usage: rmq-connect restart <name> [--include-tasks] [--only-failed]');
    expect(text).toContain('--only-failed');
    expect(text).toContain('--token TOKEN');
    expect(text).not.toContain('restart-task');
  });

  it('shows every command of a group', () => {
    const text = helpText('offsets');
    expect(text).toContain('offsets get <name>');
    expect(text).toContain('offsets reset <name>');
    expect(text).toContain('offsets set <name> <file.json>');
  });
});
