import type { PluginInfo } from '../api/registry.js';
import type { ConfigInfos } from '../config/validate-result.js';
import type { ConnectorInfo, ConnectorStateInfo } from '../http/views.js';
import type { Options, RunnableCommand } from './args.js';
import { apiPath, type ConnectClient } from './client.js';
import {
  connectorRequest,
  readConnectorFile,
  readOffsetsFile,
  type ConnectorRequest,
  type ReadFile,
} from './config-file.js';
import { CliInputError, UsageError } from './errors.js';
import { connectorsTable, pluginsTable, previewReport, statusReport } from './table.js';
import type { PreviewAnswer } from '../runtime/preview.js';

/** What a command works with; its arguments are as many as its synopsis names (args.ts). */
export interface CommandContext {
  readonly client: ConnectClient;
  readonly args: readonly string[];
  readonly options: Options;
  readonly readFile: ReadFile;
  /** Results, to stdout. */
  readonly out: (text: string) => void;
  /** Notes beside the results, to stderr. */
  readonly note: (text: string) => void;
}

/** Runs a command and answers its exit code; failures are thrown as CliError. */
type Command = (c: CommandContext) => Promise<number>;

/** The commands that talk to the Connect API; restore-state (restore-state.ts) does not. */
export type ApiCommand = Exclude<RunnableCommand, 'restore-state'>;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The first argument, the connector's name, as a path under /connectors. */
const connector = (c: CommandContext, ...rest: (string | number)[]) =>
  apiPath('connectors', c.args[0]!, ...rest);

async function fileRequest(c: CommandContext) {
  const path = c.args[0]!;
  const file = await readConnectorFile(path, c.readFile);
  return { path, file, request: connectorRequest(path, file, c.options.name) };
}

/** `pause`, `resume`, `stop`: an empty answer once the change is stored. */
const targetState =
  (action: 'pause' | 'resume' | 'stop', doing: string): Command =>
  async (c) => {
    await c.client.request('PUT', connector(c, action));
    c.out(`${doing} connector ${c.args[0]}\n`);
    return 0;
  };

/** Prints a JSON answer as it is. */
const show =
  (...rest: string[]): Command =>
  async (c) => {
    c.out(json((await c.client.request('GET', connector(c, ...rest))).body));
    return 0;
  };

export const COMMAND_HANDLERS: Readonly<Record<ApiCommand, Command>> = {
  async create(c) {
    const { file, request } = await fileRequest(c);
    const initialState = c.options.paused
      ? 'PAUSED'
      : c.options.stopped
        ? 'STOPPED'
        : file.initialState;
    const { body } = await c.client.request('POST', apiPath('connectors'), {
      name: request.name,
      config: request.config,
      ...(initialState === undefined ? {} : { initial_state: initialState }),
    });
    if (c.options.json) c.out(json(body));
    else {
      const state = initialState === undefined ? '' : `, ${initialState}`;
      c.out(`created connector ${request.name} (${(body as ConnectorInfo).type}${state})\n`);
    }
    return 0;
  },

  async apply(c) {
    const { path, file, request } = await fileRequest(c);
    if (file.initialState !== undefined) {
      c.note(
        `note: initial_state in ${path} is used by create only; apply leaves the state as it is\n`,
      );
    }
    const { status, body } = await c.client.request(
      'PUT',
      apiPath('connectors', request.name, 'config'),
      request.config,
    );
    if (c.options.json) c.out(json(body));
    else {
      const what = status === 201 ? 'created' : 'updated';
      c.out(`${what} connector ${request.name} (${(body as ConnectorInfo).type})\n`);
    }
    return 0;
  },

  async list(c) {
    if (c.options.status) {
      const { body } = await c.client.request('GET', `${apiPath('connectors')}?expand=status`);
      c.out(
        c.options.json
          ? json(body)
          : connectorsTable(body as Record<string, { status?: ConnectorStateInfo }>),
      );
      return 0;
    }
    const { body } = await c.client.request('GET', apiPath('connectors'));
    const names = body as string[];
    c.out(c.options.json ? json(names) : names.map((n) => `${n}\n`).join(''));
    return 0;
  },

  async status(c) {
    const { body } = await c.client.request('GET', connector(c, 'status'));
    const status = body as ConnectorStateInfo;
    c.out(
      c.options.json ? json(status) : statusReport(status, { trace: c.options.trace === true }),
    );
    return 0;
  },

  config: show('config'),
  tasks: show('tasks'),
  pause: targetState('pause', 'pausing'),
  resume: targetState('resume', 'resuming'),
  stop: targetState('stop', 'stopping'),

  async delete(c) {
    await c.client.request('DELETE', connector(c));
    c.out(`deleted connector ${c.args[0]}\n`);
    return 0;
  },

  async restart(c) {
    const query = new URLSearchParams();
    if (c.options['include-tasks']) query.set('includeTasks', 'true');
    if (c.options['only-failed']) query.set('onlyFailed', 'true');
    const suffix = query.toString() === '' ? '' : `?${query.toString()}`;
    const { body } = await c.client.request('POST', `${connector(c, 'restart')}${suffix}`);
    if (c.options.json) {
      if (body !== undefined) c.out(json(body));
      return 0;
    }
    if (body === undefined) {
      c.out(`restarting connector ${c.args[0]}\n`); // 204: the connector alone
      return 0;
    }
    const status = body as ConnectorStateInfo;
    const what = [
      ...(status.connector.state === 'RESTARTING' ? ['the connector'] : []),
      ...status.tasks.filter((t) => t.state === 'RESTARTING').map((t) => `task ${t.id}`),
    ];
    c.out(
      what.length > 0
        ? `restarting ${c.args[0]}: ${what.join(', ')}\n`
        : `nothing to restart in ${c.args[0]}: nothing is FAILED\n`,
    );
    return 0;
  },

  async 'restart-task'(c) {
    const id = c.args[1]!;
    if (!/^\d+$/.test(id)) {
      throw new UsageError(`the task id must be a number (0, 1, ...), not ${JSON.stringify(id)}`);
    }
    await c.client.request('POST', connector(c, 'tasks', Number(id), 'restart'));
    c.out(`restarting task ${id} of ${c.args[0]}\n`);
    return 0;
  },

  'offsets get': show('offsets'),

  async 'offsets reset'(c) {
    const { body } = await c.client.request('DELETE', connector(c, 'offsets'));
    c.out(c.options.json ? json(body) : `${messageOf(body)}\n`);
    return 0;
  },

  async 'offsets set'(c) {
    const offsets = await readOffsetsFile(c.args[1]!, c.readFile);
    const { body } = await c.client.request('PATCH', connector(c, 'offsets'), offsets);
    c.out(c.options.json ? json(body) : `${messageOf(body)}\n`);
    return 0;
  },

  async validate(c) {
    const { path, request } = await fileRequest(c);
    const plugin = request.config['connector.class'];
    if (plugin === undefined || plugin.trim() === '') {
      throw new CliInputError(
        `${path} has no connector.class, which names the plugin to validate against`,
      );
    }
    const { body } = await c.client.request(
      'PUT',
      apiPath('connector-plugins', plugin, 'config', 'validate'),
      withName(request),
    );
    const result = body as ConfigInfos;
    if (c.options.json) c.out(json(result));
    else if (result.error_count === 0) c.out(`valid\n`);
    else {
      const lines = result.configs.flatMap((k) =>
        k.value.errors.map((e) => `${k.value.name}: ${e}\n`),
      );
      const count = `${result.error_count} error${result.error_count === 1 ? '' : 's'}`;
      c.out(`${lines.join('')}invalid: ${count} in ${path}\n`);
    }
    return result.error_count > 0 ? 1 : 0;
  },

  async preview(c) {
    const { request } = await fileRequest(c);
    const number = (option: 'limit' | 'timeout-ms') => {
      const text = c.options[option];
      if (text === undefined) return undefined;
      if (!/^\d+$/.test(text))
        throw new UsageError(`--${option} takes a whole number, not ${text}`);
      return Number(text);
    };
    const limit = number('limit');
    const timeoutMs = number('timeout-ms');
    const { body } = await c.client.request(
      'POST',
      apiPath('connectors', request.name, 'preview'),
      {
        config: withName(request),
        ...(limit !== undefined && { limit }),
        ...(timeoutMs !== undefined && { timeoutMs }),
      },
    );
    const answer = body as PreviewAnswer;
    c.out(c.options.json ? json(answer) : previewReport(answer));
    const failed = answer.error !== undefined || answer.records.some((r) => r.outcome === 'failed');
    return failed ? 1 : 0;
  },

  async plugins(c) {
    const query = c.options.all ? '?connectorsOnly=false' : '';
    const { body } = await c.client.request('GET', `${apiPath('connector-plugins')}${query}`);
    c.out(c.options.json ? json(body) : pluginsTable(body as PluginInfo[]));
    return 0;
  },
};

/** The validate endpoint checks `name` like any required key: it gets the name create would use. */
function withName(request: ConnectorRequest): Record<string, string> {
  return { ...request.config, name: request.config.name ?? request.name };
}

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : JSON.stringify(body);
}
