import {
  BadRequestException,
  ForbiddenException,
  NotFoundException,
  PayloadTooLargeException,
  PaymentRequiredException,
  RequestHeaderFieldsTooLargeException,
  UnauthorizedException,
  UnsupportedException,
} from 'rocketmq-client-nodejs';
import { NonRetriableError, RetriableError } from '../api/errors.js';

// Refusals that the same request will meet again: bad input, missing topic, no permission.
const PERMANENT_FAILURES = [
  BadRequestException,
  ForbiddenException,
  NotFoundException,
  PayloadTooLargeException,
  PaymentRequiredException,
  RequestHeaderFieldsTooLargeException,
  UnauthorizedException,
  UnsupportedException,
];

/**
 * The proxy answers a long poll that reached it with too little of its deadline left with
 * BAD_REQUEST (40000, "The deadline time remaining is not enough for polling"). The request was
 * fine; it waited in a queue on a loaded machine (seen in CI, where it failed a sink task). The
 * same request sent again passes.
 */
function isLateArrival(error: Error): boolean {
  return /deadline time remaining is not enough/i.test(error.message);
}

/** The remoting client's errors (RemotingError, TopicAdminError) say themselves. */
function hasRetriableFlag(error: Error): error is Error & { readonly retriable: boolean } {
  return typeof (error as { retriable?: unknown }).retriable === 'boolean';
}

/**
 * A client failure (gRPC or remoting) with its retriability made explicit: the broker's
 * refusals of the request itself are not retriable; throttling, timeouts, internal and
 * transport errors are.
 */
export function classifyClientError(error: Error): RetriableError | NonRetriableError {
  if (error instanceof RetriableError || error instanceof NonRetriableError) return error;
  const permanent = hasRetriableFlag(error)
    ? !error.retriable
    : PERMANENT_FAILURES.some((type) => error instanceof type) && !isLateArrival(error);
  const message = error.message || error.name;
  return permanent
    ? new NonRetriableError(message, { cause: error })
    : new RetriableError(message, { cause: error });
}
