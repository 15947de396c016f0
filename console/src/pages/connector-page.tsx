import { useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api-client.js';
import { type ApiClient } from '../api-client.js';
import type {
  ConnectorMetrics,
  ConnectorStatus,
  PreviewAnswer,
  SourceOffsets,
} from '../api-types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorMessage } from '../components/error-message.js';
import { PreviewResult } from '../components/preview-result.js';
import { ProblemBanner } from '../components/problem-banner.js';
import { RateChart } from '../components/rate-chart.js';
import { StateBadge } from '../components/state-badge.js';
import { totalOf } from '../connector-summary.js';
import { pluginTitle } from '../config-form.js';
import { formatAgo, formatCount, formatRate } from '../format.js';
import { usePoll, usePreview } from '../hooks.js';
import { RateHistory } from '../rates.js';

const REFRESH_MS = 2_000;
const CONFIG_REFRESH_MS = 30_000;

interface Details {
  readonly status: ConnectorStatus;
  /** Masked by the API. */
  readonly config: Record<string, string>;
  readonly metrics: ConnectorMetrics;
  /**
   * A source's committed offsets, or a sink's consumer group positions per queue; undefined
   * for a sink where the API has no name server to ask (it answers 400).
   */
  readonly offsets: SourceOffsets | undefined;
}

/** An action the page can take, with what it costs when it loses something. */
interface Action {
  readonly label: string;
  readonly run: () => Promise<unknown>;
  readonly confirm?: { readonly title: string; readonly text: string; readonly danger?: boolean };
  /** The page is gone once it is done (delete): nothing to refresh. */
  readonly leavesPage?: boolean;
}

/** One connector: states, throughput chart, tasks, offsets, config, and what can be done to it. */
export function ConnectorPage({ api, name }: { api: ApiClient; name: string }) {
  const path = `/connectors/${encodeURIComponent(name)}`;
  const history = useRef(new RateHistory());
  const [asking, setAsking] = useState<Action>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [restartTasks, setRestartTasks] = useState(false);
  const [onlyFailed, setOnlyFailed] = useState(false);
  const configRead = useRef<{ at: number; config: Record<string, string> }>(undefined);
  const preview = usePreview();

  const polled = usePoll<Details>(
    async () => {
      // The config changes only when someone puts a new one: read it now and then, not per poll.
      // (Not GET /connectors/{name}: for a connector named `list` that is RocketMQ Connect's list.)
      const kept = configRead.current;
      const [status, config, metrics] = await Promise.all([
        api.get<ConnectorStatus>(`${path}/status`),
        kept && Date.now() - kept.at < CONFIG_REFRESH_MS
          ? kept.config
          : api.get<Record<string, string>>(`${path}/config`),
        api.get<ConnectorMetrics>(`${path}/metrics`),
      ]);
      if (config !== kept?.config) configRead.current = { at: Date.now(), config };
      history.current.add(metrics);
      const offsets =
        status.type === 'source'
          ? await api.get<SourceOffsets>(`${path}/offsets`)
          : await api.get<SourceOffsets>(`${path}/offsets`).catch(() => undefined);
      return { status, config, metrics, offsets };
    },
    REFRESH_MS,
    name,
  );

  const run = async (action: Action) => {
    setAsking(undefined);
    setActionError(undefined);
    setDone(undefined);
    setBusy(true);
    try {
      await action.run();
      if (action.leavesPage) return;
      setDone(`${action.label}: done.`);
      polled.refresh();
    } catch (error) {
      setActionError(error as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const ask = (action: Action) => (action.confirm ? setAsking(action) : void run(action));

  const data = polled.data;
  if (!data) {
    return (
      <section>
        <p>
          <a href="#/">Back to connectors</a>
        </p>
        {polled.error ? (
          <ProblemBanner failure={polled.error} onRetry={polled.refresh} />
        ) : (
          <p aria-busy="true">Loading {name}…</p>
        )}
      </section>
    );
  }
  const { status, config, metrics, offsets } = data;
  const state = status.connector.state;
  // The server's clock, as every time in the metrics is (the browser's may be off).
  const now = metrics.sampled_at;
  const recent = history.current.recent(now);
  const deadLettered = totalOf(metrics, 'dead_lettered');
  const errors = totalOf(metrics, 'record_errors');
  const dlqTopic = config['errors.deadletterqueue.topic.name'];

  const restartQuery = `?includeTasks=${restartTasks}&onlyFailed=${onlyFailed}`;
  const actions: Action[] = [
    state === 'PAUSED' || state === 'STOPPED'
      ? { label: 'Resume', run: () => api.call('PUT', `${path}/resume`) }
      : { label: 'Pause', run: () => api.call('PUT', `${path}/pause`) },
    {
      label: 'Restart',
      run: () => api.call('POST', `${path}/restart${restartQuery}`),
    },
    {
      label: 'Stop',
      run: () => api.call('PUT', `${path}/stop`),
      confirm: {
        title: `Stop ${name}?`,
        text: 'Its tasks end and it keeps no tasks until resumed; its config and offsets are kept. While stopped, its offsets can be reset.',
      },
    },
    // A sink's offsets are its consumer group's in RocketMQ: resettable where the API reaches them.
    ...(status.type === 'source' || offsets !== undefined
      ? [
          {
            label: 'Reset offsets',
            run: () => api.call('DELETE', `${path}/offsets`),
            confirm: {
              title: `Reset the offsets of ${name}?`,
              text:
                status.type === 'source'
                  ? 'Its committed source offsets are removed: when resumed, it reads its source again from the beginning, so records it already copied are copied again.'
                  : 'Its consumer group goes back to the earliest message of every queue: when resumed, it writes again every message its topics still hold.',
              danger: true,
            },
          },
        ]
      : []),
    {
      label: 'Delete',
      run: async () => {
        await api.call('DELETE', path);
        location.hash = '#/';
      },
      leavesPage: true,
      confirm: {
        title: `Delete ${name}?`,
        text: 'Its config, tasks and status are removed. Its offsets stay until reset, so a connector created again with the same name resumes where this one stopped.',
        danger: true,
      },
    },
  ];

  return (
    <section aria-labelledby="connector-title">
      <p>
        <a href="#/">Back to connectors</a>
      </p>
      <div class="page-head">
        <h1 id="connector-title">{name}</h1>
        <StateBadge state={state} />
      </div>
      <p class="muted">
        {status.type} connector ·{' '}
        <span title={config['connector.class']}>
          {pluginTitle(config['connector.class'] ?? '')}
        </span>{' '}
        · {status.tasks.length} task(s)
      </p>
      {polled.error && <ProblemBanner failure={polled.error} onRetry={polled.refresh} />}
      {status.connector.trace && (
        <div class="problem" role="alert">
          <strong>The connector failed</strong>
          <pre class="trace">{status.connector.trace}</pre>
          <p>Fix its config (or what it connects to), then restart it.</p>
        </div>
      )}

      <div class="toolbar" role="group" aria-label="Actions">
        {actions.map((action) => (
          <button
            key={action.label}
            type="button"
            class={action.confirm?.danger ? 'danger' : ''}
            disabled={busy || (action.label === 'Reset offsets' && state !== 'STOPPED')}
            title={
              action.label === 'Reset offsets' && state !== 'STOPPED'
                ? 'Offsets can be reset only while the connector is STOPPED'
                : undefined
            }
            onClick={() => ask(action)}
          >
            {action.label}
          </button>
        ))}
        <button
          type="button"
          disabled={preview.busy}
          title="Runs the stored config on a few records; nothing is sent or committed"
          onClick={() =>
            void preview.run(
              () => api.call<PreviewAnswer>('POST', `${path}/preview`),
              (config.transforms ?? '')
                .split(',')
                .map((alias) => alias.trim())
                .filter((alias) => alias !== ''),
            )
          }
        >
          {preview.busy ? 'Previewing…' : 'Preview'}
        </button>
        <span class="restart-options">
          <label>
            <input
              type="checkbox"
              checked={restartTasks}
              onChange={(e) => setRestartTasks((e.target as HTMLInputElement).checked)}
            />{' '}
            restart its tasks too
          </label>
          <label>
            <input
              type="checkbox"
              checked={onlyFailed}
              onChange={(e) => setOnlyFailed((e.target as HTMLInputElement).checked)}
            />{' '}
            only failed ones
          </label>
        </span>
      </div>
      <p class="status-line" role="status">
        {done}
      </p>
      {actionError && <ProblemBanner failure={actionError} />}
      {(preview.shown || preview.failure) && (
        <section class="preview-section" aria-labelledby="preview-title">
          <div class="page-head">
            <h2 id="preview-title">Preview of the stored config</h2>
            <button type="button" onClick={preview.clear}>
              Close the preview
            </button>
          </div>
          {preview.failure && <ProblemBanner failure={preview.failure} />}
          {preview.shown && (
            <PreviewResult answer={preview.shown.answer} aliases={preview.shown.aliases} />
          )}
        </section>
      )}
      {asking?.confirm && (
        <ConfirmDialog
          title={asking.confirm.title}
          confirmLabel={asking.label}
          {...(asking.confirm.danger ? { danger: true } : {})}
          onConfirm={() => void run(asking)}
          onCancel={() => setAsking(undefined)}
        >
          <p>{asking.confirm.text}</p>
        </ConfirmDialog>
      )}

      <h2>Throughput</h2>
      <dl class="stats">
        <div>
          <dt>Records/s (last minute)</dt>
          <dd data-stat="rate">{formatRate(recent.recordsPerSecond)}</dd>
        </div>
        <div>
          <dt>Records in all</dt>
          <dd data-stat="records">
            {formatCount(
              totalOf(metrics, status.type === 'sink' ? 'sink_record_send' : 'source_record_write'),
            )}
          </dd>
        </div>
        <div>
          <dt>Record errors</dt>
          <dd data-stat="errors">{formatCount(errors)}</dd>
        </div>
        <div>
          <dt>Dead-lettered</dt>
          <dd data-stat="dead-lettered">
            {formatCount(deadLettered)}
            {dlqTopic ? (
              <span class="muted"> to {dlqTopic}</span>
            ) : (
              <span class="muted"> (no dead-letter topic set)</span>
            )}
          </dd>
        </div>
      </dl>
      <RateChart
        points={history.current.points(now)}
        windowMinutes={history.current.windowMs / 60_000}
      />

      <h2>Tasks</h2>
      {status.tasks.length === 0 ? (
        <p class="muted">
          No tasks
          {state === 'STOPPED'
            ? ' while stopped'
            : ' yet: the coordinator assigns them within seconds'}
          .
        </p>
      ) : (
        <table class="responsive">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">State</th>
              <th scope="col">Worker</th>
              <th scope="col" class="number">
                Restarts
              </th>
              <th scope="col">Last slice</th>
              <th scope="col">Trace / last error</th>
            </tr>
          </thead>
          <tbody>
            {status.tasks.map((task) => {
              const m = metrics.tasks.find((t) => t.id === task.id);
              return (
                <tr key={task.id} data-task={task.id}>
                  <th scope="row" data-label="Task">
                    #{task.id}
                  </th>
                  <td data-label="State">
                    <StateBadge state={task.state} />
                  </td>
                  <td data-label="Worker">{task.worker_id ?? <span class="muted">none</span>}</td>
                  <td data-label="Restarts" class="number">
                    {task.restart_count}
                  </td>
                  <td data-label="Last slice">
                    {m?.last_slice ? (
                      formatAgo(m.last_slice.ended_at, now)
                    ) : (
                      <span class="muted">none yet</span>
                    )}
                  </td>
                  <td data-label="Trace / last error">
                    {task.trace ? (
                      <details>
                        <summary class="error-text">{task.trace.split('\n', 1)[0]}</summary>
                        <pre class="trace">{task.trace}</pre>
                      </details>
                    ) : m?.last_error ? (
                      <ErrorMessage message={m.last_error.message} at={m.last_error.at} now={now} />
                    ) : (
                      <span class="muted">none</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>Offsets</h2>
      {offsets === undefined ? (
        <p class="muted">
          A sink’s position is its consumer group’s offsets in RocketMQ, which this API cannot read
          (it has no name server: ROCKETMQ_NAMESRV); messages are acknowledged only after they are
          flushed downstream.
        </p>
      ) : offsets.offsets.length === 0 ? (
        <p class="muted">No offsets committed yet.</p>
      ) : (
        <table class="responsive offsets">
          <thead>
            <tr>
              <th scope="col">Source partition</th>
              <th scope="col">Offset</th>
            </tr>
          </thead>
          <tbody>
            {offsets.offsets.map((o) => (
              <tr key={JSON.stringify(o.partition)}>
                <td data-label="Source partition">
                  <code>{JSON.stringify(o.partition)}</code>
                </td>
                <td data-label="Offset">
                  <code>{JSON.stringify(o.offset)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Config</h2>
      <p class="muted">Secrets read [hidden]; ${'{...}'} references are shown as written.</p>
      <table class="responsive config">
        <tbody>
          {Object.entries(config)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, value]) => (
              <tr key={key}>
                <th scope="row">
                  <code>{key}</code>
                </th>
                <td>
                  <code>{value}</code>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
