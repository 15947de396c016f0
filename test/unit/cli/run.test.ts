import { describe, expect, it } from 'vitest';
import type { ReadFile } from '../../../lib/cli/config-file.js';
import { run, type CliIo } from '../../../lib/cli/main.js';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Reply = { status: number; body?: unknown } | Error;

/** run() with captured output, a fetch answering from `replies` in turn, and files from a map. */
async function cli(
  argv: string[],
  options: {
    replies?: Reply[];
    env?: Record<string, string>;
    files?: Record<string, string>;
  } = {},
) {
  const sent: Sent[] = [];
  const replies = [...(options.replies ?? [])];
  let stdout = '';
  let stderr = '';
  const fakeFetch = (input: string, init?: RequestInit): Promise<Response> => {
    sent.push({
      method: init?.method ?? 'GET',
      url: input,
      headers: init?.headers as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const reply = replies.shift() ?? { status: 200, body: {} };
    if (reply instanceof Error) return Promise.reject(reply);
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
    const empty = reply.status === 204 || reply.body === undefined;
    return Promise.resolve(new Response(empty ? null : text, { status: reply.status }));
  };
  const readFile: ReadFile = (path) => {
    const text = options.files?.[path];
    return text === undefined
      ? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))
      : Promise.resolve(text);
  };
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    // The client calls fetch with a URL string only.
    fetch: fakeFetch as typeof fetch,
    readFile,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr, sent };
}

const info = { name: 'gen', config: {}, tasks: [], type: 'source' };

describe('run: requests', () => {
  it('uses --url over CONNECT_API_URL over the default, and the token from the environment', async () => {
    const env = { CONNECT_API_URL: 'http://env:1/', CONNECT_API_TOKEN: 'secret-token' };
    expect((await cli(['list'], { env })).sent[0]).toMatchObject({
      url: 'http://env:1/connectors',
      headers: { authorization: 'Bearer secret-token' },
    });
    expect((await cli(['list', '--url', 'http://flag:2/stage'], { env })).sent[0]?.url).toBe(
      'http://flag:2/stage/connectors',
    );
    expect((await cli(['list'])).sent[0]?.url).toBe('http://127.0.0.1:8083/connectors');
    expect((await cli(['list'])).sent[0]?.headers.authorization).toBeUndefined();
  });

  it('encodes connector names in paths', async () => {
    const { sent } = await cli(['status', 'a/b c'], {
      replies: [{ status: 200, body: { name: 'a/b c', connector: {}, tasks: [], type: 'sink' } }],
    });
    expect(sent[0]?.url).toBe('http://127.0.0.1:8083/connectors/a%2Fb%20c/status');
  });

  it('creates with POST /connectors, the name and the initial state', async () => {
    const { code, stdout, sent } = await cli(['create', 'conf/gen.properties', '--stopped'], {
      files: { 'conf/gen.properties': 'connector.class=Datagen\n' },
      replies: [{ status: 201, body: info }],
    });
    expect(code).toBe(0);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: 'http://127.0.0.1:8083/connectors',
      body: { name: 'gen', config: { 'connector.class': 'Datagen' }, initial_state: 'STOPPED' },
    });
    expect(stdout).toBe('created connector gen (source, STOPPED)\n');
  });

  it('applies with PUT /connectors/{name}/config and says whether it created or updated', async () => {
    const files = { 'gen.json': '{"connector.class": "Datagen"}' };
    const created = await cli(['apply', 'gen.json'], {
      files,
      replies: [{ status: 201, body: info }],
    });
    expect(created.sent[0]).toMatchObject({
      method: 'PUT',
      url: 'http://127.0.0.1:8083/connectors/gen/config',
      body: { 'connector.class': 'Datagen' },
    });
    expect(created.stdout).toBe('created connector gen (source)\n');
    const updated = await cli(['apply', 'gen.json'], {
      files,
      replies: [{ status: 200, body: info }],
    });
    expect(updated.stdout).toBe('updated connector gen (source)\n');
  });

  it('restarts with the flags as query parameters and lists what restarts', async () => {
    const { stdout, sent } = await cli(['restart', 'gen', '--include-tasks', '--only-failed'], {
      replies: [
        {
          status: 202,
          body: {
            name: 'gen',
            connector: { state: 'RUNNING', worker_id: 'coordinator' },
            tasks: [
              { id: 0, state: 'RUNNING', worker_id: 'w', restart_count: 0 },
              { id: 1, state: 'RESTARTING', worker_id: 'w', restart_count: 0 },
            ],
            type: 'source',
          },
        },
      ],
    });
    expect(sent[0]?.url).toBe(
      'http://127.0.0.1:8083/connectors/gen/restart?includeTasks=true&onlyFailed=true',
    );
    expect(stdout).toBe('restarting gen: task 1\n');
  });

  it('sends an offsets file as {"offsets": [...]}', async () => {
    const offsets = [{ partition: { f: 'a' }, offset: null }];
    const { sent, stdout } = await cli(['offsets', 'set', 'gen', 'o.json'], {
      files: { 'o.json': JSON.stringify(offsets) },
      replies: [{ status: 200, body: { message: 'altered' } }],
    });
    expect(sent[0]).toMatchObject({ method: 'PATCH', body: { offsets } });
    expect(stdout).toBe('altered\n');
  });
});

describe('run: validate', () => {
  const file = { 'gen.properties': 'connector.class=Datagen\nrate=-1\n' };

  it('sends the config with its name to the plugin of its connector.class', async () => {
    const { sent, stdout, code } = await cli(['validate', 'gen.properties'], {
      files: file,
      replies: [
        { status: 200, body: { name: 'Datagen', error_count: 0, groups: [], configs: [] } },
      ],
    });
    expect(sent[0]).toMatchObject({
      method: 'PUT',
      url: 'http://127.0.0.1:8083/connector-plugins/Datagen/config/validate',
      body: { 'connector.class': 'Datagen', rate: '-1', name: 'gen' },
    });
    expect([code, stdout]).toEqual([0, 'valid\n']);
  });

  it('prints each key with its errors and exits 1', async () => {
    const value = (name: string, errors: string[]) => ({
      definition: {},
      value: { name, value: null, recommended_values: [], errors, visible: true },
    });
    const { stdout, code } = await cli(['validate', 'gen.properties'], {
      files: file,
      replies: [
        {
          status: 200,
          body: {
            name: 'Datagen',
            error_count: 2,
            groups: [],
            configs: [value('rate', ['must be >= 0']), value('topic', []), value('x', ['bad'])],
          },
        },
      ],
    });
    expect(code).toBe(1);
    expect(stdout).toBe('rate: must be >= 0\nx: bad\ninvalid: 2 errors in gen.properties\n');
  });

  it('needs a connector.class', async () => {
    const { stderr, code, sent } = await cli(['validate', 'x.json'], { files: { 'x.json': '{}' } });
    expect(sent).toEqual([]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: x\.json has no connector\.class/);
  });
});

describe('run: errors', () => {
  it("prints the API's message and status", async () => {
    const { code, stderr } = await cli(['status', 'nope'], {
      replies: [{ status: 404, body: { error_code: 404, message: 'connector "nope" not found' } }],
    });
    expect(code).toBe(1);
    expect(stderr).toBe('error (404): connector "nope" not found\n');
  });

  it('lists per-key errors of an invalid config under the head of the message', async () => {
    const { stderr } = await cli(['create', 'c.json'], {
      files: { 'c.json': '{"connector.class": "Datagen"}' },
      replies: [
        {
          status: 400,
          body: {
            error_code: 400,
            message: 'invalid connector config (2 errors): rate: must be >= 0; topic: is required',
            errors: { rate: ['must be >= 0'], topic: ['is required'] },
          },
        },
      ],
    });
    expect(stderr).toBe(
      'error (400): invalid connector config (2 errors)\n  rate: must be >= 0\n  topic: is required\n',
    );
  });

  it('asks whether the URL is right when the route itself is not found', async () => {
    const gateway = await cli(['list', '--url', 'https://api.example/prd'], {
      replies: [{ status: 404, body: { message: 'Not Found' } }],
    });
    expect(gateway.stderr).toBe(
      'error (404): Not Found\n' +
        "is https://api.example/prd the Connect API's base URL? (set by --url or CONNECT_API_URL)\n",
    );
    const connector = await cli(['status', 'x'], {
      replies: [
        { status: 404, body: { error_code: 404, message: 'connector "x" does not exist' } },
      ],
    });
    expect(connector.stderr).toBe('error (404): connector "x" does not exist\n');
  });

  it('says how to give a token on 401', async () => {
    const reply = { status: 401, body: { error_code: 401, message: 'authentication required' } };
    const without = await cli(['list'], { replies: [reply] });
    expect(without.stderr).toBe(
      'error (401): authentication required\nno token was sent: set CONNECT_API_TOKEN or pass --token\n',
    );
    const refused = await cli(['list', '--token', 'wrong'], { replies: [reply] });
    expect(refused.stderr).toContain('the token was refused: check CONNECT_API_TOKEN or --token');
  });

  it("shows an answer that is not the API's as text", async () => {
    const { stderr, code } = await cli(['list'], {
      replies: [{ status: 502, body: '<html><body>Bad   gateway</body></html>' }],
    });
    expect(code).toBe(1);
    expect(stderr).toBe('error (502): <html><body>Bad gateway</body></html>\n');
  });

  it('says which URL could not be reached and how to set it', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    const { stderr, code } = await cli(['list'], {
      env: { CONNECT_API_URL: 'http://127.0.0.1:9' },
      replies: [refused],
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: could not reach the Connect API at http://127.0.0.1:9 (from CONNECT_API_URL): ECONNREFUSED\n' +
        'start it (npm start), or point rmq-connect at it with --url or CONNECT_API_URL\n',
    );
  });

  it('refuses a URL that is not one, as a usage error', async () => {
    const { stderr, code } = await cli(['list', '--url', 'localhost:8083']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/localhost:8083 \(from --url\) must be an http/);
  });

  it('exits 2 with the help when no command is given, and 0 when help is asked for', async () => {
    const none = await cli([]);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toContain('Usage: rmq-connect <command>');
    const asked = await cli(['help']);
    expect([asked.code, asked.stderr]).toEqual([0, '']);
    expect(asked.stdout).toContain('Usage: rmq-connect <command>');
  });

  it('exits 2 for an unknown command, naming the closest', async () => {
    const { code, stderr } = await cli(['stats', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "stats"; did you mean status?');
  });

  it('names a missing file and sends nothing', async () => {
    const { code, stderr, sent } = await cli(['apply', 'nope.properties']);
    expect([code, stderr, sent]).toEqual([
      1,
      'error: cannot read nope.properties: no such file\n',
      [],
    ]);
  });
});
