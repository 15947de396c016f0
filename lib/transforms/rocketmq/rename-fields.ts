import { NonRetriableError } from '../../api/errors.js';
import type { ConnectRecord } from '../../api/record.js';
import type { Schema, StructSchema } from '../../api/schema.js';
import { isPlainObject } from '../requirements.js';
import { type Part, partOf, withPart } from '../schema-util.js';
import { kindOf, structLike } from './part.js';

/** How the fields of one struct schema are renamed: old name -> new name, in field order. */
interface Plan {
  readonly schema: StructSchema;
  readonly renames: readonly (readonly [string, string])[];
}

/**
 * Renames the top-level fields of a key or value with `rename`: a struct's fields (its schema
 * too), a map's keys (schemaless, or a MAP schema with STRING keys, whose schema stays). It is
 * what ChangeCase and PatternRename share. Two names that become one fail the record rather than
 * one value silently replacing the other; a null key or value stays null (a struct's schema is
 * still renamed, so that a tombstone carries the same schema as its neighbours).
 */
export class FieldRenamer {
  // Records of one schema share the renamed one; null: no field changes its name.
  readonly #plans = new WeakMap<StructSchema, Plan | null>();

  constructor(
    private readonly owner: string,
    private readonly part: Part,
    private readonly rename: (name: string) => string,
  ) {}

  apply<R extends ConnectRecord>(record: R): R {
    const { value, schema } = partOf(record, this.part);
    const absent = value === null || value === undefined;
    if (schema === undefined) {
      if (absent) return record;
      if (!isPlainObject(value) && !(value instanceof Map)) {
        throw this.#refuse(`a schemaless ${this.part} must be a map, got ${kindOf(value)}`);
      }
      return withPart(record, this.part, undefined, this.#renameKeys(value));
    }
    if (schema.type === 'STRUCT') {
      const plan = this.#planOf(schema);
      if (plan === null) return record;
      if (absent) return withPart(record, this.part, plan.schema, null);
      if (!isPlainObject(value)) {
        throw this.#refuse(
          `a ${this.part} with a STRUCT schema must be an object, got ${kindOf(value)}`,
        );
      }
      const entries: [string, unknown][] = [];
      for (const [from, to] of plan.renames) {
        if (Object.hasOwn(value, from)) entries.push([to, value[from]]);
      }
      // fromEntries defines own properties, so a field named __proto__ stays a field.
      return withPart(record, this.part, plan.schema, Object.fromEntries(entries));
    }
    if (absent) return record;
    if (schema.type === 'MAP' && schema.keySchema.type === 'STRING') {
      if (!isPlainObject(value) && !(value instanceof Map)) {
        throw this.#refuse(`a ${this.part} with a MAP schema must be a map, got ${kindOf(value)}`);
      }
      return withPart(record, this.part, schema, this.#renameKeys(value));
    }
    throw this.#refuse(
      `the ${this.part} must be a struct or a map with string keys, its schema is ${describe(schema)}`,
    );
  }

  #planOf(schema: StructSchema): Plan | null {
    const cached = this.#plans.get(schema);
    if (cached !== undefined) return cached;
    const renames = schema.fields.map((f) => [f.name, this.rename(f.name)] as const);
    let plan: Plan | null = null;
    if (renames.some(([from, to]) => from !== to)) {
      this.#checkUnique(renames);
      const fields = schema.fields.map((f, i) => [renames[i]![1], f.schema] as const);
      plan = { schema: structLike(this.owner, schema, fields), renames };
    }
    this.#plans.set(schema, plan);
    return plan;
  }

  #renameKeys(
    value: Record<string, unknown> | Map<unknown, unknown>,
  ): Record<string, unknown> | Map<unknown, unknown> {
    if (value instanceof Map) {
      const renames = [...value.keys()].map((k) => {
        if (typeof k !== 'string') throw this.#refuse(`a map key is ${kindOf(k)}, not a string`);
        return [k, this.rename(k)] as const;
      });
      this.#checkUnique(renames);
      return new Map(renames.map(([from, to]) => [to, value.get(from)]));
    }
    const renames = Object.keys(value).map((k) => [k, this.rename(k)] as const);
    this.#checkUnique(renames);
    return Object.fromEntries(renames.map(([from, to]) => [to, value[from]]));
  }

  #checkUnique(renames: readonly (readonly [string, string])[]): void {
    const seen = new Map<string, string>();
    for (const [from, to] of renames) {
      const other = seen.get(to);
      if (other !== undefined) {
        throw this.#refuse(`fields '${other}' and '${from}' would both be named '${to}'`);
      }
      seen.set(to, from);
    }
  }

  #refuse(why: string): NonRetriableError {
    return new NonRetriableError(`${this.owner}: ${why}`);
  }
}

function describe(schema: Schema): string {
  return schema.name === undefined ? schema.type : `${schema.type} (${schema.name})`;
}
