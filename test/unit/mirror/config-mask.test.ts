import { describe, expect, test } from 'vitest';
import { mirrorConfigMask } from '../../../lib/mirror/config-mask.js';
import { registry } from '../config/test-plugins.js';

describe('how the mirror masks configs', () => {
  const mask = mirrorConfigMask(registry);

  test("a config naming its plugin is masked by that plugin's secret keys and by key names", () => {
    expect(
      mask({
        'connector.class': 'HttpSink',
        bearer: 'b3arer',
        'db.password': 'pw',
        'http.url': 'u',
      }),
    ).toEqual({
      'connector.class': 'HttpSink',
      bearer: '[hidden]',
      'db.password': '[hidden]',
      'http.url': 'u',
    });
  });

  test("a task config that does not name its plugin is masked by every plugin's secret keys", () => {
    // `bearer` is no secret by its name; only the HTTP sink plugin says it is.
    expect(mask({ bearer: 'b3arer', 'http.url': 'u' })).toEqual({
      bearer: '[hidden]',
      'http.url': 'u',
    });
  });

  test('references are shown as written', () => {
    expect(mask({ bearer: '${env:BEARER}' })).toEqual({ bearer: '${env:BEARER}' });
  });
});
