import type { PluginRegistry } from '../api/registry.js';
import { ConfigValidationError } from '../config/errors.js';
import {
  checkConnectorConfig,
  parseConnectorConfig,
  validateConnectorConfig,
  type ParsedConnectorConfig,
} from '../config/parse.js';
import { withProblems, type ConfigInfos, type KeyProblem } from '../config/validate-result.js';
import { ConnectorExistsError, ConnectorNotFoundError, StaleWriteError } from '../state/errors.js';
import type {
  ConnectorRecord,
  ConnectorState,
  StateStore,
  TargetState,
  TaskConfigsRecord,
} from '../state/types.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import type { OffsetEntry, SourceOffset, SourcePartition } from '../api/source-offsets.js';
import { groupBy } from '../util/group-by.js';
import { hasLoneSurrogate } from '../util/unicode.js';
import { checkTopics, topicNeeds, type TopicCatalog } from './topics.js';
import { ConnectorOffsets } from './connector-offsets.js';
import { ConnectorNameError, NotApplicableError } from './errors.js';
import type { PreviewAnswer } from '../runtime/preview.js';
import {
  PREVIEW_DEFAULT_RECORDS,
  PREVIEW_DEFAULT_TIMEOUT_MS,
  type PreviewRequest,
  type SampleMessage,
} from '../runtime/preview-request.js';
import type { ConsumerGroupOffsets } from './sink-offsets.js';
import { sizeProblems } from './config-size.js';
import {
  restartConnector,
  restartTask,
  type RestartOptions,
  type RestartPlan,
} from './restarts.js';

/** Kafka Connect refuses empty names and ISO control characters; we also bound the length. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_NAME = /[\u0000-\u001f\u007f-\u009f]/;

/** How often a read-modify-write (PATCH) is tried when another change lands in between. */
const PATCH_ATTEMPTS = 5;

/**
 * Checks a config against the system it names (the plugin's `checkSystem`: reach the host, log
 * in, find the table) and returns the problems on their keys. The hook runs in the task
 * function, never in the api: adapters are `lambdaSystemCheck` (lib/coordinator/dispatch.ts)
 * and `inProcessSystemCheck` (lib/runtime/system-check.ts). Answers no problem when the check
 * itself cannot be had, so that its outage never blocks a change.
 */
export type SystemCheck = (config: ConnectorConfig) => Promise<KeyProblem[]>;

/**
 * Runs a preview of a config (lib/runtime/preview.ts) where the task code runs: adapters are
 * `lambdaPreviewer` (lib/coordinator/dispatch.ts), and `previewConnector` in process.
 */
export type Previewer = (request: PreviewRequest) => Promise<PreviewAnswer>;

/** What a preview asks for; the stored config is previewed when it names none. */
export interface PreviewAsk {
  readonly config?: ConnectorConfig;
  readonly limit?: number;
  readonly timeoutMs?: number;
  readonly samples?: readonly SampleMessage[];
}

export interface ConnectorServiceDeps {
  readonly store: StateStore;
  readonly registry: PluginRegistry;
  /** Checks, and where it can creates, the topics a config names; absent: topics are not checked. */
  readonly topics?: TopicCatalog;
  /**
   * Checks configs whose plugin has `checkSystem` against their system, once they are otherwise
   * valid; absent: not checked.
   */
  readonly systemCheck?: SystemCheck;
  /** Previews configs; absent: the preview endpoint answers that it is not available. */
  readonly previewer?: Previewer;
  /** Sink connectors' consumer groups, for their offsets; absent: a sink has none to show. */
  readonly groupOffsets?: ConsumerGroupOffsets;
  /** Wakes the coordinator after a change, so it acts in seconds rather than at the next tick. */
  readonly wake?: (connector: string) => Promise<void>;
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

/**
 * Creating, changing and operating connectors: what the REST API and the CLI do. Every config
 * is parsed and validated (and its topics checked) before anything is written, so a bad config
 * leaves the state exactly as it was.
 */
export class ConnectorService {
  private readonly store: StateStore;
  private readonly registry: PluginRegistry;
  private readonly topics: TopicCatalog | undefined;
  private readonly systemCheck: SystemCheck | undefined;
  private readonly previewer: Previewer | undefined;
  private readonly wake: (connector: string) => Promise<void>;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly offsetsApi: ConnectorOffsets;

  constructor(deps: ConnectorServiceDeps) {
    this.store = deps.store;
    this.registry = deps.registry;
    this.topics = deps.topics;
    this.systemCheck = deps.systemCheck;
    this.previewer = deps.previewer;
    this.wake = deps.wake ?? (() => Promise.resolve());
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? ((message) => console.warn(message));
    this.offsetsApi = new ConnectorOffsets({
      store: this.store,
      registry: this.registry,
      ...(deps.groupOffsets ? { groupOffsets: deps.groupOffsets } : {}),
      now: this.now,
    });
  }

  /**
   * The validate endpoint's answer: every key with its errors, plus topics that do not exist
   * and cannot be created, a config too large to store, and what the system it names says.
   */
  async validate(config: ConnectorConfig): Promise<ConfigInfos> {
    const { result, parsed } = checkConnectorConfig(config, this.registry);
    if (!parsed) return result;
    return withProblems(result, await this.problems(config, parsed, { create: false }));
  }

  /** Fails with ConfigValidationError or ConnectorNameError (nothing written), or ConnectorExistsError. */
  async create(
    name: string,
    config: ConnectorConfig,
    initialState: TargetState = 'RUNNING',
  ): Promise<ConnectorRecord> {
    // Before the config's checks: a taken name must not get topics created for it. The write
    // below is conditional all the same, for a create racing this one.
    checkName(name, config.name);
    if (await this.store.getConnector(name)) throw new ConnectorExistsError(name);
    const checked = await this.check(name, config);
    const record = await this.store.createConnector(name, checked, initialState, this.now());
    await this.wakeCoordinator(name);
    return record;
  }

  /** Creates or replaces the config (PUT semantics). Fails with ConfigValidationError. */
  async putConfig(
    name: string,
    config: ConnectorConfig,
  ): Promise<{ record: ConnectorRecord; created: boolean }> {
    const checked = await this.check(name, config);
    const result = await this.store.putConnectorConfig(name, checked, this.now());
    await this.wakeCoordinator(name);
    return result;
  }

  /**
   * Changes some keys of an existing config (Kafka Connect's PATCH): a null value removes the
   * key. The merge is written only if no other change landed since it was read.
   */
  async patchConfig(
    name: string,
    patch: Readonly<Record<string, string | null>>,
  ): Promise<ConnectorRecord> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(name, 'patch its config');
      const merged: Record<string, string> = { ...current.config };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      const checked = await this.check(name, merged);
      try {
        const { record } = await this.store.putConnectorConfig(
          name,
          checked,
          this.now(),
          current.version,
        );
        await this.wakeCoordinator(name);
        return record;
      } catch (error) {
        if (!(error instanceof StaleWriteError) || attempt >= PATCH_ATTEMPTS) throw error;
      }
    }
  }

  async setTargetState(name: string, targetState: TargetState): Promise<ConnectorRecord> {
    const record = await this.store.setTargetState(name, targetState, this.now());
    await this.wakeCoordinator(name);
    return record;
  }

  /** Removes config, tasks and status; offsets stay until reset, as in Kafka Connect. */
  async delete(name: string): Promise<void> {
    await this.store.deleteConnector(name);
    await this.wakeCoordinator(name);
  }

  /** The connector with its task configs, status and tasks; ConnectorNotFoundError when absent. */
  async describe(name: string): Promise<ConnectorState> {
    const state = await this.store.describeConnector(name);
    if (!state) throw new ConnectorNotFoundError(name, 'read its state');
    return state;
  }

  /** Every connector with its task configs, status and tasks, from one scan of the table. */
  async describeAll(): Promise<ConnectorState[]> {
    const snapshot = await this.store.snapshot();
    const taskConfigs = new Map(snapshot.taskConfigs.map((t) => [t.connector, t]));
    const statuses = new Map(snapshot.connectorStatuses.map((s) => [s.connector, s]));
    const tasks = groupBy(snapshot.tasks, (t) => t.connector);
    return snapshot.connectors.map((connector) => {
      const own = taskConfigs.get(connector.name);
      const status = statuses.get(connector.name);
      return {
        connector,
        tasks: tasks.get(connector.name) ?? [],
        ...(own ? { taskConfigs: own } : {}),
        ...(status ? { status } : {}),
      };
    });
  }

  /** Every connector, by name. */
  async list(): Promise<ConnectorRecord[]> {
    const all: ConnectorRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.listConnectors(cursor === undefined ? {} : { cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return all;
  }

  /** Kafka Connect's restart (KIP-745): the connector, and with `includeTasks` its tasks. */
  async restart(name: string, options: RestartOptions): Promise<RestartPlan> {
    const plan = await restartConnector(this.store, name, options, this.now);
    await this.wakeCoordinator(name);
    return plan;
  }

  async restartTask(name: string, taskId: number): Promise<void> {
    await restartTask(this.store, name, taskId, this.now);
    await this.wakeCoordinator(name);
  }

  /** A source's committed offsets, or a sink's consumer group positions (sink-offsets.ts). */
  offsets(name: string): Promise<OffsetEntry[]> {
    return this.offsetsApi.read(name);
  }

  /** Replaces (or, with a null offset, removes or rewinds) offsets; only while STOPPED. */
  alterOffsets(
    name: string,
    entries: readonly { partition: SourcePartition; offset: SourceOffset | null }[],
  ): Promise<void> {
    return this.offsetsApi.alter(name, entries);
  }

  /** Every offset removed (a source) or rewound (a sink): the next run starts from the beginning; only while STOPPED. */
  resetOffsets(name: string): Promise<void> {
    return this.offsetsApi.reset(name);
  }

  /** The connector's current task configs; undefined before the coordinator computed them. */
  taskConfigs(name: string): Promise<TaskConfigsRecord | undefined> {
    return this.store.getTaskConfigs(name);
  }

  /** The connector; ConnectorNotFoundError when absent. */
  async get(name: string, action = 'read it'): Promise<ConnectorRecord> {
    const record = await this.store.getConnector(name);
    if (!record) throw new ConnectorNotFoundError(name, action);
    return record;
  }

  /**
   * The change is already stored when this runs: a failed wake-up must not turn it into an
   * error (a retry would then find the connector existing). The next schedule tick catches up.
   */
  private async wakeCoordinator(connector: string): Promise<void> {
    try {
      await this.wake(connector);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log(
        `${connector}: could not wake the coordinator (${reason}); the next tick applies the change`,
      );
    }
  }

  /**
   * What the connector's config does to records, shown without producing, acknowledging or
   * committing anything: the given config (a connector not created yet, or a change), else the
   * stored one. The config is checked as for a create first (ConfigValidationError), but its
   * topics are not created and its system is not asked: the preview reaches it anyway.
   */
  async preview(name: string, ask: PreviewAsk): Promise<PreviewAnswer> {
    if (!this.previewer) {
      throw new NotApplicableError('previews are not available here: no task function to run them');
    }
    let config = ask.config;
    if (config === undefined) {
      const stored = await this.store.getConnector(name);
      if (!stored)
        throw new ConnectorNotFoundError(
          name,
          'preview it (give a config in the body to preview one not created yet)',
        );
      config = stored.config;
    }
    checkName(name, config.name);
    const withName = { ...config, name };
    parseConnectorConfig(withName, this.registry);
    return this.previewer({
      config: withName,
      limit: ask.limit ?? PREVIEW_DEFAULT_RECORDS,
      timeoutMs: ask.timeoutMs ?? PREVIEW_DEFAULT_TIMEOUT_MS,
      ...(ask.samples && { samples: ask.samples }),
    });
  }

  /**
   * The config as it will be stored: with its name, validated, small enough to store, accepted
   * by the system it names, its topics there (created where they can be). Throws
   * ConfigValidationError.
   */
  private async check(name: string, config: ConnectorConfig): Promise<ConnectorConfig> {
    checkName(name, config.name);
    const withName = { ...config, name: config.name ?? name };
    const parsed = parseConnectorConfig(withName, this.registry);
    const problems = await this.problems(withName, parsed, { create: true });
    if (problems.length > 0) {
      const result = withProblems(validateConnectorConfig(withName, this.registry), problems);
      throw new ConfigValidationError(
        result,
        problems.map((p) => `${p.key}: ${p.message}`),
      );
    }
    return withName;
  }

  private async problems(
    config: ConnectorConfig,
    parsed: ParsedConnectorConfig,
    options: { create: boolean },
  ): Promise<KeyProblem[]> {
    const tooLarge = sizeProblems(config, parsed.common.tasksMax);
    // Nothing is asked of other systems for a config that will be refused anyway.
    if (tooLarge.length > 0) return tooLarge;
    const system = await this.systemProblems(config, parsed);
    if (!this.topics) return system;
    // Nor are topics created for a config its system refused; they are still checked, so the
    // answer holds every problem at once.
    const topics = await checkTopics(this.topics, topicNeeds(parsed, config), {
      create: options.create && system.length === 0,
    });
    return [...topics, ...system];
  }

  /** Only for plugins with the hook: for the others the check would cost an invoke for nothing. */
  private async systemProblems(
    config: ConnectorConfig,
    parsed: ParsedConnectorConfig,
  ): Promise<KeyProblem[]> {
    if (!this.systemCheck || !parsed.plugin.checkSystem) return [];
    return this.systemCheck(config);
  }
}

/** Throws ConnectorNameError when the name is unusable or differs from the config's `name`. */
function checkName(name: string, inConfig: string | undefined): void {
  const problem = problemWithName(name, inConfig);
  if (problem) throw new ConnectorNameError(`name: ${problem}`);
}

function problemWithName(name: string, inConfig: string | undefined): string | undefined {
  if (name.trim() === '') return 'a connector name must not be empty or blank';
  if (name.length > 255)
    return `a connector name has at most 255 characters, this one has ${name.length}`;
  if (BAD_NAME.test(name)) return 'a connector name must not contain control characters';
  if (hasLoneSurrogate(name))
    return 'a connector name must be well-formed Unicode (no lone surrogates)';
  if (name !== name.trim()) return 'a connector name must not start or end with whitespace';
  // A URL path cannot name them: clients and browsers resolve them as path steps.
  if (name === '.' || name === '..') return `a connector name cannot be "${name}"`;
  if (inConfig !== undefined && inConfig !== name) {
    return `the config says name=${JSON.stringify(inConfig)} but the connector is ${JSON.stringify(name)}`;
  }
  return undefined;
}
