import { NonRetriableError } from './errors.js';
import {
  DECIMAL_SCALE_PARAMETER,
  type Field,
  LogicalType,
  type PrimitiveType,
  type Schema,
  type SchemaOf,
  type SchemaType,
} from './schema.js';
import { validateValue } from './schema-validation.js';

interface BuilderState {
  optional: boolean;
  defaultValue?: unknown;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  keySchema?: Schema;
  valueSchema?: Schema;
  fields?: Field[];
}

/**
 * Builds a schema step by step, like Kafka Connect's `SchemaBuilder`; `build()` returns a frozen
 * schema and checks its default value.
 *
 * @example
 * const address = SchemaBuilder.struct().name('com.example.Address')
 *   .field('street', Schemas.STRING)
 *   .field('zip', Schemas.OPTIONAL_INT32)
 *   .build();
 * const person = SchemaBuilder.struct()
 *   .field('id', Schemas.INT64)
 *   .field('born', SchemaBuilder.date().optional())
 *   .field('address', address)
 *   .build();
 */
export class SchemaBuilder<T extends SchemaType = SchemaType> {
  readonly #type: T;
  readonly #state: BuilderState;

  private constructor(type: T, state: Partial<BuilderState> = {}) {
    this.#type = type;
    this.#state = { optional: false, ...state };
  }

  static int8(): SchemaBuilder<'INT8'> {
    return new SchemaBuilder('INT8');
  }

  static int16(): SchemaBuilder<'INT16'> {
    return new SchemaBuilder('INT16');
  }

  static int32(): SchemaBuilder<'INT32'> {
    return new SchemaBuilder('INT32');
  }

  static int64(): SchemaBuilder<'INT64'> {
    return new SchemaBuilder('INT64');
  }

  static float32(): SchemaBuilder<'FLOAT32'> {
    return new SchemaBuilder('FLOAT32');
  }

  static float64(): SchemaBuilder<'FLOAT64'> {
    return new SchemaBuilder('FLOAT64');
  }

  static bool(): SchemaBuilder<'BOOLEAN'> {
    return new SchemaBuilder('BOOLEAN');
  }

  static string(): SchemaBuilder<'STRING'> {
    return new SchemaBuilder('STRING');
  }

  static bytes(): SchemaBuilder<'BYTES'> {
    return new SchemaBuilder('BYTES');
  }

  static type<P extends PrimitiveType>(type: P): SchemaBuilder<P> {
    return new SchemaBuilder(type);
  }

  static struct(): SchemaBuilder<'STRUCT'> {
    return new SchemaBuilder('STRUCT', { fields: [] });
  }

  static array(valueSchema: Schema | SchemaBuilder): SchemaBuilder<'ARRAY'> {
    return new SchemaBuilder('ARRAY', { valueSchema: built(valueSchema) });
  }

  static map(
    keySchema: Schema | SchemaBuilder,
    valueSchema: Schema | SchemaBuilder,
  ): SchemaBuilder<'MAP'> {
    return new SchemaBuilder('MAP', {
      keySchema: built(keySchema),
      valueSchema: built(valueSchema),
    });
  }

  /** Days since the epoch (INT32), held as a `Date` at UTC midnight. */
  static date(): SchemaBuilder<'INT32'> {
    return new SchemaBuilder('INT32', { name: LogicalType.DATE, version: 1 });
  }

  /** Milliseconds of the day (INT32), held as a `Date` on 1970-01-01 UTC. */
  static time(): SchemaBuilder<'INT32'> {
    return new SchemaBuilder('INT32', { name: LogicalType.TIME, version: 1 });
  }

  /** Milliseconds since the epoch (INT64), held as a `Date`. */
  static timestamp(): SchemaBuilder<'INT64'> {
    return new SchemaBuilder('INT64', { name: LogicalType.TIMESTAMP, version: 1 });
  }

  /** An exact decimal (BYTES) of a fixed scale. */
  static decimal(scale: number): SchemaBuilder<'BYTES'> {
    if (!Number.isInteger(scale))
      throw new RangeError(`decimal scale must be an integer: ${scale}`);
    return new SchemaBuilder('BYTES', {
      name: LogicalType.DECIMAL,
      version: 1,
      parameters: { [DECIMAL_SCALE_PARAMETER]: String(scale) },
    });
  }

  optional(): this {
    this.#state.optional = true;
    return this;
  }

  required(): this {
    this.#state.optional = false;
    return this;
  }

  defaultValue(value: unknown): this {
    this.#state.defaultValue = value;
    return this;
  }

  name(name: string): this {
    this.#state.name = name;
    return this;
  }

  version(version: number): this {
    this.#state.version = version;
    return this;
  }

  doc(doc: string): this {
    this.#state.doc = doc;
    return this;
  }

  parameter(key: string, value: string): this {
    this.#state.parameters = { ...this.#state.parameters, [key]: value };
    return this;
  }

  /** Adds a struct field after the ones already added; names are unique. */
  field(
    this: SchemaBuilder<'STRUCT'>,
    name: string,
    schema: Schema | SchemaBuilder,
  ): SchemaBuilder<'STRUCT'> {
    const fields = this.#state.fields ?? [];
    if (fields.some((f) => f.name === name)) {
      throw new NonRetriableError(`struct schema already has a field named '${name}'`);
    }
    fields.push(Object.freeze({ name, index: fields.length, schema: built(schema) }));
    this.#state.fields = fields;
    return this;
  }

  build(): SchemaOf<T> {
    const s = this.#state;
    const schema = {
      type: this.#type,
      optional: s.optional,
      ...(s.defaultValue !== undefined && { defaultValue: s.defaultValue }),
      ...(s.name !== undefined && { name: s.name }),
      ...(s.version !== undefined && { version: s.version }),
      ...(s.doc !== undefined && { doc: s.doc }),
      ...(s.parameters && { parameters: Object.freeze({ ...s.parameters }) }),
      ...(s.keySchema && { keySchema: s.keySchema }),
      ...(s.valueSchema && { valueSchema: s.valueSchema }),
      ...(s.fields && { fields: Object.freeze([...s.fields]) }),
    } as SchemaOf<T>;
    if (s.defaultValue !== undefined) {
      const bad = validateValue(schema, s.defaultValue);
      if (bad) throw new NonRetriableError(`invalid default value: ${bad.message}`);
    }
    Object.freeze(schema);
    return schema;
  }
}

function built(schema: Schema | SchemaBuilder): Schema {
  return schema instanceof SchemaBuilder ? schema.build() : schema;
}
