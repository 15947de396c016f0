import type { TaskCounter } from './types.js';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { StateError } from './errors.js';
import type { StateKey } from './keys.js';

// Explicit (un)marshalling of the few attribute shapes the state items use. The state items
// are few and fixed, so a generic marshaller (@aws-sdk/util-dynamodb, not installed) would
// only hide which DynamoDB type each field has.

export type Item = Record<string, AttributeValue>;

export const str = (value: string): AttributeValue => ({ S: value });
export const num = (value: number): AttributeValue => ({ N: String(value) });
export const map = (value: Item): AttributeValue => ({ M: value });

/** A flat object of strings (a connector or task config) as a map of S. */
export function stringMap(value: Readonly<Record<string, string>>): AttributeValue {
  return { M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, str(v)])) };
}

/** The key attributes of an item. */
export const keyItem = (key: StateKey): Item => ({ pk: str(key.pk), sk: str(key.sk) });

/** Reads a stored key; undefined when the item has no string pk/sk (never written by us). */
export function keyOf(item: Item): StateKey | undefined {
  const pk = item.pk?.S;
  const sk = item.sk?.S;
  return pk === undefined || sk === undefined ? undefined : { pk, sk };
}

/**
 * Typed reads of one item's attributes. A missing or mistyped attribute is a corrupt item,
 * reported with where it is and what was expected.
 */
export class ItemReader {
  constructor(
    private readonly item: Item,
    private readonly where: string,
  ) {}

  string(name: string): string {
    const value = this.item[name]?.S;
    if (value === undefined) throw this.corrupt(name, 'a string');
    return value;
  }

  optionalString(name: string): string | undefined {
    if (this.item[name] === undefined) return undefined;
    return this.string(name);
  }

  number(name: string): number {
    const text = this.item[name]?.N;
    const value = text === undefined ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) throw this.corrupt(name, 'a number');
    return value;
  }

  optionalNumber(name: string): number | undefined {
    if (this.item[name] === undefined) return undefined;
    return this.number(name);
  }

  /** A nested map, read with the same checks. */
  map(name: string): ItemReader {
    const value = this.item[name]?.M;
    if (value === undefined) throw this.corrupt(name, 'a map');
    return new ItemReader(value, `${this.where}.${name}`);
  }

  stringMap(name: string): Record<string, string> {
    const value = this.item[name]?.M;
    if (value === undefined) throw this.corrupt(name, 'a map of strings');
    return readStringMap(value, `${this.where}.${name}`);
  }

  list(name: string): AttributeValue[] {
    const value = this.item[name]?.L;
    if (value === undefined) throw this.corrupt(name, 'a list');
    return value;
  }

  private corrupt(name: string, expected: string): StateError {
    return new StateError(`state item ${this.where} is corrupt: ${name} is not ${expected}`);
  }
}

export function readStringMap(value: Item, where: string): Record<string, string> {
  // fromEntries defines own properties, so a config key such as "__proto__" stays a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([key, attribute]) => {
      if (attribute.S === undefined) {
        throw new StateError(`state item ${where} is corrupt: ${key} is not a string`);
      }
      return [key, attribute.S];
    }),
  );
}

/** Every attribute name the state items use (expressions accept only these). */
export type AttributeName =
  | 'pk'
  | 'sk'
  | 'name'
  | 'config'
  | 'targetState'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
  | 'connector'
  | 'generation'
  | 'configVersion'
  | 'tasks'
  | 'state'
  | 'trace'
  | 'taskId'
  | 'holder'
  | 'epoch'
  | 'leaseExpiresAt'
  | 'status'
  | 'partition'
  | 'offset'
  | 'seq'
  | 'runRequestedAt'
  | 'counters'
  | 'lastSlice'
  | 'lastError'
  | TaskCounter;
