/**
 * Any record value as JSON text, for people and logs: bigints as their digits, bytes as
 * base64, dates as ISO text; undefined as null. Never throws on what records hold.
 */
export function jsonText(value: unknown): string {
  return (
    JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
      // `this[key]` is the value before toJSON (a Buffer's toJSON hides that it holds bytes).
      const raw = this[key];
      if (typeof raw === 'bigint') return raw.toString();
      if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
      return v;
    }) ?? 'null'
  );
}
