import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, test } from 'vitest';
import { maskConfig } from '../../../lib/config/mask.js';
import { mirrorBatch, type StatePublisher } from '../../../lib/mirror/mirror-batch.js';
import { itemFromJson } from '../../../lib/mirror/item-json.js';
import { stateChangePayloadSchema } from '../../../lib/mirror/payload.js';
import {
  changeVersion,
  DEFAULT_STATE_TOPICS,
  stateChangeOf,
  type StateChange,
} from '../../../lib/mirror/state-change.js';
import type { Item } from '../../../lib/state/attributes.js';
import { connectorItem, connectorStatusItem, taskConfigsItem } from '../../../lib/state/items.js';

const NOW = 1_800_000_000_000;
const LABEL = '2026-11-24T00:00:00.000';
const ARN = `arn:aws:dynamodb:us-east-1:0:table/state/stream/${LABEL}`;
/** The version a sequence number of this stream gets. */
const v = (seq: string) => `${LABEL}:${seq.padStart(40, '0')}`;
const mask = (config: Readonly<Record<string, string>>) => maskConfig(config);

const connector = connectorItem({
  name: 'orders',
  config: { 'connector.class': 'FileStreamSource', file: '/tmp/x', 'db.password': 'hunter2' },
  targetState: 'RUNNING',
  version: 3,
  createdAt: NOW,
  updatedAt: NOW,
});

const status = connectorStatusItem({
  connector: 'orders',
  state: 'FAILED',
  trace: 'boom',
  updatedAt: NOW,
});

function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  seq: string,
  item: Item,
): DynamoDBRecord {
  const image = item as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return {
    eventID: `e${seq}`,
    eventName,
    eventSourceARN: ARN,
    dynamodb: {
      SequenceNumber: seq,
      ApproximateCreationDateTime: NOW / 1000,
      Keys: { pk: image!.pk!, sk: image!.sk! },
      ...(eventName === 'INSERT' ? {} : { OldImage: image }),
      ...(eventName === 'REMOVE' ? {} : { NewImage: image }),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

describe('state changes from the table stream', () => {
  test('a connector config goes to the config topic, masked, versioned, grouped by its key', () => {
    const change = stateChangeOf(record('INSERT', '100', connector), DEFAULT_STATE_TOPICS, mask);
    expect(change).toEqual({
      topic: 'connector-config-topic',
      messageGroup: 'connectors/orders',
      payload: {
        format: 1,
        kind: 'connector',
        key: { pk: 'connectors', sk: 'orders' },
        value: {
          pk: 'connectors',
          sk: 'orders',
          name: 'orders',
          config: {
            'connector.class': 'FileStreamSource',
            file: '/tmp/x',
            'db.password': '[hidden]',
          },
          targetState: 'RUNNING',
          version: 3,
          createdAt: NOW,
          updatedAt: NOW,
        },
        version: v('100'),
        time: NOW,
      },
    });
    expect(JSON.stringify(change)).not.toContain('hunter2');
  });

  test('a delete is a tombstone: the key with a null value', () => {
    const change = stateChangeOf(record('REMOVE', '101', connector), DEFAULT_STATE_TOPICS, mask);
    expect(change?.payload).toMatchObject({ kind: 'connector', value: null, version: v('101') });
  });

  test('task configs go to the config topic and statuses to the status topic', () => {
    const tasks = taskConfigsItem(
      { connector: 'orders', generation: 2, configVersion: 3, tasks: [{ 'api.token': 't0p' }] },
      NOW,
    );
    const status = connectorStatusItem({ connector: 'orders', state: 'RUNNING', updatedAt: NOW });
    const a = stateChangeOf(record('MODIFY', '102', tasks), DEFAULT_STATE_TOPICS, mask);
    const b = stateChangeOf(record('MODIFY', '103', status), DEFAULT_STATE_TOPICS, mask);
    expect(a?.topic).toBe('connector-config-topic');
    expect(JSON.stringify(a)).not.toContain('t0p');
    expect(b).toMatchObject({
      topic: 'connector-status-topic',
      messageGroup: 'connector#orders/status',
      payload: { kind: 'connectorStatus', value: { state: 'RUNNING' } },
    });
  });

  test('versions order the changes of a key, also after the table was created again', () => {
    const older = changeVersion(ARN, '999999999999999999999');
    const newer = changeVersion(
      'arn:aws:dynamodb:us-east-1:0:table/state/stream/2026-11-25T08:00:00.000',
      '000000000000000000001',
    );
    expect(older < newer).toBe(true);
    expect(v('9') < v('10')).toBe(true);
    expect(() => changeVersion('arn:aws:dynamodb:us-east-1:0:table/state', '1')).toThrow(
      /not a DynamoDB stream ARN/,
    );
  });

  test('every payload reads back through the published schema', () => {
    const change = stateChangeOf(record('INSERT', '100', connector), DEFAULT_STATE_TOPICS, mask);
    expect(stateChangePayloadSchema.parse(JSON.parse(JSON.stringify(change?.payload)))).toEqual(
      change?.payload,
    );
  });

  test('the item is exact: its plain JSON gives back the same item', () => {
    const change = stateChangeOf(record('INSERT', '100', status), DEFAULT_STATE_TOPICS, mask);
    expect(itemFromJson(change!.payload.value!)).toEqual(status);
  });

  test('the coordinator lease is not mirrored; a record without a sequence number is refused', () => {
    const lease: Item = {
      pk: { S: 'coordinator' },
      sk: { S: 'lease' },
      epoch: { N: '1' },
      leaseExpiresAt: { N: '0' },
    };
    expect(
      stateChangeOf(record('MODIFY', '104', lease), DEFAULT_STATE_TOPICS, mask),
    ).toBeUndefined();
    const broken = record('MODIFY', '105', connector);
    delete broken.dynamodb!.SequenceNumber;
    expect(() => stateChangeOf(broken, DEFAULT_STATE_TOPICS, mask)).toThrow(/sequence number/);
  });
});

describe('mirroring a batch', () => {
  const batch = ['200', '201', '202', '203'].map((seq) => record('MODIFY', seq, connector));

  test('publishes every change in stream order and reports no failure', async () => {
    const sent: StateChange[] = [];
    const publisher: StatePublisher = { publish: (c) => Promise.resolve(void sent.push(c)) };
    const result = await mirrorBatch(batch, {
      publisher,
      topics: DEFAULT_STATE_TOPICS,
      mask,
      log: () => undefined,
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sent.map((c) => c.payload.version)).toEqual(['200', '201', '202', '203'].map(v));
  });

  test('at the first failure, that change and every later one are reported, and none is sent after it', async () => {
    const sent: string[] = [];
    const logged: string[] = [];
    const publisher: StatePublisher = {
      publish: (c) =>
        c.payload.version === v('202')
          ? Promise.reject(new Error('proxy unavailable'))
          : Promise.resolve(void sent.push(c.payload.version)),
    };
    const result = await mirrorBatch(batch, {
      publisher,
      topics: DEFAULT_STATE_TOPICS,
      mask,
      log: (line) => logged.push(line),
    });
    expect(sent).toEqual([v('200'), v('201')]);
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: '202' },
      { itemIdentifier: '203' },
    ]);
    expect(logged).toEqual([
      expect.stringContaining('change 202 not published: proxy unavailable'),
    ]);
  });
});

describe('mirroring a batch of several keys', () => {
  const item = (name: string, version: number) =>
    connectorItem({
      name,
      config: { 'connector.class': 'FileStreamSource' },
      targetState: 'RUNNING',
      version,
      createdAt: NOW,
      updatedAt: NOW,
    });
  // Keys a, b, c interleaved: a1 b1 c1 a2 b2 c2 ...
  const batch = Array.from({ length: 12 }, (_, i) =>
    record('MODIFY', String(300 + i), item('abc'[i % 3]!, Math.floor(i / 3))),
  );
  const nameOf = (c: StateChange) => c.payload.key.sk;

  test("keeps each key's changes in order while different keys go at once", async () => {
    const sent: StateChange[] = [];
    let inFlight = 0;
    let most = 0;
    const publisher: StatePublisher = {
      async publish(change) {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 3));
        inFlight--;
        sent.push(change);
      },
    };
    const result = await mirrorBatch(batch, {
      publisher,
      topics: DEFAULT_STATE_TOPICS,
      mask,
      log: () => undefined,
    });
    expect(result.batchItemFailures).toEqual([]);
    expect(sent).toHaveLength(12);
    expect(most).toBe(3);
    for (const key of ['a', 'b', 'c']) {
      const versions = sent.filter((c) => nameOf(c) === key).map((c) => c.payload.version);
      expect(versions).toEqual([...versions].sort());
    }
  });

  test('a failure of one key reports every record from it on, and that key sends nothing after it', async () => {
    const sent: string[] = [];
    const publisher: StatePublisher = {
      publish: (c) =>
        c.payload.version === v('304') // b's second change
          ? Promise.reject(new Error('refused'))
          : Promise.resolve(void sent.push(c.payload.version)),
    };
    const result = await mirrorBatch(batch, {
      publisher,
      topics: DEFAULT_STATE_TOPICS,
      mask,
      log: () => undefined,
    });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      Array.from({ length: 8 }, (_, i) => String(304 + i)),
    );
    // Everything before the failure was published; b nothing after it.
    for (const seq of ['300', '301', '302', '303']) expect(sent).toContain(v(seq));
    expect(sent.filter((s) => [v('307'), v('310')].includes(s))).toEqual([]);
  });

  test('a record that cannot be decoded fails from it on, and nothing after it is published', async () => {
    const broken = [...batch];
    broken[5] = { ...batch[5]!, eventSourceARN: 'not-a-stream' };
    const sent: string[] = [];
    const logged: string[] = [];
    const result = await mirrorBatch(broken, {
      publisher: { publish: (c) => Promise.resolve(void sent.push(c.payload.version)) },
      topics: DEFAULT_STATE_TOPICS,
      mask,
      log: (line) => logged.push(line),
    });
    expect(result.batchItemFailures).toHaveLength(7);
    expect(sent.sort()).toEqual(['300', '301', '302', '303', '304'].map(v));
    expect(logged).toEqual([expect.stringContaining('not a DynamoDB stream ARN')]);
  });
});
