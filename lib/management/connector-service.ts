import type { PluginRegistry } from '../api/registry.js';
import { NonRetriableError } from '../api/errors.js';
import { parseConnectorConfig } from '../config/parse.js';
import type { ConnectorConfig, ConnectorRecord, StateStore, TargetState } from '../state/types.js';

/** The connector's name is unusable, or differs from the `name` key of its config. */
export class ConnectorNameError extends NonRetriableError {
  override readonly name = 'ConnectorNameError';
}

/** Kafka Connect refuses empty names and ISO control characters; we also bound the length. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_NAME = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Creating and changing connectors: every config is parsed and validated before anything is
 * written, so a bad config leaves the state exactly as it was. The REST API and CLI sit on this.
 */
export class ConnectorService {
  constructor(
    private readonly store: StateStore,
    private readonly registry: PluginRegistry,
    /** Wakes the coordinator after a change, so it acts in seconds rather than at the next tick. */
    private readonly wake: (connector: string) => Promise<void> = () => Promise.resolve(),
    private readonly now: () => number = Date.now,
    private readonly log: (message: string) => void = (message) => console.warn(message),
  ) {}

  /** Fails with ConfigValidationError or ConnectorNameError (nothing written), or ConnectorExistsError. */
  async create(
    name: string,
    config: ConnectorConfig,
    initialState: TargetState = 'RUNNING',
  ): Promise<ConnectorRecord> {
    const checked = this.check(name, config);
    const record = await this.store.createConnector(name, checked, initialState, this.now());
    await this.wakeCoordinator(name);
    return record;
  }

  /** Creates or replaces the config (PUT semantics). Fails with ConfigValidationError. */
  async putConfig(
    name: string,
    config: ConnectorConfig,
  ): Promise<{ record: ConnectorRecord; created: boolean }> {
    const checked = this.check(name, config);
    const result = await this.store.putConnectorConfig(name, checked, this.now());
    await this.wakeCoordinator(name);
    return result;
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

  /** The config as it will be stored: with its name, validated; throws ConfigValidationError. */
  private check(name: string, config: ConnectorConfig): ConnectorConfig {
    const withName = { ...config, name: config.name ?? name };
    const nameProblem = problemWithName(name, config.name);
    if (nameProblem) throw new ConnectorNameError(`name: ${nameProblem}`);
    parseConnectorConfig(withName, this.registry);
    return withName;
  }
}

function problemWithName(name: string, inConfig: string | undefined): string | undefined {
  if (name.trim() === '') return 'a connector name must not be empty or blank';
  if (name.length > 255)
    return `a connector name has at most 255 characters, this one has ${name.length}`;
  if (BAD_NAME.test(name)) return 'a connector name must not contain control characters';
  if (inConfig !== undefined && inConfig !== name) {
    return `the config says name=${JSON.stringify(inConfig)} but the connector is ${JSON.stringify(name)}`;
  }
  return undefined;
}
