import { describe, expect, test } from 'vitest';
import {
  BadEventError,
  parseCoordinatorEvent,
} from '../../../lib/coordinator/coordinator-event.js';

describe('coordinator events', () => {
  test('accept the schedule tick with all its EventBridge fields', () => {
    const tick = {
      version: '0',
      id: 'abc',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-11-23T20:00:00Z',
      resources: ['arn:aws:events:us-east-1:1:rule/x'],
      detail: {},
    };
    expect(parseCoordinatorEvent(tick)).toMatchObject({ source: 'aws.events' });
  });

  test('accept a wake-up on a config change, with or without the connector', () => {
    expect(parseCoordinatorEvent({ reason: 'config-change', connector: 'orders' })).toEqual({
      reason: 'config-change',
      connector: 'orders',
    });
    expect(parseCoordinatorEvent({ reason: 'manual' })).toEqual({ reason: 'manual' });
  });

  test.each([[null], ['tick'], [{}], [{ reason: 'because' }], [{ reason: 'manual', extra: 1 }]])(
    'refuse %j, saying what is expected',
    (event) => {
      expect(() => parseCoordinatorEvent(event)).toThrow(BadEventError);
      expect(() => parseCoordinatorEvent(event)).toThrow(/neither a scheduled EventBridge event/);
    },
  );
});
