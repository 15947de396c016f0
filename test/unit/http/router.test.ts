import { describe, expect, test } from 'vitest';
import { HttpError } from '../../../lib/http/errors.js';
import { matchRoute, type Route } from '../../../lib/http/router.js';
import { emptyResponse } from '../../../lib/http/types.js';

const route = (method: string, pattern: string): Route => ({
  method,
  pattern,
  access: 'read',
  handle: () => Promise.resolve(emptyResponse(204)),
});

const routes = [
  route('GET', '/'),
  route('GET', '/connectors'),
  route('GET', '/connectors/:name'),
  route('DELETE', '/connectors/:name'),
  route('GET', '/connectors/list'),
  route('GET', '/connectors/:name/tasks/:id/status'),
];

function failure(method: string, path: string): HttpError {
  try {
    matchRoute(routes, method, path);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`${method} ${path} matched`);
}

describe('matching routes', () => {
  test('the root and literal paths match, with or without a trailing slash', () => {
    expect(matchRoute(routes, 'GET', '/').route.pattern).toBe('/');
    expect(matchRoute(routes, 'GET', '/connectors/').route.pattern).toBe('/connectors');
  });

  test('parameters are percent-decoded segments', () => {
    const { params } = matchRoute(routes, 'GET', '/connectors/a%2Fb%20c/tasks/3/status');
    expect(params).toEqual({ name: 'a/b c', id: '3' });
  });

  test('a literal segment wins over a parameter, whatever the order of the table', () => {
    expect(matchRoute(routes, 'GET', '/connectors/list').route.pattern).toBe('/connectors/list');
    expect(matchRoute([...routes].reverse(), 'GET', '/connectors/list').route.pattern).toBe(
      '/connectors/list',
    );
    // Another method on the same path still finds the parameter route.
    expect(matchRoute(routes, 'DELETE', '/connectors/list').params).toEqual({ name: 'list' });
  });

  test('an unknown path is 404 naming it', () => {
    const error = failure('GET', '/nothing');
    expect(error.httpStatus).toBe(404);
    expect(error.message).toContain('/nothing');
  });

  test('a known path with another method is 405 listing the allowed ones', () => {
    const error = failure('PUT', '/connectors/x');
    expect(error.httpStatus).toBe(405);
    expect(error.headers).toEqual({ allow: 'DELETE, GET' });
  });

  test('broken percent-encoding is 400, not a crash', () => {
    const error = failure('GET', '/connectors/%E0%A4%A');
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain('percent-encoding');
  });
});
