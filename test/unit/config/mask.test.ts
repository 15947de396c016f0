import { describe, expect, it } from 'vitest';
import { HIDDEN, isSecretKey, maskConfig } from '../../../lib/config/mask.js';

describe('maskConfig', () => {
  it('hides keys that hold secrets by their name', () => {
    const masked = maskConfig({
      'connection.password': 'p',
      'db.passwd': 'p',
      'client.secret': 's',
      'auth.token': 't',
      'aws.credentials': 'c',
      'api.key': 'k',
      apikey: 'k',
      'ssh.private-key': 'k',
      'sasl.jaas.config': 'org.apache... password="x";',
      'connection.url': 'jdbc:mysql://db:3306/app',
    });
    expect(masked).toEqual({
      'connection.password': HIDDEN,
      'db.passwd': HIDDEN,
      'client.secret': HIDDEN,
      'auth.token': HIDDEN,
      'aws.credentials': HIDDEN,
      'api.key': HIDDEN,
      apikey: HIDDEN,
      'ssh.private-key': HIDDEN,
      'sasl.jaas.config': HIDDEN,
      'connection.url': 'jdbc:mysql://db:3306/app',
    });
  });

  it("hides keys the plugin's configDef marks secret or types PASSWORD", () => {
    const plugin = {
      configDef: [
        {
          name: 'dsn',
          type: 'STRING',
          required: true,
          importance: 'HIGH',
          documentation: '',
          secret: true,
        },
        { name: 'pin', type: 'PASSWORD', required: true, importance: 'HIGH', documentation: '' },
        { name: 'host', type: 'STRING', required: true, importance: 'HIGH', documentation: '' },
      ] as const,
    };
    expect(maskConfig({ dsn: 'a', pin: '1234', host: 'h' }, plugin)).toEqual({
      dsn: HIDDEN,
      pin: HIDDEN,
      host: 'h',
    });
  });

  it('shows values that are only references: they say where the secret is, not what', () => {
    const masked = maskConfig({
      'db.password': '${ssm:/prod/db/password}',
      'api.key': '${secretsmanager:prod/api:key}${env:SUFFIX}',
      'mixed.password': 'abc${env:X}',
      'broken.password': '${vault:x}',
    });
    expect(masked).toEqual({
      'db.password': '${ssm:/prod/db/password}',
      'api.key': '${secretsmanager:prod/api:key}${env:SUFFIX}',
      'mixed.password': HIDDEN,
      'broken.password': HIDDEN,
    });
  });

  it('leaves the config it was given unchanged', () => {
    const config = { password: 'p' };
    maskConfig(config);
    expect(config).toEqual({ password: 'p' });
    expect(isSecretKey('topics')).toBe(false);
  });
});
