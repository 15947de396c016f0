import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../state/attributes.js';
import type { JsonValue } from './payload.js';

/** An item or value that has no exact plain-JSON form (or a JSON value with no item form). */
export class ItemJsonError extends Error {
  override readonly name = 'ItemJsonError';
}

/**
 * A state item as plain JSON: S as strings, N as numbers, BOOL, NULL, M as objects, L as
 * arrays. The state items use only these types, and only numbers that JSON holds exactly, so
 * {@link itemFromJson} gives back the very same item; anything else is refused rather than
 * silently changed.
 */
export function itemToJson(item: Item): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, valueToJson(v, k)]));
}

/** The item a plain-JSON object stands for (the inverse of {@link itemToJson}). */
export function itemFromJson(json: Readonly<Record<string, unknown>>): Item {
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, valueFromJson(v, k)]));
}

function valueToJson(value: AttributeValue, at: string): JsonValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) {
    const n = Number(value.N);
    if (String(n) !== value.N) {
      throw new ItemJsonError(`${at}: the number ${value.N} has no exact JSON form`);
    }
    return n;
  }
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) {
    return Object.fromEntries(
      Object.entries(value.M).map(([k, v]) => [k, valueToJson(v, `${at}.${k}`)]),
    );
  }
  if (value.L !== undefined) return value.L.map((v, i) => valueToJson(v, `${at}[${i}]`));
  throw new ItemJsonError(
    `${at}: attribute type ${Object.keys(value).join(',')} is not used by state items`,
  );
}

function valueFromJson(value: unknown, at: string): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      if (!Number.isFinite(value))
        throw new ItemJsonError(`${at}: ${value} is not a number DynamoDB holds`);
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) return { L: value.map((v, i) => valueFromJson(v, `${at}[${i}]`)) };
      return {
        M: Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, valueFromJson(v, `${at}.${k}`)]),
        ),
      };
    default:
      throw new ItemJsonError(`${at}: a ${typeof value} has no item form`);
  }
}
