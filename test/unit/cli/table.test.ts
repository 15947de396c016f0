import { describe, expect, it } from 'vitest';
import {
  connectorsTable,
  formatTable,
  pluginsTable,
  statusReport,
  taskSummary,
} from '../../../lib/cli/table.js';
import type { ConnectorStateInfo } from '../../../lib/http/views.js';

const running: ConnectorStateInfo = {
  name: 'orders',
  connector: { state: 'RUNNING', worker_id: 'coordinator' },
  tasks: [
    { id: 0, state: 'RUNNING', worker_id: 'worker-a', restart_count: 0 },
    { id: 1, state: 'RUNNING', worker_id: 'worker-b', restart_count: 2 },
  ],
  type: 'source',
};

describe('formatTable', () => {
  it('aligns columns two spaces apart without trailing spaces', () => {
    expect(
      formatTable(
        ['NAME', 'STATE', 'NOTE'],
        [
          ['a', 'RUNNING', ''],
          ['longer-name', 'FAILED', 'x'],
        ],
      ),
    ).toBe(
      ['NAME         STATE    NOTE', 'a            RUNNING', 'longer-name  FAILED   x', ''].join(
        '\n',
      ),
    );
  });
});

describe('taskSummary', () => {
  it.each([
    [[], 'no tasks'],
    [['RUNNING', 'RUNNING'], 'RUNNING 2/2'],
    [['FAILED', 'RUNNING', 'RUNNING'], 'RUNNING 2/3, FAILED 1/3'],
    [['UNASSIGNED', 'PAUSED'], 'PAUSED 1/2, UNASSIGNED 1/2'],
    [['SOMETHING', 'RUNNING'], 'RUNNING 1/2, SOMETHING 1/2'],
  ])('summarises %j as %j', (states, expected) => {
    expect(taskSummary(states.map((state) => ({ state })))).toBe(expected);
  });
});

describe('connectorsTable', () => {
  it('lists connectors by name with type, state and tasks', () => {
    const failed: ConnectorStateInfo = {
      ...running,
      name: 'files',
      type: 'sink',
      tasks: [{ id: 0, state: 'FAILED', worker_id: null, restart_count: 5, trace: 'boom' }],
    };
    expect(connectorsTable({ orders: { status: running }, files: { status: failed } })).toBe(
      [
        'NAME    TYPE    STATE    TASKS',
        'files   sink    RUNNING  FAILED 1/1',
        'orders  source  RUNNING  RUNNING 2/2',
        '',
      ].join('\n'),
    );
  });

  it('says when there are none', () => {
    expect(connectorsTable({})).toBe('no connectors\n');
  });
});

describe('statusReport', () => {
  it('shows the connector and each task', () => {
    expect(statusReport(running, { trace: false })).toBe(
      [
        'orders (source)',
        '',
        'ID         STATE    WORKER       RESTARTS',
        'connector  RUNNING  coordinator  -',
        '0          RUNNING  worker-a     0',
        '1          RUNNING  worker-b     2',
        '',
      ].join('\n'),
    );
  });

  const failed: ConnectorStateInfo = {
    ...running,
    connector: { state: 'FAILED', worker_id: 'coordinator', trace: 'config broke' },
    tasks: [
      { id: 0, state: 'UNASSIGNED', worker_id: null, restart_count: 0 },
      {
        id: 1,
        state: 'FAILED',
        worker_id: 'worker-b',
        restart_count: 3,
        trace: 'Error: disk full\n    at write (sink.ts:1)\n    at flush (sink.ts:2)\n',
      },
    ],
  };

  it('shows the first line of each failure’s trace', () => {
    const text = statusReport(failed, { trace: false });
    expect(text).toContain('0          UNASSIGNED  -            0\n');
    expect(text).toContain('\nconnector failed: config broke\n');
    expect(text).toContain('\ntask 1 failed: Error: disk full\n');
    expect(text).not.toContain('at write');
    expect(text).toContain('(--trace shows the whole trace)');
  });

  it('shows whole traces with trace', () => {
    const text = statusReport(failed, { trace: true });
    expect(text).toContain(
      'task 1 failed:\n  Error: disk full\n      at write (sink.ts:1)\n      at flush (sink.ts:2)\n',
    );
    expect(text).not.toContain('--trace shows');
  });

  it('says when a failure has no trace', () => {
    const text = statusReport(
      { ...running, tasks: [{ id: 0, state: 'FAILED', worker_id: null, restart_count: 0 }] },
      { trace: false },
    );
    expect(text).toContain('task 0 failed: (no trace)');
  });
});

describe('pluginsTable', () => {
  it('shows class, type and version', () => {
    expect(
      pluginsTable([
        { class: 'org.example.ASource', type: 'source', version: '1.0' },
        { class: 'B', type: 'sink', version: '0.1.0' },
      ]),
    ).toBe(
      [
        'CLASS                TYPE    VERSION',
        'org.example.ASource  source  1.0',
        'B                    sink    0.1.0',
        '',
      ].join('\n'),
    );
  });
});
