import { NonRetriableError } from '../api/errors.js';

/** The connector's name is unusable, or differs from the `name` key of its config. */
export class ConnectorNameError extends NonRetriableError {
  override readonly name = 'ConnectorNameError';
  /** The management API's answer: the request is at fault. */
  readonly httpStatus = 400;
}

/** A request that does not apply to this connector (e.g. a sink's offsets, with no name server). */
export class NotApplicableError extends NonRetriableError {
  override readonly name = 'NotApplicableError';
  readonly httpStatus = 400;
}
