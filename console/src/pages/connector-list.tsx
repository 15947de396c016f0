import { useRef } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import type { ExpandedConnectors } from '../api-types.js';
import { ErrorMessage } from '../components/error-message.js';
import { ProblemBanner } from '../components/problem-banner.js';
import { StateBadge } from '../components/state-badge.js';
import { lastErrorOf } from '../connector-summary.js';
import { pluginTitle } from '../config-form.js';
import { formatRate } from '../format.js';
import { usePoll } from '../hooks.js';
import { connectorHref } from '../routes.js';
import { RateHistory } from '../rates.js';

const REFRESH_MS = 2_000;

/** Every connector with its states, throughput and last error; refreshes by itself. */
export function ConnectorList({ api }: { api: ApiClient }) {
  const histories = useRef(new Map<string, RateHistory>());
  const polled = usePoll(
    async () => {
      const connectors = await api.get<ExpandedConnectors>(
        '/connectors?expand=status&expand=info&expand=metrics',
      );
      for (const [name, { metrics }] of Object.entries(connectors)) {
        let history = histories.current.get(name);
        if (!history) histories.current.set(name, (history = new RateHistory()));
        history.add(metrics);
      }
      return connectors;
    },
    REFRESH_MS,
    'list',
  );
  const entries = Object.entries(polled.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  // The server's clock, as every time in the metrics is (the browser's may be off).
  const now = Math.max(0, ...entries.map(([, c]) => c.metrics.sampled_at));

  return (
    <section aria-labelledby="list-title">
      <div class="page-head">
        <h1 id="list-title">Connectors</h1>
        <a class="button primary" href="#/new">
          New connector
        </a>
      </div>
      {polled.error && <ProblemBanner failure={polled.error} onRetry={polled.refresh} />}
      {polled.data === undefined && !polled.error && <p aria-busy="true">Loading connectors…</p>}
      {polled.data !== undefined && entries.length === 0 && (
        <p class="empty">
          No connectors yet. <a href="#/new">Create one</a> from a plugin’s form, or paste a config
          you already have.
        </p>
      )}
      {entries.length > 0 && (
        <table class="connectors responsive">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Class</th>
              <th scope="col">State</th>
              <th scope="col">Tasks</th>
              <th scope="col" class="number">
                Records/s
              </th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, { status, info, metrics }]) => {
              const rate = histories.current.get(name)?.recent(now) ?? { recordsPerSecond: 0 };
              const error = lastErrorOf(status, metrics);
              const className = info.config['connector.class'] ?? '';
              return (
                <tr key={name} data-connector={name}>
                  <th scope="row" data-label="Name">
                    <a href={connectorHref(name)}>{name}</a>
                  </th>
                  <td data-label="Type">{info.type}</td>
                  <td data-label="Class" title={className}>
                    {pluginTitle(className)}
                  </td>
                  <td data-label="State">
                    <StateBadge state={status.connector.state} />
                  </td>
                  <td data-label="Tasks">
                    <span class="badges">
                      {status.tasks.length === 0 && <span class="muted">none</span>}
                      {status.tasks.map((t) => (
                        <StateBadge key={t.id} state={t.state} label={`#${t.id}`} />
                      ))}
                    </span>
                  </td>
                  <td data-label="Records/s" class="number rate">
                    {formatRate(rate.recordsPerSecond)}
                  </td>
                  <td data-label="Last error" class="error-cell">
                    {error ? (
                      <ErrorMessage message={error.message} at={error.at} now={now} />
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
    </section>
  );
}
