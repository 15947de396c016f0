import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { StateTopics } from '../../lib/mirror/state-change.js';
import type { StreamHandler } from './stream-poller/stream-poller.js';

/**
 * The mirror function's real handler (functions/mirror.ts), loaded with its environment as
 * Lambda would give it: the proxy, and the state topics when not the defaults (STATE_*_TOPIC).
 * The module reads its environment once, when first loaded (per process, or per test file).
 */
export async function loadMirrorHandler(env: {
  rocketmq: string;
  topics?: StateTopics;
}): Promise<StreamHandler> {
  process.env.ROCKETMQ_ENDPOINT = env.rocketmq;
  if (env.topics) {
    process.env.STATE_CONFIG_TOPIC = env.topics.config;
    process.env.STATE_OFFSET_TOPIC = env.topics.offset;
    process.env.STATE_STATUS_TOPIC = env.topics.status;
  }
  const { handler } = await import('../../functions/mirror.js');
  // Lambda's context is not read by the mirror.
  return (event: DynamoDBStreamEvent) => handler(event, {} as Context);
}

/**
 * The mirror function as `npm start` runs it, under serverless-offline: each batch is a
 * synchronous invoke through the Lambda endpoint, as the stream's event source mapping invokes
 * it in AWS. A function error fails the batch (the poller retries it); the answer's
 * `batchItemFailures` are passed on.
 */
export function invokedMirrorHandler(
  lambda: Pick<LambdaClient, 'send'>,
  functionName: string,
  /** Abandons the invoke under way (its batch is retried by the next run): stopping. */
  signal?: AbortSignal,
): StreamHandler {
  return async (event) => {
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : '';
    if (answer.FunctionError !== undefined) {
      throw new Error(`${functionName} failed (${answer.FunctionError}): ${text}`);
    }
    if (text === '') return undefined;
    return (JSON.parse(text) as DynamoDBBatchResponse | null) ?? undefined;
  };
}
