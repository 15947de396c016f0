import { intValue } from '../../api/config-values.js';
import { NonRetriableError } from '../../api/errors.js';
import { BUILTIN_VERSION } from '../../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../../api/plugin-keys.js';
import type { ConnectRecord } from '../../api/record.js';
import { decimalScale, LogicalType, type Schema, type StructSchema } from '../../api/schema.js';
import type { Transform, TransformPlugin } from '../../api/transform.js';
import { isPlainObject } from '../requirements.js';
import { type Part, partOf, withPart } from '../schema-util.js';
import { className, ownerName, structLike } from './part.js';

/** The Decimal schema parameter Confluent's Avro converter reads the precision from. */
export const DECIMAL_PRECISION_PARAMETER = 'connect.decimal.precision';
/** What a Decimal without that parameter counts as, as in RocketMQ Connect. */
const UNSTATED_PRECISION = 64;

const setMaximumPrecisionKeys = pluginKeys({
  'precision.max': requiredKey(
    {
      type: 'INT',
      importance: 'HIGH',
      documentation:
        'The maximum precision allowed: Decimal fields above it (or without a stated precision) ' +
        `get ${DECIMAL_PRECISION_PARAMETER} = this.`,
    },
    intValue({ min: 1 }),
  ),
});

/** How a struct schema changes: its new schema and the fields whose precision was lowered. */
interface Plan {
  readonly schema: StructSchema;
  readonly capped: readonly (readonly [string, Schema])[];
}

/**
 * RocketMQ Connect's SetMaximumPrecision$Key / $Value: Decimal fields of a struct (or a Decimal
 * key or value itself) whose `connect.decimal.precision` is above `precision.max`, or unstated,
 * get `precision.max` instead, for sinks and formats with a precision limit (Avro, BigQuery).
 * The values keep their digits: one with more digits than `precision.max` fails the record
 * rather than travel under a schema that lies about it.
 */
export class SetMaximumPrecision implements Transform {
  #max = UNSTATED_PRECISION;
  // null: no field of that schema changes.
  readonly #plans = new WeakMap<Schema, Plan | null>();
  readonly #decimals = new WeakMap<Schema, Schema | null>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(this.#owner(), setMaximumPrecisionKeys.configSchema, config);
    this.#max = parsed['precision.max'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value, schema } = partOf(record, this.part);
    // Without a schema there is no precision to lower.
    if (schema === undefined) return record;
    const absent = value === null || value === undefined;
    if (schema.name === LogicalType.DECIMAL) {
      const capped = this.#cappedDecimal(schema, this.part);
      if (capped === null) return record;
      if (!absent) this.#checkFits(value, capped, this.part);
      return withPart(record, this.part, capped, value);
    }
    if (schema.type !== 'STRUCT') return record;
    const plan = this.#planOf(schema);
    if (plan === null) return record;
    if (!absent) {
      if (!isPlainObject(value)) {
        throw new NonRetriableError(
          `${this.#owner()}: a ${this.part} with a STRUCT schema must be an object`,
        );
      }
      for (const [name, decimal] of plan.capped) {
        this.#checkFits(value[name], decimal, `field '${name}'`);
      }
    }
    // The value itself is unchanged: only what its schema says about it.
    return withPart(record, this.part, plan.schema, value);
  }

  #planOf(schema: StructSchema): Plan | null {
    const cached = this.#plans.get(schema);
    if (cached !== undefined) return cached;
    const capped: [string, Schema][] = [];
    const fields = schema.fields.map((f) => {
      const lowered =
        f.schema.name === LogicalType.DECIMAL
          ? this.#cappedDecimal(f.schema, `field '${f.name}'`)
          : null;
      if (lowered === null) return [f.name, f.schema] as const;
      capped.push([f.name, lowered]);
      return [f.name, lowered] as const;
    });
    const plan =
      capped.length === 0 ? null : { schema: structLike(this.#owner(), schema, fields), capped };
    this.#plans.set(schema, plan);
    return plan;
  }

  /** The Decimal schema with precision.max, or null when its precision is within it already. */
  #cappedDecimal(schema: Schema, what: string): Schema | null {
    const cached = this.#decimals.get(schema);
    if (cached !== undefined) return cached;
    const scale = decimalScale(schema);
    if (scale === undefined) throw this.#refuse(`${what} is a Decimal without an integer scale`);
    const stated = schema.parameters?.[DECIMAL_PRECISION_PARAMETER];
    if (stated !== undefined && !/^\d+$/.test(stated.trim())) {
      throw this.#refuse(`${what} has ${DECIMAL_PRECISION_PARAMETER}=${stated}, not a number`);
    }
    const precision = stated === undefined ? UNSTATED_PRECISION : Number(stated);
    let capped: Schema | null = null;
    if (precision > this.#max) {
      if (scale > this.#max) {
        throw this.#refuse(`${what} has scale ${scale}, more than precision.max ${this.#max}`);
      }
      // Everything else about the schema stays: optional, default, doc, other parameters.
      capped = Object.freeze({
        ...schema,
        parameters: Object.freeze({
          ...schema.parameters,
          [DECIMAL_PRECISION_PARAMETER]: String(this.#max),
        }),
      });
    }
    this.#decimals.set(schema, capped);
    return capped;
  }

  /** Fails the record when a Decimal value has more digits than precision.max. */
  #checkFits(value: unknown, schema: Schema, what: string): void {
    const digits = digitsOf(value, decimalScale(schema));
    if (digits !== undefined && digits > this.#max) {
      throw this.#refuse(`${what} has ${digits} digits, more than precision.max ${this.#max}`);
    }
  }

  #refuse(why: string): NonRetriableError {
    return new NonRetriableError(`${this.#owner()}: ${why}`);
  }

  #owner(): string {
    return ownerName('SetMaximumPrecision', this.part);
  }
}

/**
 * The precision of a Decimal value: the digits of its unscaled integer at the schema's scale
 * (Java's `BigDecimal.precision()` for a value of that scale). Undefined for what is not one.
 */
export function digitsOf(value: unknown, scale: number | undefined): number | undefined {
  let unscaled: bigint;
  if (typeof value === 'object' && value !== null && 'unscaled' in value) {
    if (typeof value.unscaled !== 'bigint') return undefined;
    unscaled = value.unscaled;
  } else if (typeof value === 'string' && scale !== undefined) {
    const m = /^[+-]?(\d+)(?:\.(\d+))?$/.exec(value.trim());
    if (!m) return undefined;
    const whole = BigInt(`${m[1]}${(m[2] ?? '').padEnd(Math.max(scale, 0), '0')}`);
    unscaled = scale >= 0 ? whole : whole / 10n ** BigInt(-scale);
  } else {
    return undefined;
  }
  const abs = unscaled < 0n ? -unscaled : unscaled;
  return abs.toString().length;
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: className('SetMaximumPrecision', part),
    aliases: [],
    version: BUILTIN_VERSION,
    ...setMaximumPrecisionKeys,
    create: () => new SetMaximumPrecision(part),
  };
}

export const setMaximumPrecisionKeyPlugin = plugin('key');
export const setMaximumPrecisionValuePlugin = plugin('value');
