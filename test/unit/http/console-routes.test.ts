import { describe, expect, test } from 'vitest';
import type { ConsoleFiles } from '../../../lib/http/console-routes.js';
import { get, testApi } from './fake-api.js';

const INDEX = `<!doctype html><html><head><title>RocketMQ Connect</title>
<script type="module" crossorigin src="/console/assets/index-BhfJQbZP.js"></script>
<link rel="stylesheet" crossorigin href="/console/assets/index-D4x_9-kq.css"></head>
<body><div id="app"></div></body></html>`;

const FILES: ConsoleFiles = new Map([
  ['index.html', INDEX],
  ['assets/index-BhfJQbZP.js', 'console.log("console");'],
  ['assets/index-D4x_9-kq.css', 'body { margin: 0 }'],
  ['assets/logo-Q1w2E3r4.svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
]);

// What browsers send when they load a page.
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The API with the console's files, counting how often they are loaded. */
function consoleApi(load: () => Promise<ConsoleFiles> = () => Promise.resolve(FILES)) {
  let loads = 0;
  const test = testApi([], {
    consoleFiles: () => {
      loads++;
      return load();
    },
  });
  return { ...test, loads: () => loads };
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

describe('GET /: the console for a browser, Kafka Connect JSON for everyone else', () => {
  test('a browser (Accept: text/html) gets index.html without credentials, with the page headers', async () => {
    const { api } = consoleApi();
    const response = await api(get('/', { accept: BROWSER }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(INDEX);
    expect(response.headers).toMatchObject({ ...PAGE_HEADERS, vary: 'accept' });
  });

  test.for([
    ['*/*', '*/*'],
    ['no Accept', undefined],
    ['application/json', 'application/json'],
    ['text/html refused with q=0', 'text/html;q=0, application/json'],
  ])('%s gets the JSON, which needs a token', async ([, accept]) => {
    const { api, loads } = consoleApi();
    const withAccept = accept === undefined ? {} : { accept };
    const refused = await api(get('/', withAccept));
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer /);

    const response = await api(get('/', { ...withAccept, token: true }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({
      version: '1.2.3',
      commit: 'abc',
      kafka_cluster_id: 'test-table',
    });
    expect(loads()).toBe(0);
  });
});

describe('GET /console and /console/assets/{file}', () => {
  test.for(['/console', '/console/'])(
    '%s serves index.html to anyone, whatever the Accept header',
    async (path) => {
      const { api } = consoleApi();
      for (const accept of [BROWSER, '*/*', undefined]) {
        const response = await api(get(path, accept === undefined ? {} : { accept }));
        expect(response.statusCode).toBe(200);
        expect(response.body).toBe(INDEX);
        expect(response.headers).toMatchObject(PAGE_HEADERS);
      }
    },
  );

  test.for([
    ['index-BhfJQbZP.js', 'text/javascript; charset=utf-8'],
    ['index-D4x_9-kq.css', 'text/css; charset=utf-8'],
    ['logo-Q1w2E3r4.svg', 'image/svg+xml'],
  ])(
    'an asset (%s) is served as %s, cached for good, without credentials',
    async ([name, type]) => {
      const { api } = consoleApi();
      const response = await api(get(`/console/assets/${name}`));
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(FILES.get(`assets/${name}`));
      expect(response.headers).toMatchObject({
        'content-type': type,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      });
    },
  );

  test.for([
    '/console/assets/index-nothere.js',
    '/console/assets/..',
    '/console/assets/%2e%2e',
    '/console/assets/..%2Findex.html',
    '/console/assets/%2E%2E%2F%2E%2E%2Findex.html',
    '/console/assets/index-BhfJQbZP%2Ejs',
    '/console/assets/.index-BhfJQbZP.js',
    '/console/assets/index-BhfJQbZP.js/',
    '/console/assets/a/index-BhfJQbZP.js',
    '/console/index.html',
  ])('%s is 404 naming the path, in the API error shape', async (path) => {
    const { api } = consoleApi();
    const response = await api(get(path));
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({ error_code: 404, message: expect.any(String) });
    expect((JSON.parse(response.body) as { message: string }).message).toContain(path);
  });

  test('the files are loaded on the first console request only, and once', async () => {
    const { api, loads } = consoleApi();
    await api(get('/health'));
    expect(loads()).toBe(0);
    const answers = await Promise.all([
      api(get('/console')),
      api(get('/', { accept: BROWSER })),
      api(get('/console/assets/index-BhfJQbZP.js')),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await api(get('/console/assets/index-D4x_9-kq.css'));
    expect(loads()).toBe(1);
  });

  test('a load that fails answers 500 with the cause in the log, and the next request tries again', async () => {
    let fail = true;
    const { api, logs, loads } = consoleApi(() =>
      fail
        ? Promise.reject(new Error('vite: Could not resolve ./missing.css'))
        : Promise.resolve(FILES),
    );
    const failed = await api(get('/console'));
    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({
      error_code: 500,
      message: expect.stringContaining('internal error'),
    });
    expect(failed.body).not.toContain('missing.css');
    expect(logs.join('\n')).toContain(
      "the console's files could not be loaded: vite: Could not resolve ./missing.css",
    );

    fail = false;
    const retried = await api(get('/console'));
    expect(retried.statusCode).toBe(200);
    expect(retried.body).toBe(INDEX);
    await api(get('/console'));
    expect(loads()).toBe(2);
  });

  test('files without index.html answer 500', async () => {
    const { api } = consoleApi(() => Promise.resolve(new Map([['assets/a-1.js', '']])));
    expect((await api(get('/console'))).statusCode).toBe(500);
  });
});
