/**
 * The files a user deploys or starts with agree with each other: the README's example is the
 * one `npm start` prints, and the LocalStack compose file provides what the `local` stage of
 * serverless.yml expects.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, type Tags } from 'yaml';
import { EXAMPLE_BODY, exampleCommands } from '../../../infra/local/example.js';
import { repoRoot } from '../../../infra/local/settings.js';
import { DEFAULT_STATE_TOPICS, stateTopicNames } from '../../../lib/mirror/state-change.js';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

// CloudFormation's short forms, kept as plain values.
const cfnTags: Tags = ['!Ref', '!GetAtt', '!Sub'].map((tag) => ({
  tag,
  resolve: (value: string) => ({ [tag]: value }),
}));

interface ComposeService {
  image: string;
  command?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  networks?: string[];
}

describe('the example npm start prints', () => {
  test('is in the README, word for word', () => {
    expect(read('README.md')).toContain(EXAMPLE_BODY);
  });

  test('names the API and the token first, and is valid shell', () => {
    const script = exampleCommands('http://127.0.0.1:8083', 'a-token-of-some-length');
    expect(script.split('\n')[0]).toBe(
      'export CONNECT_API_URL=http://127.0.0.1:8083 CONNECT_API_TOKEN=a-token-of-some-length',
    );
    execFileSync('bash', ['-n', '-c', script]);
  });
});

describe('infra/docker-compose.yml', () => {
  const compose = parse(read('infra/docker-compose.yml')) as {
    networks: Record<string, { name: string }>;
    services: Record<string, ComposeService>;
  };
  const serverless = parse(read('serverless.yml'), { customTags: cfnTags }) as {
    params: Record<string, Record<string, unknown>>;
    custom: { localstack: { stages: string[]; edgePort: string } };
  };

  test('runs LocalStack and RocketMQ name server, broker and proxy', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['localstack', 'rmq-namesrv', 'rmq-broker', 'rmq-proxy']),
    );
    expect(compose.services['rmq-proxy']!.command).toBe('sh mqproxy');
  });

  test("puts the Lambda containers on the network where the local stage's RocketMQ endpoint is", () => {
    const network = Object.values(compose.networks)[0]!.name;
    expect(compose.services.localstack!.environment!.LAMBDA_DOCKER_NETWORK).toBe(network);
    const endpoint = String(serverless.params.local!.rocketmqEndpoint);
    const [host, port] = endpoint.match(/'([^']+)'/)![1]!.split(':');
    expect(compose.services[host!]).toBeDefined();
    expect(compose.services[host!]!.ports).toContain(`127.0.0.1:${port}:${port}`);
    expect(serverless.custom.localstack.stages).toEqual(['local']);
    expect(compose.services.localstack!.ports).toContain('127.0.0.1:4566:4566');
  });

  test('creates the state topics the mirror publishes to, as FIFO topics', () => {
    const script = compose.services['rmq-topics']!.entrypoint!.join(' ');
    for (const topic of stateTopicNames(DEFAULT_STATE_TOPICS)) expect(script).toContain(topic);
    expect(script).toContain('+message.type=FIFO');
    // mqadmin exits 0 on failure: only its "success" line ends the retries.
    expect(script).toMatch(/until sh mqadmin updateTopic .*\| grep -q success; do/);
  });
});
