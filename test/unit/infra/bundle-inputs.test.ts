import { describe, expect, it } from 'vitest';
import { taskCodeLeaks, taskCodeOf, type Metafile } from '../../../infra/aws/bundle-inputs.js';

type Import = Metafile['inputs'][string]['imports'][number];
const s = (path: string): Import => ({ path, kind: 'import-statement' });
const lazy = (path: string): Import => ({ path, kind: 'dynamic-import' });

/** A task bundle: two connectors, whose task modules bring a driver and a helper of their own. */
const taskBundle: Metafile = {
  inputs: {
    'functions/task.ts': {
      imports: [s('lib/runtime/slice-runner.ts'), s('lib/connectors/index.ts')],
    },
    'lib/runtime/slice-runner.ts': { imports: [s('../main/node_modules/zod/index.js')] },
    'lib/connectors/index.ts': {
      imports: [s('lib/connectors/jdbc/connector.ts'), s('lib/connectors/http/connector.ts')],
    },
    'lib/connectors/jdbc/connector.ts': {
      imports: [s('lib/connectors/jdbc/config.ts'), lazy('lib/connectors/jdbc/task.ts')],
    },
    'lib/connectors/jdbc/config.ts': { imports: [] },
    'lib/connectors/jdbc/task.ts': {
      imports: [
        s('lib/connectors/jdbc/config.ts'),
        s('lib/connectors/jdbc/dialect.ts'),
        s('../main/node_modules/pg/lib/index.js'),
        s('../main/node_modules/@acme/pool/index.js'),
      ],
    },
    'lib/connectors/jdbc/dialect.ts': { imports: [] },
    'lib/connectors/http/connector.ts': { imports: [lazy('lib/connectors/http/task.ts')] },
    'lib/connectors/http/task.ts': { imports: [s('../main/node_modules/zod/index.js')] },
    '../main/node_modules/zod/index.js': { imports: [] },
    '../main/node_modules/pg/lib/index.js': { imports: [] },
    '../main/node_modules/@acme/pool/index.js': { imports: [] },
  },
};

/** An api bundle as the build makes it: descriptors, stubs in place of the task modules. */
const cleanApi: Metafile = {
  inputs: {
    'functions/api.ts': { imports: [s('lib/connectors/jdbc/connector.ts')] },
    'lib/connectors/jdbc/connector.ts': {
      imports: [
        s('lib/connectors/jdbc/config.ts'),
        lazy('lazy-task-code:lib/connectors/jdbc/task.js'),
      ],
    },
    'lib/connectors/jdbc/config.ts': { imports: [] },
    'lazy-task-code:lib/connectors/jdbc/task.js': { imports: [] },
    '../main/node_modules/zod/index.js': { imports: [{ ...s('node:fs'), external: true }] },
  },
};

describe('task code in the bundles', () => {
  it('finds the task code: what only a connector import() reaches, modules and packages', () => {
    const code = taskCodeOf(taskBundle);
    expect([...code.modules].sort()).toEqual([
      'lib/connectors/http/task.ts',
      'lib/connectors/jdbc/dialect.ts',
      'lib/connectors/jdbc/task.ts',
    ]);
    // zod is reached statically too (the runtime uses it): not task code.
    expect([...code.packages].sort()).toEqual(['@acme/pool', 'pg']);
  });

  it('passes a bundle with descriptors and stubs only', () => {
    expect(taskCodeLeaks(cleanApi, taskCodeOf(taskBundle))).toEqual([]);
  });

  it.each([
    ['a task module', 'lib/connectors/jdbc/task.ts', 'task module lib/connectors/jdbc/task.ts'],
    [
      'a task-only helper',
      'lib/connectors/jdbc/dialect.ts',
      'task module lib/connectors/jdbc/dialect.ts',
    ],
    [
      'a package only tasks import',
      '../main/node_modules/@acme/pool/x.js',
      'driver package @acme/pool',
    ],
    [
      'a known driver the task bundle lacks',
      '../main/node_modules/mysql2/promise.js',
      'driver package mysql2',
    ],
  ])('fails a bundle that holds %s', (_, input, leak) => {
    const leaky: Metafile = { inputs: { ...cleanApi.inputs, [input]: { imports: [] } } };
    const leaks = taskCodeLeaks(leaky, taskCodeOf(taskBundle));
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toContain(leak);
  });

  it('fails a bundle that leaves a driver external but imports it', () => {
    const leaky: Metafile = {
      inputs: {
        ...cleanApi.inputs,
        'lib/http/x.ts': {
          imports: [{ path: 'amqplib/callback_api', kind: 'require-call', external: true }],
        },
      },
    };
    expect(taskCodeLeaks(leaky, taskCodeOf(taskBundle))).toEqual([
      'driver package amqplib (external, from lib/http/x.ts)',
    ]);
  });
});
