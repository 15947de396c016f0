import { describe, expect, test } from 'vitest';
import { parseBodyJson, quoteNumericKeys } from '../../../../lib/rocketmq/remoting/body-json.js';
import { createTopicFields } from '../../../../lib/rocketmq/remoting/broker.js';
import { clusterMasters, routeQueues } from '../../../../lib/rocketmq/remoting/name-server.js';

describe('bodies written by fastjson', () => {
  test('quote the bare numeric keys of maps keyed by numbers', () => {
    expect(
      parseBodyJson(Buffer.from('{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"}}')),
    ).toEqual({
      brokerAddrs: { '0': '10.0.0.1:10911', '1': '10.0.0.2:10911' },
    });
  });

  test('leave strings, arrays and standard JSON as they are', () => {
    const text = '{"a":"{0:1, 2:3}","b":[1, 2,3],"c":{"-1":"x"},"d":"q\\"{4:5}"}';
    expect(quoteNumericKeys(text)).toBe(text);
    expect(quoteNumericKeys('{ -1 : "x" }')).toBe('{ "-1" : "x" }');
  });
});

describe('where admin calls go', () => {
  const info = {
    brokerAddrTable: {
      'broker-a': { brokerName: 'broker-a', brokerAddrs: { '0': 'a0:10911', '1': 'a1:10911' } },
      'broker-b': { brokerName: 'broker-b', brokerAddrs: { '1': 'b1:10911' } },
      'broker-c': { brokerName: 'broker-c', brokerAddrs: { '0': 'c0:10911' } },
    },
    clusterAddrTable: { DefaultCluster: ['broker-a', 'broker-b'], Other: ['broker-c'] },
  };

  test("a topic is created on the masters of the cluster's broker groups only", () => {
    expect(clusterMasters(info, 'DefaultCluster')).toEqual([
      { brokerName: 'broker-a', address: 'a0:10911' },
    ]);
    expect(clusterMasters(info, 'Missing')).toEqual([]);
  });

  test("a topic's queues are read on each broker group's master", () => {
    const route = {
      queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6 }],
      brokerDatas: [info.brokerAddrTable['broker-a']],
    };
    expect(routeQueues(route)).toEqual([
      { brokerName: 'broker-a', address: 'a0:10911', queues: 4 },
    ]);
  });

  test('a topic is created with its message type as the admin tool sets it', () => {
    expect(createTopicFields('orders', 'FIFO', 8)).toMatchObject({
      topic: 'orders',
      readQueueNums: '8',
      writeQueueNums: '8',
      perm: '6',
      attributes: '+message.type=FIFO',
    });
  });
});
