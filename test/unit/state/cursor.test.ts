import { describe, expect, test } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../lib/state/cursor.js';
import { StateInputError } from '../../../lib/state/errors.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('list cursors', () => {
  test('round-trip a LastEvaluatedKey as a URL-safe string', () => {
    const key = { pk: { S: 'connectors' }, sk: { S: 'orders?/+é' } };
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
  });

  test.each([
    ['', /not a base64url string/],
    ['abc+/=', /not a base64url string/],
    [Buffer.from('{nope').toString('base64url'), /does not decode to JSON/],
    [b64({ pk: { S: 'offsets#x' }, sk: { S: 'a' } }), /not a cursor returned by listConnectors/],
    [b64({ pk: { S: 'connectors' } }), /not a cursor returned by listConnectors/],
    [b64({ pk: { S: 'connectors' }, sk: { N: '1' } }), /not a cursor returned by listConnectors/],
    [
      b64({ pk: { S: 'connectors' }, sk: { S: 'a' }, extra: { S: 'b' } }),
      /not a cursor returned by listConnectors/,
    ],
  ])('refuse a cursor that listConnectors did not give: %s', (cursor, message) => {
    expect(() => decodeCursor(cursor)).toThrow(StateInputError);
    expect(() => decodeCursor(cursor)).toThrow(message);
  });
});
