import type { InvokeCommand, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { describe, expect, test } from 'vitest';
import { lambdaSystemCheck, type LambdaInvoker } from '../../../lib/coordinator/dispatch.js';

const config = { name: 'orders-db', 'connector.class': 'JdbcSink', 'connection.password': 'x' };

/** A Lambda client whose one answer is `answer` (or a failure to invoke at all). */
function lambda(answer: Partial<InvokeCommandOutput> | Error) {
  const sent: InvokeCommand[] = [];
  const client: LambdaInvoker = {
    send(command) {
      sent.push(command);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve({ $metadata: {}, StatusCode: 200, ...answer });
    },
  };
  return { client, sent };
}

const payload = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];

describe('the system check through the task function', () => {
  test('invokes the task function synchronously with the config, and returns its problems', async () => {
    const problems = [{ key: 'table.name', message: 'no table "orders"' }];
    const { client, sent } = lambda({ Payload: payload({ problems }) });
    const warnings: string[] = [];
    const check = lambdaSystemCheck(client, 'connect-dev-task', (w) => warnings.push(w));

    expect(await check(config)).toEqual(problems);
    expect(sent).toHaveLength(1);
    const input = sent[0]!.input;
    expect(input).toMatchObject({
      FunctionName: 'connect-dev-task',
      InvocationType: 'RequestResponse',
    });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual({
      check: { config },
    });
    expect(warnings).toEqual([]);
  });

  test.each<[string, Partial<InvokeCommandOutput> | Error, RegExp]>([
    [
      'the invoke fails',
      new Error('connect ECONNREFUSED'),
      /invoking connect-dev-task failed \(Error: connect ECONNREFUSED\)/,
    ],
    [
      'the function fails',
      { FunctionError: 'Unhandled', Payload: payload({ errorMessage: 'out of memory' }) },
      /connect-dev-task failed \(Unhandled\).*out of memory/,
    ],
    [
      'the answer is not one',
      { Payload: payload({ kind: 'ran' }) },
      /not \{"problems": \[\.\.\.\]\}/,
    ],
    ['there is no answer', {}, /answered ""/],
  ])('accepts the config unchecked, with a warning, when %s', async (_, answer, warning) => {
    const warnings: string[] = [];
    const check = lambdaSystemCheck(lambda(answer).client, 'connect-dev-task', (w) =>
      warnings.push(w),
    );
    expect(await check(config)).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(warning)]);
    expect(warnings[0]).toMatch(/^could not check the config of orders-db against its system/);
  });
});
