import type { ConnectorPlugin } from '../api/connector.js';
import { PluginNotFoundError } from '../api/errors.js';
import type { PluginRegistry } from '../api/registry.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import { ConfigAnalysis } from './analysis.js';
import { type CommonKeyValues, COMMON_KEY_NAMES } from './common-keys.js';
import { parseCommonKeys } from './common-parse.js';
import { COMPONENT_PREFIXES, type Components, parseComponents } from './components.js';
import { ConfigValidationError } from './errors.js';
import { isSecretKey } from './mask.js';
import { type ConfigReference, findReferences, referenceProblemMessage } from './references.js';
import { buildConfigInfos, type ConfigInfos } from './validate-result.js';

/** What every connector config says beyond its plugin's own keys, parsed and typed. */
export type CommonConfig = ReturnType<typeof toCommonConfig>;

function toCommonConfig(v: CommonKeyValues, plugin: ConnectorPlugin, components: Components) {
  return {
    name: v.name,
    /** The plugin's class name as registered, whichever alias the config used. */
    connectorClass: plugin.className,
    type: plugin.type,
    /** `tasks.max` | `max.tasks`. */
    tasksMax: v['tasks.max'],
    /** Sink: `topics` | `connect.topicnames`; absent when `topicsRegex` is given. */
    topics: v.topics,
    /** Sink: matches whole topic names (see `topicPattern`). */
    topicsRegex: v['topics.regex'],
    /** Source: `topic` | `connect.topicname`, for records that name no topic. */
    topic: v.topic,
    /** Sink: `consumer.group` | `task.group.id`; absent means the runtime's default. */
    consumerGroup: v['consumer.group'],
    /** Absent converters mean the runtime's defaults. */
    keyConverter: components.keyConverter,
    valueConverter: components.valueConverter,
    headerConverter: components.headerConverter,
    /** In order of `transforms`. */
    transforms: components.transforms,
    predicates: components.predicates,
    errors: {
      tolerance: v['errors.tolerance'],
      /** -1: retry forever; 0: never retry. */
      retryTimeoutMs: v['errors.retry.timeout'],
      retryDelayMaxMs: v['errors.retry.delay.max.ms'],
      deadLetterQueueTopic: v['errors.deadletterqueue.topic.name'],
      deadLetterQueueContextHeaders: v['errors.deadletterqueue.context.headers.enable'],
      logEnable: v['errors.log.enable'],
      logIncludeMessages: v['errors.log.include.messages'],
    },
    sliceMaxMs: v['slice.max.ms'],
    sliceMaxRecords: v['slice.max.records'],
    pollIntervalMs: v['poll.interval.ms'],
    offsetFlushIntervalMs: v['offset.flush.interval.ms'],
    messageGroupByKey: v['message.group.by.key'],
  };
}

/** `consumer.group`, or `connect-<name>` as Kafka Connect names a sink's group. */
export function consumerGroupOf(common: CommonConfig): string {
  return common.consumerGroup ?? `connect-${common.name.replace(/[^%|a-zA-Z0-9_-]/g, '_')}`;
}

export interface ParsedConnectorConfig {
  readonly common: CommonConfig;
  readonly plugin: ConnectorPlugin;
  /**
   * The plugin's `configSchema` output. Undefined when keys still holding `${...}` references
   * kept the schema from judging them: parse the resolved config inside the task to get it.
   */
  readonly pluginConfig: unknown;
  /** The `${...}` references the config holds, unresolved. */
  readonly references: readonly ConfigReference[];
}

/**
 * Parses a stored connector config: the common keys (either dialect), its converters and
 * transform chain, and the plugin's own keys with the plugin's schema and `validate`.
 * Fails with ConfigValidationError, whose `result` is the validate endpoint's answer.
 *
 * @example
 * const { common, plugin } = parseConnectorConfig(config, registry);
 * plugin.taskConfigs(config, common.tasksMax);
 */
export function parseConnectorConfig(
  config: ConnectorConfig,
  registry: PluginRegistry,
): ParsedConnectorConfig {
  const checked = check(config, registry);
  if (!checked.parsed) {
    throw new ConfigValidationError(checked.result, checked.analysis.summary());
  }
  return checked.parsed;
}

/**
 * The answer of `PUT /connector-plugins/{p}/config/validate` (Kafka Connect's `ConfigInfos`):
 * every key with its definition, its value (secrets masked) and its errors; error_count 0 when
 * valid. Keys nobody defines are allowed and listed without errors.
 */
export function validateConnectorConfig(
  config: ConnectorConfig,
  registry: PluginRegistry,
): ConfigInfos {
  return check(config, registry).result;
}

/**
 * Both answers of one check: the validate endpoint's `result`, and the parsed config when it is
 * valid (undefined otherwise), for callers that need the two without parsing twice.
 */
export function checkConnectorConfig(
  config: ConnectorConfig,
  registry: PluginRegistry,
): { readonly result: ConfigInfos; readonly parsed: ParsedConnectorConfig | undefined } {
  const { result, parsed } = check(config, registry);
  return { result, parsed };
}

function check(config: ConnectorConfig, registry: PluginRegistry) {
  const { references, problems } = findReferences(config);
  const analysis = new ConfigAnalysis(config, new Set(references.map((r) => r.key)));

  const plugin = findPlugin(analysis, registry);
  const common = parseCommonKeys(analysis, plugin?.type);
  const components = parseComponents(analysis, registry);
  const pluginConfig = plugin && parsePluginKeys(analysis, plugin);
  // Last, once every definition is known: a secret key's malformed value is not quoted.
  for (const p of problems) {
    analysis.problem(p.key, referenceProblemMessage(p, isSecretKey(p.key, analysis.defs())));
  }

  const result = buildConfigInfos(
    plugin?.className ?? config['connector.class'] ?? '',
    analysis.reports(),
  );
  const parsed: ParsedConnectorConfig | undefined =
    plugin && common && components && !analysis.hasProblems()
      ? {
          common: toCommonConfig(common.values, plugin, components),
          plugin,
          pluginConfig: pluginConfig?.value,
          references,
        }
      : undefined;
  return { analysis, result, parsed };
}

function findPlugin(a: ConfigAnalysis, registry: PluginRegistry): ConnectorPlugin | undefined {
  const key = 'connector.class';
  const name = a.config[key]?.trim();
  // A missing or blank class, or a reference, is reported with the common keys.
  if (!name || a.referenceKeys.has(key)) return undefined;
  try {
    return registry.get(name);
  } catch (err) {
    if (!(err instanceof PluginNotFoundError)) throw err;
    a.invalid(key, err.message);
    return undefined;
  }
}

/** Whether a key belongs to the platform rather than to the connector plugin. */
export function isCommonKey(key: string): boolean {
  return COMMON_KEY_NAMES.has(key) || COMPONENT_PREFIXES.some((p) => key.startsWith(p));
}

function parsePluginKeys(a: ConfigAnalysis, plugin: ConnectorPlugin): { value: unknown } {
  for (const def of plugin.configDef) a.list(def.name, def);
  const own = Object.fromEntries(Object.entries(a.config).filter(([key]) => !isCommonKey(key)));
  // A plugin's own keys are its business; a problem without a key goes on the class key.
  const keyOf = (field: string | undefined) => field ?? 'connector.class';
  let value: unknown;
  try {
    const parsed = plugin.configSchema.safeParse(own);
    if (parsed.success) value = parsed.data;
    else a.issues(parsed.error.issues, keyOf);
    for (const p of plugin.validate?.(a.config) ?? []) a.problem(p.key, p.message);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    a.problem('connector.class', `${plugin.className} failed to check its config: ${reason}`);
  }
  return { value };
}
