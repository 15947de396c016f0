/** The CLI's commands and options, as data: the parser checks against them, help prints them. */

import { DEFAULT_STATE_TOPICS } from '../mirror/state-change.js';

export const DEFAULT_URL = 'http://127.0.0.1:8083';

/** Where restore-state finds the RocketMQ proxy when neither --rocketmq nor the env says. */
export const DEFAULT_ROCKETMQ_ENDPOINT = '127.0.0.1:8081';
export const DEFAULT_REGION = 'us-east-1';

interface OptionSpec {
  /** Shown after the option in help; absent for a switch. */
  readonly value?: string;
  readonly help: string;
}

export const OPTIONS = {
  url: {
    value: 'URL',
    help: `the Connect API (default: $CONNECT_API_URL, else ${DEFAULT_URL})`,
  },
  token: { value: 'TOKEN', help: 'the bearer token (default: $CONNECT_API_TOKEN)' },
  json: { help: "print JSON instead of text (the API's answer; restore-state's summary)" },
  help: { help: 'show help' },
  name: {
    value: 'NAME',
    help: "the connector's name (default: the file's name key, else its file name)",
  },
  paused: { help: 'create the connector PAUSED' },
  stopped: { help: 'create the connector STOPPED' },
  status: { help: 'a table with the state of each connector and its tasks' },
  trace: { help: 'print the full trace of a FAILED connector or task, not its first line' },
  'include-tasks': { help: "restart the connector's tasks as well" },
  'only-failed': { help: 'restart only what is FAILED' },
  all: { help: 'list converters, transforms and predicates as well as connectors' },
  table: { value: 'NAME', help: 'the state table (default: $STATE_TABLE_NAME; required)' },
  rocketmq: {
    value: 'HOST:PORT',
    help: `the RocketMQ proxy's gRPC endpoint (default: $ROCKETMQ_ENDPOINT, else ${DEFAULT_ROCKETMQ_ENDPOINT})`,
  },
  'dynamodb-endpoint': {
    value: 'URL',
    help: 'DynamoDB at this URL, e.g. DynamoDB Local (default: $DYNAMODB_ENDPOINT, else AWS)',
  },
  region: {
    value: 'REGION',
    help: `the AWS region (default: $AWS_REGION, else ${DEFAULT_REGION})`,
  },
  'config-topic': {
    value: 'TOPIC',
    help: `the state topic of connector and task configs (default: ${DEFAULT_STATE_TOPICS.config})`,
  },
  'offset-topic': {
    value: 'TOPIC',
    help: `the state topic of source offsets (default: ${DEFAULT_STATE_TOPICS.offset})`,
  },
  'status-topic': {
    value: 'TOPIC',
    help: `the state topic of statuses (default: ${DEFAULT_STATE_TOPICS.status})`,
  },
  group: {
    value: 'GROUP',
    help: 'the consumer group that reads the topics (default: connect-state-restore-<epoch ms>)',
  },
  'idle-ms': {
    value: 'MS',
    help: 'stop reading once no message came for this long (default: 5000)',
  },
  limit: { value: 'N', help: 'preview at most N records (default: 10, at most 100)' },
  'timeout-ms': {
    value: 'MS',
    help: 'preview for at most this long (default: 5000, at most 15000)',
  },
  'skip-invalid': { help: 'skip and list messages that are not state changes, instead of failing' },
  force: { help: 'write into a table that already has items' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['url', 'token', 'json', 'help'];

interface CommandSpec {
  /** Positional arguments, in order, as help shows them. */
  readonly args: readonly string[];
  /** Options of this command beyond the global ones. */
  readonly options: readonly OptionName[];
  /** The global options it takes, when not all of them (restore-state has no API to reach). */
  readonly globals?: readonly OptionName[];
  readonly summary: string;
  /** More lines for `help <command>`. */
  readonly more?: readonly string[];
}

const CONFIG_FILE_HELP = [
  'The file is .properties (Java syntax) or .json: a flat config object, or',
  '{"name": ..., "config": {...}}. The name is --name, else the file\'s, else the file name.',
];

export const COMMANDS = {
  create: {
    args: ['<file>'],
    options: ['name', 'paused', 'stopped'],
    summary: 'create a connector from a .properties or .json file',
    more: CONFIG_FILE_HELP,
  },
  apply: {
    args: ['<file>'],
    options: ['name'],
    summary: 'create or update a connector from a file',
    more: CONFIG_FILE_HELP,
  },
  list: { args: [], options: ['status'], summary: 'list connector names (a table with --status)' },
  status: {
    args: ['<name>'],
    options: ['trace'],
    summary: 'the state of a connector and each of its tasks',
  },
  config: { args: ['<name>'], options: [], summary: "a connector's config, as JSON" },
  tasks: { args: ['<name>'], options: [], summary: "a connector's task configs, as JSON" },
  pause: { args: ['<name>'], options: [], summary: 'pause a connector and its tasks' },
  resume: { args: ['<name>'], options: [], summary: 'resume a paused or stopped connector' },
  stop: {
    args: ['<name>'],
    options: [],
    summary: 'stop a connector (its offsets may then change)',
  },
  delete: { args: ['<name>'], options: [], summary: 'delete a connector (its offsets stay)' },
  restart: {
    args: ['<name>'],
    options: ['include-tasks', 'only-failed'],
    summary: 'restart a connector, and with --include-tasks its tasks',
  },
  'restart-task': { args: ['<name>', '<task-id>'], options: [], summary: 'restart one task' },
  'offsets get': {
    args: ['<name>'],
    options: [],
    summary: "a connector's offsets (a sink's: its consumer group per queue)",
  },
  'offsets reset': {
    args: ['<name>'],
    options: [],
    summary: 'reset a STOPPED connector: a source from the start, a sink to the earliest message',
  },
  'offsets set': {
    args: ['<name>', '<file.json>'],
    options: [],
    summary: 'alter offsets of a STOPPED connector',
    more: [
      'The file holds {"offsets": [{"partition": {...}, "offset": {...}}, ...]}, or the list',
      "alone; a null offset removes that partition's offset. A sink's partition is",
      '{"rocketmq_topic", "rocketmq_broker", "rocketmq_queue"} and its offset {"rocketmq_offset"}',
      "(null: the queue's earliest message).",
    ],
  },
  validate: {
    args: ['<file>'],
    options: ['name'],
    summary: 'check a config file; exit code 1 when it has errors',
    more: CONFIG_FILE_HELP,
  },
  preview: {
    args: ['<file>'],
    options: ['name', 'limit', 'timeout-ms'],
    summary: 'show what a config does to records, producing and committing nothing',
    more: [
      "A source's task polls (from the connector's committed offsets, if it exists); a sink's",
      "topics' last messages are read without its consumer group moving. Each record is shown",
      'as polled or received, after each transform, and as its message; exit code 1 when the',
      'preview or a record failed.',
      ...CONFIG_FILE_HELP,
    ],
  },
  plugins: { args: [], options: ['all'], summary: 'the installed connector plugins' },
  'restore-state': {
    args: [],
    options: [
      'table',
      'rocketmq',
      'dynamodb-endpoint',
      'region',
      'config-topic',
      'offset-topic',
      'status-topic',
      'group',
      'idle-ms',
      'skip-invalid',
      'force',
    ],
    globals: ['json', 'help'],
    summary: 'rebuild an empty state table from the state topics',
    more: [
      'Talks to RocketMQ and DynamoDB itself, not to the Connect API (AWS credentials are found',
      'as the AWS SDK finds them). Reads the three state topics until --idle-ms passes without a',
      'message, keeps the latest change of each key, then writes the items; nothing is written',
      'if a message is invalid, or if no change at all was read. The table must be empty but for',
      "the coordinator's lease, unless --force (which replaces the items of the keys restored and",
      'deletes nothing). Secrets are masked in the state topics: they are restored as [hidden]',
      'and listed, to be set again with PATCH /connectors/<name>/config; a RUNNING connector with',
      'one is restored PAUSED, to resume (PUT /connectors/<name>/resume) once they are set.',
      "A new consumer group starts at a queue's first message only while the broker holds it in",
      "memory, else at the queue's end. The summary warns of a topic not read from the start of",
      'any queue, or from which nothing was read: then reset the group that read it to the start',
      '(mqadmin resetOffsetByTime -g GROUP -t TOPIC -s 0, for each topic) and run again with',
      '--group GROUP --force.',
      'The messages read are acked before anything is written: to run a failed restore again,',
      'use a new group (the default: leave out --group) or reset the given one as above first,',
      'and add --force if the table now holds part of the state.',
    ],
  },
  help: { args: ['[command]'], options: [], summary: 'help on one command' },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** The global options a command takes. */
export function globalOptionsOf(command: CommandName): readonly OptionName[] {
  const spec: CommandSpec = COMMANDS[command];
  return spec.globals ?? GLOBAL_OPTIONS;
}

/** `create <file> [--name NAME] [--paused] [--stopped]` */
export function synopsis(command: CommandName): string {
  const spec: CommandSpec = COMMANDS[command];
  const options = spec.options.map((o) => `[${optionText(o)}]`);
  return [command, ...spec.args, ...options].join(' ');
}

function optionText(option: OptionName): string {
  const spec: OptionSpec = OPTIONS[option];
  return spec.value === undefined ? `--${option}` : `--${option} ${spec.value}`;
}

/** Help on every command, or on the commands whose names start with `prefix` (`offsets`). */
export function helpText(prefix?: string): string {
  const commands =
    prefix === undefined ? COMMAND_NAMES : COMMAND_NAMES.filter((c) => isUnder(c, prefix));
  const lines: string[] = [];
  if (prefix === undefined) {
    lines.push(
      'rmq-connect: manage RocketMQ Connect connectors through the Connect REST API, and restore',
      'its state table from the state topics',
      '',
      'Usage: rmq-connect <command> [arguments] [options]',
      '',
      'Commands:',
    );
    const heads = commands.map((c) => [c, ...COMMANDS[c].args].join(' '));
    const width = Math.max(...heads.map((h) => h.length));
    commands.forEach((c, i) => lines.push(`  ${heads[i]!.padEnd(width)}  ${COMMANDS[c].summary}`));
  } else {
    for (const c of commands) {
      if (lines.length > 0) lines.push('');
      const spec: CommandSpec = COMMANDS[c];
      lines.push(`Usage: rmq-connect ${synopsis(c)}`, `  ${spec.summary}`);
      for (const line of spec.more ?? []) lines.push(`  ${line}`);
    }
    const own = [...new Set(commands.flatMap((c) => COMMANDS[c].options))];
    if (own.length > 0) lines.push('', 'Options:', ...optionLines(own));
  }
  lines.push(...globalOptionLines(commands));
  if (prefix === undefined) {
    lines.push(
      '',
      'Config files (create, apply, validate, preview):',
      ...CONFIG_FILE_HELP.map((line) => `  ${line}`),
      '',
      'Exit codes: 0 done; 1 the API refused or could not be reached, a file is missing or',
      'invalid, validate found errors, or restore-state refused or failed; 2 the command line',
      'is wrong.',
      '',
      'rmq-connect help <command> shows its options.',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `offsets get` is under `offsets` and under itself. */
export function isUnder(command: CommandName, prefix: string): boolean {
  return command === prefix || command.startsWith(`${prefix} `);
}

/**
 * The global options of `commands`: those every command takes, then those only some take
 * (the API's --url and --token), under a heading naming the commands that do not.
 */
function globalOptionLines(commands: readonly CommandName[]): string[] {
  const shown = GLOBAL_OPTIONS.filter((o) => commands.some((c) => globalOptionsOf(c).includes(o)));
  const everywhere = (o: OptionName) => COMMAND_NAMES.every((c) => globalOptionsOf(c).includes(o));
  const common = shown.filter(everywhere);
  const some = shown.filter((o) => !everywhere(o));
  const lines = common.length > 0 ? ['', 'Options of every command:', ...optionLines(common)] : [];
  if (some.length > 0) {
    const without = COMMAND_NAMES.filter((c) => !some.every((o) => globalOptionsOf(c).includes(o)));
    lines.push('', `Options of every command but ${without.join(', ')}:`, ...optionLines(some));
  }
  return lines;
}

function optionLines(options: readonly OptionName[]): string[] {
  const texts = options.map(optionText);
  const width = Math.max(...texts.map((t) => t.length));
  return options.map((o, i) => `  ${texts[i]!.padEnd(width)}  ${OPTIONS[o].help}`);
}
