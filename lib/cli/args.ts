import { closeMatches } from '../api/close-matches.js';
import { UsageError } from './errors.js';
import {
  COMMAND_NAMES,
  COMMANDS,
  OPTIONS,
  globalOptionsOf,
  isCommandName,
  isUnder,
  synopsis,
  type CommandName,
  type OptionName,
} from './usage.js';

/** An option's value: its text for an option that takes one, `true` for a switch. */
type OptionValue<K extends OptionName> = (typeof OPTIONS)[K] extends { value: string }
  ? string
  : true;

/** Every command but `help`, which parseArgs answers itself. */
export type RunnableCommand = Exclude<CommandName, 'help'>;

export type Options = { -readonly [K in OptionName]?: OptionValue<K> };

/** What the command line asks for. */
export type Invocation =
  | {
      readonly kind: 'help';
      /** A command or a group of them (`offsets`); undefined for all. */
      readonly topic: string | undefined;
      /** False when no command was given at all: help is then a usage error. */
      readonly asked: boolean;
    }
  | {
      readonly kind: 'command';
      readonly command: RunnableCommand;
      readonly args: readonly string[];
      readonly options: Options;
    };

/**
 * Reads the command line: a command (two words for `offsets get|reset|set`), its arguments,
 * and options anywhere (`--opt value`, `--opt=value`; `--` ends options). Throws UsageError
 * naming the closest command or option for an unknown one, and the synopsis for a wrong count
 * of arguments.
 */
export function parseArgs(argv: readonly string[]): Invocation {
  const { words, options } = tokenize(argv);
  if (options.help === true || words[0] === 'help') {
    const topicWords = words[0] === 'help' ? words.slice(1) : words;
    return { kind: 'help', topic: helpTopic(topicWords), asked: true };
  }
  if (words.length === 0) return { kind: 'help', topic: undefined, asked: false };

  const { command, rest } = resolveCommand(words);
  const allowed: readonly OptionName[] = [
    ...globalOptionsOf(command),
    ...COMMANDS[command].options,
  ];
  for (const option of Object.keys(options) as OptionName[]) {
    if (!allowed.includes(option)) {
      const owners = COMMAND_NAMES.filter((c) =>
        (COMMANDS[c].options as readonly OptionName[]).includes(option),
      );
      throw new UsageError(
        `--${option} is not an option of ${command}${owners.length > 0 ? `; it is an option of ${owners.join(', ')}` : ''}`,
        { details: [`usage: rmq-connect ${synopsis(command)}`] },
      );
    }
  }
  const expected = COMMANDS[command].args;
  if (rest.length < expected.length) {
    throw new UsageError(`${command} needs ${expected.slice(rest.length).join(' ')}`, {
      details: [`usage: rmq-connect ${synopsis(command)}`],
    });
  }
  if (rest.length > expected.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(rest[expected.length])}`, {
      details: [`usage: rmq-connect ${synopsis(command)}`],
    });
  }
  if (options.paused && options.stopped) {
    throw new UsageError('--paused and --stopped cannot both be given');
  }
  return { kind: 'command', command, args: rest, options };
}

function tokenize(argv: readonly string[]): { words: string[]; options: Options } {
  const words: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-h') {
      options.help = true;
      continue;
    }
    if (!token.startsWith('-') || token === '-') {
      words.push(token);
      continue;
    }
    const body = token.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (!isOptionName(name) || !token.startsWith('--')) {
      const near = closeMatches(
        name,
        Object.keys(OPTIONS).map((o) => ({ label: `--${o}`, names: [o] })),
        1,
      );
      const shown = eq < 0 ? token : token.slice(0, token.indexOf('='));
      throw new UsageError(
        `unknown option ${shown}${near.length > 0 ? `; did you mean ${near[0]}?` : ''}`,
        { details: ['rmq-connect --help lists the commands and their options'] },
      );
    }
    const spec: { value?: string; help: string } = OPTIONS[name];
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
    } else if (eq >= 0) {
      options[name] = body.slice(eq + 1);
    } else {
      const value = argv[i + 1];
      if (value === undefined)
        throw new UsageError(`--${name} needs a value: --${name} ${spec.value}`);
      options[name] = value;
      i++;
    }
  }
  return { words, options };
}

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

/** The command the first words name, and the words after it. */
function resolveCommand(words: readonly string[]): { command: RunnableCommand; rest: string[] } {
  const [first = '', second] = words;
  if (isCommandName(first) && first !== 'help') return { command: first, rest: words.slice(1) };
  const group = COMMAND_NAMES.filter((c) => isUnder(c, first));
  if (group.length > 0) {
    const subcommands = group.map((c) => c.slice(first.length + 1));
    const joined = `${first} ${second ?? ''}`;
    if (second !== undefined && isCommandName(joined) && joined !== 'help') {
      return { command: joined, rest: words.slice(2) };
    }
    const near = suggest(second ?? '', subcommands, `${first} `);
    throw new UsageError(
      second === undefined
        ? `${first} needs a subcommand: ${subcommands.join(', ')}`
        : `unknown command ${JSON.stringify(joined)}${near || `; ${first} takes ${subcommands.join(', ')}`}`,
      { details: group.map((c) => `usage: rmq-connect ${synopsis(c)}`) },
    );
  }
  throw new UsageError(`unknown command ${JSON.stringify(first)}${suggest(first, topWords())}`, {
    details: ['rmq-connect --help lists the commands'],
  });
}

/** The topic of `help <words>` or `<words> --help`, checked like a command. */
function helpTopic(words: readonly string[]): string | undefined {
  if (words.length === 0) return undefined;
  const [first = '', second] = words;
  if (isCommandName(first)) return first;
  if (second !== undefined && isCommandName(`${first} ${second}`)) return `${first} ${second}`;
  if (COMMAND_NAMES.some((c) => isUnder(c, first))) return first;
  throw new UsageError(`unknown command ${JSON.stringify(first)}${suggest(first, topWords())}`, {
    details: ['rmq-connect --help lists the commands'],
  });
}

/** `create`, ..., `offsets`, ...: what may come first on the command line. */
function topWords(): string[] {
  return [...new Set(COMMAND_NAMES.map((c) => c.split(' ')[0]!))];
}

/** `; did you mean list?` when a name is close to `word`, else nothing. */
function suggest(word: string, names: readonly string[], prefix = ''): string {
  const near = closeMatches(
    word,
    names.map((n) => ({ label: `${prefix}${n}`, names: [n] })),
    1,
  );
  return near.length > 0 ? `; did you mean ${near[0]}?` : '';
}
