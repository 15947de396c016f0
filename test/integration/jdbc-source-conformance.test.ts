import { describeSourceConformance } from '../unit/connectors/conformance/describe.js';
import { jdbcSourceAdapter } from '../unit/connectors/adapters/jdbc-source.js';

// The whole conformance suite on the real databases (the unit tier runs the descriptor checks).
describeSourceConformance(jdbcSourceAdapter('PostgreSQL'));
describeSourceConformance(jdbcSourceAdapter('MariaDB'));
