import { NonRetriableError } from '../../api/errors.js';
import type { Schema, StructSchema } from '../../api/schema.js';
import { type Part, partSuffix, structBuilderLike } from '../schema-util.js';

/**
 * What RocketMQ Connect's transforms share: each comes as `$Key` and `$Value`, works on that part
 * of the record alone, and leaves the rest (topic, headers, source position) as it was.
 */

/** The RocketMQ Connect class name of a transform's key or value variant. */
export function className(transform: string, part: Part): string {
  return `org.apache.rocketmq.connect.transforms.${transform}$${partSuffix(part)}`;
}

/** `ChangeCase$Value`: how messages name the transform at fault. */
export function ownerName(transform: string, part: Part): string {
  return `${transform}$${partSuffix(part)}`;
}

/**
 * A struct schema like `schema` (name, version, doc, parameters and whether it is optional) with
 * these fields, in order. Its default value is left out: it was a value of the old fields.
 * Two fields of one name fail the record, naming the transform.
 */
export function structLike(
  owner: string,
  schema: StructSchema,
  fields: Iterable<readonly [string, Schema]>,
): StructSchema {
  const builder = structBuilderLike(schema);
  if (schema.optional) builder.optional();
  for (const [name, fieldSchema] of fields) {
    try {
      builder.field(name, fieldSchema);
    } catch (err) {
      throw new NonRetriableError(`${owner}: ${(err as Error).message}`, { cause: err });
    }
  }
  return builder.build();
}

/** A schema like this one, but optional (a field whose parent may be null). */
export function asOptional(schema: Schema): Schema {
  return schema.optional ? schema : Object.freeze({ ...schema, optional: true });
}

/** A short name for what a value is, for messages; never a string's text, which may be a secret. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Map) return 'a Map';
  if (value instanceof Date) return 'a Date';
  return `a ${typeof value}`;
}
