import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ConnectorConfig } from '../api/connector-config.js';
import type { KeyProblem } from '../config/validate-result.js';
import { RetriableError } from '../api/errors.js';
import { checkAnswerSchema, type CheckRequest } from '../runtime/check-request.js';
import type { PreviewRequest } from '../runtime/preview-request.js';
import type { PreviewAnswer } from '../runtime/preview.js';
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

/** What the system check needs of a `LambdaClient`. */
export interface LambdaInvoker {
  send(command: InvokeCommand): Promise<InvokeCommandOutput>;
}

/**
 * The api's `SystemCheck` (lib/management/connector-service.ts): a synchronous
 * (`RequestResponse`) invoke of the task function with `{"check": {"config": ...}}`, which
 * answers `{"problems": [...]}` (lib/runtime/check-request.ts). Give it a client that waits
 * `CHECK_INVOKE_TIMEOUT_MS` and tries once (`checkLambdaClientOf`).
 *
 * When the check itself cannot be had (the invoke fails, the function errs or is throttled,
 * its answer is not one), it logs a warning and answers no problem: the check helps a user
 * find a mistake early, and an outage of it must never block creating or changing a
 * connector, whose task would report the same mistake when it starts.
 */
export function lambdaSystemCheck(
  client: LambdaInvoker,
  functionName: string,
  log: (message: string) => void,
): (config: ConnectorConfig) => Promise<KeyProblem[]> {
  return async (config) => {
    const request: CheckRequest = { check: { config } };
    const skipped = (why: string) => {
      log(
        `could not check the config of ${config.name ?? 'a connector'} against its system: ${why}; accepted unchecked`,
      );
      return [];
    };
    let response: InvokeCommandOutput;
    try {
      response = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(request)),
        }),
      );
    } catch (error) {
      return skipped(`invoking ${functionName} failed (${errorText(error)})`);
    }
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    if (response.FunctionError !== undefined) {
      return skipped(`${functionName} failed (${response.FunctionError}): ${text.slice(0, 300)}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    const parsed = checkAnswerSchema.safeParse(answer);
    if (!parsed.success) {
      return skipped(
        `${functionName} answered ${JSON.stringify(text.slice(0, 300))}, not {"problems": [...]}`,
      );
    }
    return parsed.data.problems;
  };
}

/**
 * The api's `Previewer`: a synchronous invoke of the task function with `{"preview": ...}`,
 * which answers a `PreviewAnswer`. Give it a client that waits `PREVIEW_INVOKE_TIMEOUT_MS` and
 * tries once. Unlike the system check, a preview that cannot be had is the request's failure:
 * a 503 saying why.
 */
export function lambdaPreviewer(
  client: LambdaInvoker,
  functionName: string,
): (request: PreviewRequest) => Promise<PreviewAnswer> {
  return async (request) => {
    const unavailable = (why: string) =>
      new RetriableError(`the preview could not run in ${functionName}: ${why}`);
    let response: InvokeCommandOutput;
    try {
      response = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify({ preview: request })),
        }),
      );
    } catch (error) {
      throw unavailable(`the invoke failed (${errorText(error)})`);
    }
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    if (response.FunctionError !== undefined) {
      throw unavailable(`it failed (${response.FunctionError}): ${text.slice(0, 300)}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (
      typeof answer !== 'object' ||
      answer === null ||
      !Array.isArray((answer as PreviewAnswer).records)
    ) {
      throw unavailable(`it answered ${JSON.stringify(text.slice(0, 300))}, not a preview`);
    }
    return answer as PreviewAnswer;
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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
