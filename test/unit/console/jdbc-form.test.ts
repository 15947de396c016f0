import { describe, expect, it } from 'vitest';
import { formSections, inputKindOf } from '../../../console/src/config-form.js';
import { commonKeyDefs } from '../../../lib/config/common-keys.js';
import { buildConfigInfos } from '../../../lib/config/validate-result.js';
import { jdbcSink, jdbcSource } from '../../../lib/connectors/index.js';
import type { ConnectorPlugin } from '../../../lib/api/connector.js';

/** The create form's sections for a plugin, from its keys as GET /connector-plugins/{p}/config gives them. */
function sectionsOf(plugin: ConnectorPlugin) {
  const defs = [...commonKeyDefs(plugin.type), ...plugin.configDef];
  const infos = buildConfigInfos(
    plugin.className,
    defs.map((def) => ({ key: def.name, def, value: undefined, errors: [] })),
  ).configs.map((c) => c.definition);
  return { sections: formSections(infos, 'JDBC'), infos };
}

describe("the create form for Confluent's JDBC connectors", () => {
  it('shows the source in its groups: Connection, Mode, Table, Connector', () => {
    const { sections } = sectionsOf(jdbcSource);
    const titles = sections.map((s) => s.title);
    expect(titles).toEqual(expect.arrayContaining(['Connection', 'Mode', 'Table', 'Connector']));
    const connection = sections.find((s) => s.title === 'Connection')!;
    expect(connection.shown.map((d) => d.name)).toEqual([
      'connection.url',
      'connection.user',
      'connection.password',
    ]);
  });

  it('shows the sink in its groups: Connection, Writes, Data Mapping, DDL Support', () => {
    const titles = sectionsOf(jdbcSink).sections.map((s) => s.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Connection', 'Writes', 'Data Mapping', 'DDL Support']),
    );
  });

  it('takes the password in a password input', () => {
    for (const plugin of [jdbcSource, jdbcSink]) {
      const password = sectionsOf(plugin).infos.find((d) => d.name === 'connection.password')!;
      expect(password.type).toBe('PASSWORD');
      expect(inputKindOf(password)).toBe('password');
    }
  });
});
