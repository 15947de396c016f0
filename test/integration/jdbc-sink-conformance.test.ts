// The connector conformance suite on JdbcSinkConnector, against the local PostgreSQL and MariaDB
// (the unit tier runs its descriptor checks only: the behaviour needs a database).
import { describe } from 'vitest';
import { JDBC_SINK_TARGETS, jdbcSinkAdapter } from '../unit/connectors/adapters/jdbc-sink.js';
import { describeSinkConformance } from '../unit/connectors/conformance/describe.js';

for (const target of Object.keys(JDBC_SINK_TARGETS) as (keyof typeof JDBC_SINK_TARGETS)[]) {
  describe(`on ${target}`, () => describeSinkConformance(jdbcSinkAdapter(target)));
}
