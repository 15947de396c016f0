/** An API failure said as the user's problem: what happened, and what to do about it. */
export interface Problem {
  readonly title: string;
  readonly detail: string;
  readonly fix: string;
}

/** What `describeProblem` needs of a failure (an `ApiError`, or any error thrown while rendering). */
export interface FailureLike {
  readonly status?: number;
  readonly message: string;
  readonly method?: string;
  readonly path?: string;
}

/**
 * Turns a failure into a message a user can act on. The API's own message is kept as the detail:
 * it names the key, connector or state that is wrong.
 */
export function describeProblem(failure: FailureLike, apiOrigin: string): Problem {
  const what = failure.method && failure.path ? `${failure.method} ${failure.path}` : 'The console';
  const detail = failure.message;
  switch (failure.status) {
    case undefined:
      return {
        title: 'The console hit an error',
        detail,
        fix: 'Reload the page. If it happens again, the browser console has the details.',
      };
    case 0:
      return {
        title: `The API at ${apiOrigin} did not answer`,
        detail,
        fix: 'Check that the platform runs (npm start prints the API URL) and that this page was opened from it, then try again.',
      };
    case 401:
      return {
        title: 'The API token was refused',
        detail,
        fix: 'Enter the token again: npm start prints it, a deployment has it in CONNECT_API_TOKEN.',
      };
    case 403:
      return {
        title: 'This token may only read',
        detail,
        fix: 'Sign in with the admin token (CONNECT_API_TOKEN) to create or change connectors.',
      };
    case 404:
      return {
        title: 'Not found',
        detail,
        fix: 'It may have been deleted meanwhile: go back to the connectors list.',
      };
    case 409:
      if (failure.method === 'POST' && failure.path === '/connectors') {
        return {
          title: 'A connector of that name exists',
          detail,
          fix: 'Choose another name, or open that connector and change its config.',
        };
      }
      return {
        title: 'That conflicts with the connector’s current state',
        detail,
        fix: 'Wait for the connector to reach the state named above (or stop it first), then try again.',
      };
    case 400:
      return {
        title: `${what} was refused`,
        detail,
        fix: 'Correct the value named above and try again.',
      };
    case 503:
      return {
        title: 'The platform’s storage or broker did not answer',
        detail,
        fix: 'DynamoDB or RocketMQ is down or busy. Nothing was changed; try again in a moment.',
      };
    default:
      if (failure.status >= 200 && failure.status < 300) {
        return {
          title: `The API’s answer to ${what} could not be read`,
          detail,
          fix: 'Open the console from the API’s own address (npm start prints it), then reload.',
        };
      }
      return failure.status >= 500
        ? {
            title: `The API failed (${failure.status})`,
            detail,
            fix: 'This is a bug on the server: its log has the details under the request id above. Try again.',
          }
        : {
            title: `${what} was refused (${failure.status})`,
            detail,
            fix: 'Check the request and try again.',
          };
  }
}
