import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { SliceDispatcher, SliceRequest } from '../runtime/slice-request.js';
import type { WakeEvent } from './coordinator-event.js';

export class DispatchError extends Error {
  override readonly name = 'DispatchError';
  readonly retriable = true;
}

/**
 * Dispatch as in AWS: an asynchronous (`Event`) invoke of the task function, which Lambda queues
 * and retries on its own. Locally the same call goes to serverless-offline's invoke endpoint.
 */
export class LambdaSliceDispatcher implements SliceDispatcher {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async dispatch(request: SliceRequest): Promise<void> {
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(request)),
      }),
    );
    if (response.StatusCode !== 202) {
      throw new DispatchError(
        `invoking ${this.functionName} for ${request.connector}/${request.taskId} returned status ${response.StatusCode ?? 'none'}`,
      );
    }
  }
}

/**
 * Wakes the coordinator after a config change: an asynchronous invoke, so the API answers at
 * once and the coordinator plans within seconds instead of at the next scheduled tick.
 */
export function lambdaCoordinatorWaker(
  client: LambdaClient,
  functionName: string,
): (connector: string) => Promise<void> {
  return (connector) =>
    invokeCoordinator(client, functionName, { reason: 'config-change', connector });
}

/** An asynchronous (`Event`) invoke of the coordinator function with `event`. */
export async function invokeCoordinator(
  client: LambdaClient,
  functionName: string,
  event: WakeEvent,
): Promise<void> {
  const response = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  if (response.StatusCode !== 202) {
    throw new DispatchError(
      `invoking ${functionName} to wake the coordinator returned status ${response.StatusCode ?? 'none'}`,
    );
  }
}

/**
 * Runs slices in this process, for tests and local tools: `dispatch` returns at once like an
 * `Event` invoke, and `drain()` waits for every slice started so far (and those they start).
 */
export class InProcessSliceDispatcher implements SliceDispatcher {
  readonly dispatched: SliceRequest[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly failures: unknown[] = [];

  constructor(private readonly runSlice: (request: SliceRequest) => Promise<unknown>) {}

  dispatch(request: SliceRequest): Promise<void> {
    this.dispatched.push(request);
    const slice = this.runSlice(request).catch((error: unknown) => {
      this.failures.push(error);
    });
    this.running.add(slice);
    void slice.finally(() => this.running.delete(slice));
    return Promise.resolve();
  }

  /** Waits for all slices; rejects with the first slice failure, as a failed invoke would show. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
    const [first] = this.failures.splice(0);
    if (first !== undefined) {
      throw first instanceof Error ? first : new Error(`slice failed: ${JSON.stringify(first)}`);
    }
  }
}
