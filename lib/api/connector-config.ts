/** A connector config as stored: keys and values are strings; `${...}` references stay unresolved. */
export type ConnectorConfig = Readonly<Record<string, string>>;
