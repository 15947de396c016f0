import { ResponseCode } from './codes.js';

/**
 * A name server or broker could not be reached or did not answer in time (retriable), or
 * answered something unreadable (not). The message names the address.
 */
export class RemotingError extends Error {
  override readonly name: string = 'RemotingError';
  readonly retriable: boolean;

  constructor(
    readonly address: string,
    reason: string,
    options: { cause?: unknown; retriable?: boolean } = {},
  ) {
    super(`RocketMQ at ${address}: ${reason}`, { cause: options.cause });
    this.retriable = options.retriable ?? true;
  }
}

/**
 * The server answered, with an error code and its remark. Busy or unavailable servers may
 * answer otherwise later; anything else (a missing topic, a refused value) will not change.
 */
export class RemotingResponseError extends RemotingError {
  override readonly name = 'RemotingResponseError';

  constructor(
    address: string,
    what: string,
    readonly code: number,
    readonly remark: string | null | undefined,
  ) {
    super(address, `${what} refused with code ${code}${remark ? `: ${remark}` : ''}`, {
      retriable: RETRIABLE_CODES.has(code),
    });
  }
}

const RETRIABLE_CODES = new Set<number>([
  ResponseCode.SYSTEM_BUSY,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.FLOW_CONTROL,
]);
