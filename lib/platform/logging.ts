import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

/** The functions serverless.yml declares. */
export type FunctionName = 'api' | 'coordinator' | 'task' | 'mirror';

/** The `service` a function's log lines and metrics carry. */
export function serviceNameOf(fn: FunctionName): string {
  return `rocketmq-connect-${fn}`;
}

/**
 * A function's logger: one JSON object per line (Powertools for AWS Lambda), level from
 * `POWERTOOLS_LOG_LEVEL` (INFO by default) or Lambda's own log level setting.
 */
export function functionLogger(fn: FunctionName): Logger {
  return new Logger({ serviceName: serviceNameOf(fn) });
}

/**
 * The logger as a middy middleware: each invocation's lines carry its Lambda context (request
 * id, cold start, function), and the keys an invocation appends (the task's connector, task and
 * epoch) are dropped after it. The event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT
 * says: the API's events carry tokens, the mirror's carry connector configs.
 *
 * @example
 * export const handler = middy(run).use(logInvocations(logger));
 */
export function logInvocations(logger: Logger): ReturnType<typeof injectLambdaContext> {
  return injectLambdaContext(logger, { resetKeys: true, logEvent: false });
}
