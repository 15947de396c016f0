import { describe, expect, it } from 'vitest';
import {
  findReferences,
  hasReference,
  isOnlyReferences,
  referencesIn,
} from '../../../lib/config/references.js';

const parts = (value: string) =>
  referencesIn('k', value).references.map(({ provider, path, jsonKey }) => ({
    provider,
    path,
    ...(jsonKey !== undefined && { jsonKey }),
  }));

const problems = (value: string) => referencesIn('k', value).problems.map((p) => p.message);

describe('config references', () => {
  it('parses each provider', () => {
    expect(parts('${env:DB_HOST}')).toEqual([{ provider: 'env', path: 'DB_HOST' }]);
    expect(parts('${ssm:/prod/db/password}')).toEqual([
      { provider: 'ssm', path: '/prod/db/password' },
    ]);
    expect(parts('${secretsmanager:prod/db:password}')).toEqual([
      { provider: 'secretsmanager', path: 'prod/db', jsonKey: 'password' },
    ]);
    expect(parts('${secretsmanager:prod/db}')).toEqual([
      { provider: 'secretsmanager', path: 'prod/db' },
    ]);
  });

  it('takes the JSON key after the last ":", and reads a bare ARN as a whole secret', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';
    expect(parts(`\${secretsmanager:${arn}}`)).toEqual([{ provider: 'secretsmanager', path: arn }]);
    expect(parts(`\${secretsmanager:${arn}:user}`)).toEqual([
      { provider: 'secretsmanager', path: arn, jsonKey: 'user' },
    ]);
    expect(parts('${secretsmanager:a:b:c}')).toEqual([
      { provider: 'secretsmanager', path: 'a:b', jsonKey: 'c' },
    ]);
  });

  it('finds several references inside text, with their positions', () => {
    const value = 'jdbc:mysql://${env:HOST}:${env:PORT}/app';
    const found = referencesIn('connection.url', value).references;
    expect(found.map((r) => r.text)).toEqual(['${env:HOST}', '${env:PORT}']);
    expect(found.map((r) => value.slice(r.start, r.end))).toEqual(['${env:HOST}', '${env:PORT}']);
    expect(found.every((r) => r.key === 'connection.url')).toBe(true);
  });

  it('leaves templates without a provider as plain text', () => {
    expect(referencesIn('k', '${topic}-${timestamp}')).toEqual({ references: [], problems: [] });
    expect(hasReference('costs $5 {approx}')).toBe(false);
  });

  it('reports malformed references', () => {
    expect(problems('${vault:x}')).toEqual([
      'Reference ${vault:x} in k: unknown config provider "vault"; known: env, ssm, secretsmanager',
    ]);
    expect(problems('${env:}')).toEqual(['Reference ${env:} in k: empty variable name']);
    expect(problems('${ssm:}')).toEqual(['Reference ${ssm:} in k: empty parameter name']);
    expect(problems('${ssm:/a')).toEqual(['Reference "${ssm:..." in k is not closed with "}"']);
    expect(problems('${:x}')).toEqual(['Reference ${:x} in k: no config provider before ":"']);
    expect(problems('${env:A B}')).toEqual([
      'Reference ${env:A B} in k: variable name must not contain spaces',
    ]);
    expect(problems('${env:${env:X}}')).toEqual([
      'Reference ${env:${env:X} in k: nested references are not supported',
    ]);
    expect(problems('${secretsmanager::key}')).toEqual([
      'Reference ${secretsmanager::key} in k: empty secret id',
    ]);
  });

  it('collects references and problems over a whole config, by key', () => {
    const { references, problems: bad } = findReferences({
      'db.password': '${ssm:/db}',
      'db.user': '${vault:u}',
      plain: 'x',
    });
    expect(references.map((r) => r.key)).toEqual(['db.password']);
    expect(bad.map((p) => p.key)).toEqual(['db.user']);
  });

  it('tells values made only of references from values that mix in text', () => {
    expect(isOnlyReferences('${ssm:/a}')).toBe(true);
    expect(isOnlyReferences('${env:A}${env:B}')).toBe(true);
    expect(isOnlyReferences('x${env:A}')).toBe(false);
    expect(isOnlyReferences('${env:A} ')).toBe(false);
    expect(isOnlyReferences('plain')).toBe(false);
  });
});
