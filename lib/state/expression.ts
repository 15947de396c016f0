import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeName } from './attributes.js';

/**
 * Placeholders for one request's condition and update expressions. Every attribute name goes
 * through `#name` (several of ours, such as `name` and `status`, are DynamoDB reserved words),
 * and only the placeholders used are sent (DynamoDB refuses unused ones).
 *
 * @example
 *   const x = new Expression();
 *   const condition = `${x.name('epoch')} = ${x.value(num(3))}`; // '#epoch = :v0'
 *   send({ ConditionExpression: condition, ...x.params() });
 */
export class Expression {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, AttributeValue> = {};
  private count = 0;

  name(attribute: AttributeName): string {
    const placeholder = `#${attribute}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${this.count++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  params(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  } {
    return {
      ...(Object.keys(this.names).length > 0
        ? { ExpressionAttributeNames: { ...this.names } }
        : {}),
      ...(this.count > 0 ? { ExpressionAttributeValues: { ...this.values } } : {}),
    };
  }
}
