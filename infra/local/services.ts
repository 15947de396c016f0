import fs from 'node:fs';
import path from 'node:path';
import type { Classpaths } from './jvm.js';
import type { StackSettings } from './settings.js';

export const CLUSTER = 'DefaultCluster';
export type ServiceName = 'namesrv' | 'proxy' | 'dynamodb';

/** One JVM the stack runs: how to start it and which ports it takes. */
export interface ServiceSpec {
  readonly name: ServiceName;
  readonly ports: readonly number[];
  readonly args: readonly string[];
}

/** Folders inside the stack folder; the broker's store and logs never land in the work tree. */
export function stackPaths(stackDir: string) {
  return {
    conf: path.join(stackDir, 'conf'),
    logs: path.join(stackDir, 'logs'),
    pids: path.join(stackDir, 'pids'),
    // RocketMQ writes its own logs under ${user.home}/logs; point user.home here.
    rocketmqHome: path.join(stackDir, 'rocketmq', 'home'),
    rocketmqStore: path.join(stackDir, 'rocketmq', 'store'),
    // DynamoDB Local's database file, when its data is kept on disk.
    dynamodbData: path.join(stackDir, 'dynamodb'),
    info: path.join(stackDir, 'stack.json'),
    lock: path.join(stackDir, 'lock'),
  };
}

// Small, single-threaded collectors: the machine has 2 cores that tests and benchmarks share.
const SMALL_JVM = ['-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError'];

/**
 * Writes the services' config files for the current ports and returns how to start each.
 * `dynamodbData`: DynamoDB Local's data in memory (tests: fast, gone at stop) or on disk (the
 * platform of `npm start`: connectors and offsets outlive a restart, or a crash).
 */
export function serviceSpecs(
  settings: StackSettings,
  classpaths: Classpaths,
  dynamodbData: 'memory' | 'disk',
): ServiceSpec[] {
  const p = stackPaths(settings.stackDir);
  if (dynamodbData === 'disk') fs.mkdirSync(p.dynamodbData, { recursive: true });
  const { ports } = settings;
  const namesrvAddr = `127.0.0.1:${ports.namesrv}`;
  fs.mkdirSync(p.conf, { recursive: true });
  fs.mkdirSync(p.rocketmqHome, { recursive: true });

  const namesrvConf = path.join(p.conf, 'namesrv.properties');
  fs.writeFileSync(namesrvConf, `listenPort=${ports.namesrv}\n`);

  const brokerConf = path.join(p.conf, 'broker.conf');
  fs.writeFileSync(
    brokerConf,
    [
      `brokerClusterName=${CLUSTER}`,
      'brokerName=broker-a',
      'brokerId=0',
      'brokerIP1=127.0.0.1',
      `namesrvAddr=${namesrvAddr}`,
      `listenPort=${ports.broker}`,
      `haListenPort=${ports.broker + 1}`,
      `storePathRootDir=${p.rocketmqStore}`,
      `storePathCommitLog=${path.join(p.rocketmqStore, 'commitlog')}`,
      // 1 GiB commit log files and 100 MiB timer logs by default: far too big for a shared box.
      'mappedFileSizeCommitLog=67108864',
      'mappedFileSizeTimerLog=8388608',
      'mappedFileSizeConsumeQueue=1200000',
      // The broker refuses writes past 75% disk use by default; a developer's disk is often fuller.
      'diskMaxUsedSpaceRatio=95',
      // Topics are created on purpose (the admin tool), so a typo is an error, not a new topic.
      'autoCreateTopicEnable=false',
      'flushDiskType=ASYNC_FLUSH',
      // Consumer offsets reach the disk every second, not every 5 s: after a crash of the broker
      // (npm start killed), fewer acknowledged messages are delivered again.
      'flushConsumerOffsetInterval=1000',
      'fileReservedTime=24',
      // A pull brings up to 1,024 messages (4 MiB), not 32 (256 KiB): a sink's 200,000 messages
      // cost the broker 0.9-1.6 CPU-s instead of 4.8-6.3 (measured; lib/rocketmq/README.md).
      'maxTransferCountOnMessageInMemory=1024',
      'maxTransferBytesOnMessageInMemory=4194304',
      'maxTransferCountOnMessageInDisk=1024',
      'maxTransferBytesOnMessageInDisk=4194304',
      // Idle, the broker used a fifth of a core, most of it flushing its timer wheel every
      // second and merging pop checkpoints: these halve that (a local stack keeps no timers
      // that matter across a crash, and pop consumers work without the merge buffer).
      'timerFlushIntervalMs=10000',
      'enablePopBufferMerge=false',
      '',
    ].join('\n'),
  );

  const proxyConf = path.join(p.conf, 'rmq-proxy.json');
  fs.writeFileSync(
    proxyConf,
    JSON.stringify({
      rocketMQClusterName: CLUSTER,
      namesrvAddr,
      grpcServerPort: ports.proxyGrpc,
      remotingListenPort: ports.proxyRemoting,
      // The proxy caches topic routes, a missing topic's too (20 s by default): a topic the API
      // just created would stay unroutable that long. Locally, topics come and go often.
      topicRouteServiceCacheRefreshSeconds: 1,
      topicRouteServiceCacheExpiredSeconds: 3,
    }),
  );

  const rocketmqJvm = [
    ...SMALL_JVM,
    `-Duser.home=${p.rocketmqHome}`,
    `-Drocketmq.home.dir=${p.rocketmqHome}`,
    '-cp',
    classpaths.rocketmq,
  ];
  return [
    {
      name: 'namesrv',
      ports: [ports.namesrv],
      args: [
        '-Xms64m',
        '-Xmx192m',
        ...rocketmqJvm,
        'org.apache.rocketmq.namesrv.NamesrvStartup',
        '-c',
        namesrvConf,
      ],
    },
    {
      // In local mode the proxy starts the broker inside its own process.
      name: 'proxy',
      ports: [
        ports.proxyGrpc,
        ports.proxyRemoting,
        ports.broker,
        ports.broker - 2,
        ports.broker + 1,
      ],
      args: [
        '-Xms256m',
        '-Xmx768m',
        '-XX:MaxDirectMemorySize=512m',
        // The broker's own disk guards (system properties, not broker.conf keys).
        '-Drocketmq.broker.diskSpaceWarningLevelRatio=0.97',
        '-Drocketmq.broker.diskSpaceCleanForciblyRatio=0.96',
        ...rocketmqJvm,
        'org.apache.rocketmq.proxy.ProxyStartup',
        '-pm',
        'local',
        '-n',
        namesrvAddr,
        '-bc',
        brokerConf,
        '-pc',
        proxyConf,
      ],
    },
    {
      name: 'dynamodb',
      ports: [ports.dynamodb],
      args: [
        '-Xms64m',
        '-Xmx384m',
        ...SMALL_JVM,
        `-Djava.library.path=${classpaths.nativeDir}`,
        '-cp',
        classpaths.dynamodb,
        'com.amazonaws.services.dynamodbv2.local.main.ServerRunner',
        ...(dynamodbData === 'disk' ? ['-dbPath', p.dynamodbData] : ['-inMemory']),
        // One database whatever the credentials and region, as a cloud account would be.
        '-sharedDb',
        '-port',
        String(ports.dynamodb),
      ],
    },
  ];
}
