import { describe, expect, test } from 'vitest';
import { num, str } from '../../../lib/state/attributes.js';
import { Expression } from '../../../lib/state/expression.js';

describe('Expression', () => {
  test('names every attribute by placeholder and numbers every value', () => {
    const x = new Expression();
    const text = `${x.name('status')} = ${x.value(str('a'))} AND ${x.name('status')} <> ${x.value(num(2))}`;
    expect(text).toBe('#status = :v0 AND #status <> :v1');
    expect(x.params()).toEqual({
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':v0': { S: 'a' }, ':v1': { N: '2' } },
    });
  });

  test('sends no empty placeholder maps, which DynamoDB refuses', () => {
    expect(new Expression().params()).toEqual({});
    const x = new Expression();
    x.name('pk');
    expect(x.params()).toEqual({ ExpressionAttributeNames: { '#pk': 'pk' } });
  });
});
