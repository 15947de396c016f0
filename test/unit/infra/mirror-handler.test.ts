import type { InvokeCommand, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, test } from 'vitest';
import { invokedMirrorHandler } from '../../../infra/local/mirror-handler.js';

const event: DynamoDBStreamEvent = { Records: [] };

/** A Lambda client answering one invoke as serverless-offline would, and keeping the request. */
function lambdaAnswering(answer: Partial<InvokeCommandOutput>) {
  const sent: { command: InvokeCommand; options: unknown }[] = [];
  return {
    sent,
    client: {
      send: (command: InvokeCommand, options: unknown) => {
        sent.push({ command, options });
        return Promise.resolve({ StatusCode: 200, ...answer } as InvokeCommandOutput);
      },
    } as never,
  };
}

const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;

describe('the mirror function invoked through the Lambda endpoint', () => {
  test('sends the batch as a synchronous invoke, and passes on batchItemFailures', async () => {
    const failures = { batchItemFailures: [{ itemIdentifier: '42' }] };
    const { client, sent } = lambdaAnswering({ Payload: payload(failures) });
    const abort = new AbortController();
    const handler = invokedMirrorHandler(client, 'rocketmq-connect-offline-mirror', abort.signal);
    expect(await handler(event)).toEqual(failures);
    expect(sent[0]!.command.input).toMatchObject({
      FunctionName: 'rocketmq-connect-offline-mirror',
      InvocationType: 'RequestResponse',
    });
    expect(
      JSON.parse(Buffer.from(sent[0]!.command.input.Payload as Uint8Array).toString()),
    ).toEqual(event);
    expect(sent[0]!.options).toEqual({ abortSignal: abort.signal });
  });

  test('answers nothing for an empty or null answer (the whole batch succeeded)', async () => {
    expect(await invokedMirrorHandler(lambdaAnswering({}).client, 'm')(event)).toBeUndefined();
    const nullAnswer = lambdaAnswering({ Payload: payload(null) });
    expect(await invokedMirrorHandler(nullAnswer.client, 'm')(event)).toBeUndefined();
  });

  test('fails the batch when the function failed, with its error', async () => {
    const { client } = lambdaAnswering({
      FunctionError: 'Unhandled',
      Payload: payload({ errorMessage: 'the proxy is down' }),
    });
    await expect(invokedMirrorHandler(client, 'm')(event)).rejects.toThrow(
      /m failed \(Unhandled\): .*the proxy is down/,
    );
  });
});
