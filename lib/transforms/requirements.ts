/** What Kafka's transforms check of a key or value (its `Requirements`), shared by ours. */

/** A plain object: a struct's value or a schemaless map. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** What Kafka's `nullSafeClassName` prints for a value of this kind, for its messages. */
export function javaClassOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'number') return 'java.lang.Long';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  return typeof value;
}
