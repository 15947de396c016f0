import { describe, expect, it } from 'vitest';
import { lastErrorOf, totalOf } from '../../../console/src/connector-summary.js';
import { describeProblem } from '../../../console/src/problem.js';
import { routeOf } from '../../../console/src/routes.js';
import { counters } from './samples.js';

describe('describeProblem', () => {
  const origin = 'http://127.0.0.1:8083';

  it('says what to do for each kind of failure, keeping the API’s message', () => {
    const cases: [number | undefined, RegExp][] = [
      [0, /did not answer/],
      [401, /token was refused/],
      [403, /only read/],
      [404, /Not found/],
      [409, /conflicts/],
      [400, /PUT \/x was refused/],
      [503, /storage or broker/],
      [500, /API failed \(500\)/],
      [418, /refused \(418\)/],
      [undefined, /console hit an error/],
    ];
    for (const [status, title] of cases) {
      const problem = describeProblem(
        {
          message: 'the detail',
          method: 'PUT',
          path: '/x',
          ...(status === undefined ? {} : { status }),
        },
        origin,
      );
      expect(problem.title).toMatch(title);
      expect(problem.detail).toBe('the detail');
      expect(problem.fix.length).toBeGreaterThan(10);
    }
    expect(describeProblem({ status: 0, message: 'x' }, origin).title).toContain(origin);
    const taken = { status: 409, message: 'exists', method: 'POST', path: '/connectors' };
    expect(describeProblem(taken, origin).fix).toMatch(/another name/);
    const unreadable = { status: 200, message: 'not JSON', method: 'GET', path: '/connectors' };
    expect(describeProblem(unreadable, origin).title).toMatch(/could not be read/);
  });
});

describe('routeOf', () => {
  it('reads the pages from the hash', () => {
    expect(routeOf('')).toEqual({ page: 'list' });
    expect(routeOf('#/')).toEqual({ page: 'list' });
    expect(routeOf('#/new')).toEqual({ page: 'create' });
    expect(routeOf('#/connectors/a%20b')).toEqual({ page: 'connector', name: 'a b' });
    expect(routeOf('#/connectors/%E0%A4%A')).toEqual({ page: 'list' });
    expect(routeOf('#/elsewhere')).toEqual({ page: 'list' });
  });
});

describe('lastErrorOf', () => {
  const status = (overrides: object = {}) => ({
    name: 'c',
    type: 'source' as const,
    connector: { state: 'RUNNING' as const, worker_id: 'coordinator' },
    tasks: [{ id: 0, state: 'RUNNING' as const, worker_id: null, restart_count: 0 }],
    ...overrides,
  });
  const metrics = {
    name: 'c',
    type: 'source' as const,
    sampled_at: 0,
    tasks: [
      { id: 0, totals: counters({ dead_lettered: 2 }), last_error: { at: 5, message: 'old' } },
      {
        id: 1,
        totals: counters({ dead_lettered: 3 }),
        last_error: { at: 9, message: 'bad record\nat x' },
      },
    ],
  };

  it('prefers the connector’s failure, then a failed task’s, then the newest record error', () => {
    expect(
      lastErrorOf(
        status({ connector: { state: 'FAILED', worker_id: 'coordinator', trace: 'boom\nstack' } }),
        metrics,
      ),
    ).toEqual({ message: 'boom' });
    expect(
      lastErrorOf(
        status({
          tasks: [
            { id: 3, state: 'FAILED', worker_id: null, restart_count: 1, trace: 'task boom' },
          ],
        }),
        metrics,
      ),
    ).toEqual({ message: 'task 3: task boom' });
    expect(lastErrorOf(status(), metrics)).toEqual({ message: 'task 1: bad record', at: 9 });
    expect(lastErrorOf(status(), undefined)).toBeUndefined();
  });

  it('sums a counter over tasks', () => {
    expect(totalOf(metrics, 'dead_lettered')).toBe(5);
    expect(totalOf(metrics, 'record_errors')).toBe(0);
    expect(totalOf(undefined, 'dead_lettered')).toBe(0);
  });
});
