import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CHECK_INVOKE_TIMEOUT_MS } from '../runtime/check-request.js';
import { DynamoStateStore } from '../state/dynamo-state-store.js';
import { awsClientOptions, type BaseEnv } from './env.js';

// The AWS SDK clients of the api, coordinator and task functions, from their parsed
// environment. A module of its own: the mirror, which has no state table client, never loads
// these SDKs at its cold start.

/** The state table through its own DynamoDB client (DynamoDB Local when the env says so). */
export function stateStoreOf(env: BaseEnv): DynamoStateStore {
  return new DynamoStateStore(
    new DynamoDBClient(awsClientOptions(env, env.DYNAMODB_ENDPOINT)),
    env.STATE_TABLE_NAME,
  );
}

/** A Lambda client, to invoke the other functions (serverless-offline's endpoint locally). */
export function lambdaClientOf(env: BaseEnv): LambdaClient {
  return new LambdaClient(awsClientOptions(env, env.LAMBDA_ENDPOINT));
}

/**
 * The api's Lambda client for system checks (and, with a longer `timeoutMs`, previews): a
 * synchronous invoke of the task function waits for its answer (up to CHECK_INVOKE_TIMEOUT_MS,
 * where other calls give up after 5 s), and is tried once: a retry would double the wait of a
 * check whose host does not answer.
 */
export function checkLambdaClientOf(
  env: BaseEnv,
  timeoutMs: number = CHECK_INVOKE_TIMEOUT_MS,
): LambdaClient {
  const options = awsClientOptions(env, env.LAMBDA_ENDPOINT);
  return new LambdaClient({
    ...options,
    requestHandler: { ...options.requestHandler, requestTimeout: timeoutMs },
    maxAttempts: 1,
  });
}
