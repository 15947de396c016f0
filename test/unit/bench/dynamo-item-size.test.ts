import { describe, expect, test } from 'vitest';
import { itemBytes, valueBytes } from '../../../bench/dynamo-item-size.js';

describe("an item's size as DynamoDB counts it", () => {
  test.each([
    ['a string, by its UTF-8 bytes', { S: 'héllo' }, 6],
    ['a number, two significant digits per byte plus one', { N: '12345' }, 4],
    ['a number without its sign, point and outer zeros', { N: '-0012.3400' }, 3],
    ['a boolean', { BOOL: true }, 1],
    ['a list: 3 bytes, 1 per element, and the elements', { L: [{ S: 'ab' }, { N: '7' }] }, 9],
    ['a map: 3 bytes, and per element 1 byte, its name and value', { M: { ab: { S: 'xyz' } } }, 9],
  ])('%s', (_, value, bytes) => {
    expect(valueBytes(value)).toBe(bytes);
  });

  test('an item is the sum of its attribute names and values', () => {
    expect(itemBytes({ pk: { S: 'connectors' }, version: { N: '12' } })).toBe(2 + 10 + 7 + 2);
  });
});
