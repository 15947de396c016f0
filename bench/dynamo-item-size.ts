import type { AttributeValue } from '@aws-sdk/client-dynamodb';

// An item's size as DynamoDB counts it for capacity units (the published rules): attribute
// names and strings by their UTF-8 bytes, a number by its significant digits (two per byte,
// plus one), binary by its length, a boolean or null as 1 byte, a list or map 3 bytes plus 1
// per element (and, in a map, the element's name).

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Bytes of a number: its significant digits, two per byte, plus one. */
function numberBytes(n: string): number {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + numberBytes(s), 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.length, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + valueBytes(v), 0);
  if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  throw new Error(`unknown attribute value: ${JSON.stringify(value)}`);
}

/** The size of an item (or of a map's contents): each attribute's name and value. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += utf8(name) + valueBytes(value);
  return bytes;
}
