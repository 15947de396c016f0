/**
 * Apache Kafka as a new user runs it on one machine, from Maven Central's jars: a single-node
 * KRaft broker (storage formatted by StorageTool, then `kafka.Kafka` with process.roles
 * broker,controller) and Connect standalone with the FileStream connectors on its classpath,
 * each JVM with the heap and GC options of Kafka's own start scripts. Everything lives in one
 * temporary folder and is stopped by `stop()`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { checkJava, runMaven, StackError } from '../../infra/local/jvm.js';
import {
  isPortFree,
  spawnDetached,
  stopProcess,
  type ProcessRecord,
} from '../../infra/local/processes.js';
import type { StackSettings } from '../../infra/local/settings.js';

export interface KafkaPorts {
  readonly broker: number;
  readonly controller: number;
  readonly connectRest: number;
}

const POM = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pom.xml');
/** kafka-run-class.sh's defaults (KAFKA_JVM_PERFORMANCE_OPTS). */
const KAFKA_JVM = [
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
];
/** kafka-server-start.sh's and connect-standalone.sh's heaps. */
const BROKER_HEAP = ['-Xmx1G', '-Xms1G'];
const CONNECT_HEAP = ['-Xms256M', '-Xmx2G'];
/** Generous: on a loaded 2-core machine a JVM's start alone can take a minute. */
const READY_TIMEOUT_MS = 300_000;

export interface KafkaRun {
  readonly broker: ProcessRecord;
  readonly connect: ProcessRecord;
  readonly restUrl: string;
  /** Where the logs are, for a failure message. */
  readonly dir: string;
  stop(): Promise<void>;
}

/**
 * Resolves the jars (Maven, cached in the local repository and a classpath file in `dir`),
 * formats the broker's storage and starts the broker, then Connect standalone; resolves once
 * Connect's REST API answers. On failure, stops what it started.
 */
export async function startKafka(
  settings: StackSettings,
  ports: KafkaPorts,
  dir: string,
  log: (line: string) => void,
): Promise<KafkaRun> {
  const variables = {
    KAFKA_BROKER_PORT: ports.broker,
    KAFKA_CONTROLLER_PORT: ports.controller,
    KAFKA_CONNECT_PORT: ports.connectRest,
  };
  for (const [variable, port] of Object.entries(variables)) {
    if (!(await isPortFree(port))) {
      throw new StackError(
        `port ${port} (${variable}) is taken; stop what listens there or choose another`,
      );
    }
  }
  checkJava(settings);
  const classpathFile = path.join(dir, 'kafka-classpath.txt');
  log('resolving Kafka jars with Maven...');
  runMaven(settings, POM, { 'classpath.file': classpathFile }, "Kafka's jars");
  const classpath = fs.readFileSync(classpathFile, 'utf8').trim();
  const files = writeConfigs(dir, ports);
  const java = (heap: string[], logName: string, main: string, args: string[]) => [
    ...heap,
    ...KAFKA_JVM,
    `-Dlog4j2.configurationFile=${files.log4j}`,
    `-Dkafka.logs.file=${path.join(dir, `${logName}.log`)}`,
    '-cp',
    classpath,
    main,
    ...args,
  ];

  // A cluster id is 16 random bytes in URL-safe base64, what `StorageTool random-uuid` prints.
  const clusterId = randomBytes(16).toString('base64url');
  const format = await spawnDetached(
    settings.javaBin,
    java([], 'storage-tool', 'kafka.tools.StorageTool', [
      'format',
      '-t',
      clusterId,
      '-c',
      files.server,
    ]),
    { cwd: dir, logFile: path.join(dir, 'storage-tool.out') },
  );
  const formatBy = Date.now() + READY_TIMEOUT_MS;
  while (isRunning(format.pid) && Date.now() < formatBy) await sleep(100);
  if (!fs.existsSync(path.join(dir, 'data', 'meta.properties'))) {
    throw new StackError(`Kafka's StorageTool did not format ${dir}/data; see storage-tool.out`);
  }

  const started: ProcessRecord[] = [];
  const stop = async () => {
    for (const record of started.reverse()) await stopProcess(record, 15_000);
  };
  try {
    log('starting the Kafka broker (KRaft, broker + controller)...');
    const broker = await spawnDetached(
      settings.javaBin,
      java(BROKER_HEAP, 'broker', 'kafka.Kafka', [files.server]),
      { cwd: dir, logFile: path.join(dir, 'broker.out') },
    );
    started.push(broker);
    await waitForPort(ports.broker, broker, 'broker');
    log('starting Kafka Connect standalone...');
    const connect = await spawnDetached(
      settings.javaBin,
      java(CONNECT_HEAP, 'connect', 'org.apache.kafka.connect.cli.ConnectStandalone', [
        files.worker,
      ]),
      { cwd: dir, logFile: path.join(dir, 'connect.out') },
    );
    started.push(connect);
    const restUrl = `http://127.0.0.1:${ports.connectRest}`;
    await waitForRest(restUrl, connect);
    return { broker, connect, restUrl, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function writeConfigs(
  dir: string,
  ports: KafkaPorts,
): { server: string; worker: string; log4j: string } {
  const server = path.join(dir, 'server.properties');
  const worker = path.join(dir, 'worker.properties');
  const log4j = path.join(dir, 'log4j2.properties');
  const { broker, controller, connectRest } = ports;
  fs.writeFileSync(
    server,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controller}`,
      `listeners=PLAINTEXT://127.0.0.1:${broker},CONTROLLER://127.0.0.1:${controller}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${broker}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${path.join(dir, 'data')}`,
      // One node: the internal topics cannot have more replicas than that.
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  // connect-standalone.properties as Kafka ships it, with schemas off (plain lines).
  fs.writeFileSync(
    worker,
    [
      `bootstrap.servers=127.0.0.1:${broker}`,
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable=false',
      'value.converter.schemas.enable=false',
      `offset.storage.file.filename=${path.join(dir, 'connect.offsets')}`,
      'offset.flush.interval.ms=10000',
      `listeners=http://127.0.0.1:${connectRest}`,
      '',
    ].join('\n'),
  );
  // Kafka's distribution logs INFO to files; so do these JVMs.
  fs.writeFileSync(
    log4j,
    [
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.file.ref = file',
      'appender.file.type = File',
      'appender.file.name = file',
      'appender.file.fileName = ${sys:kafka.logs.file}',
      'appender.file.layout.type = PatternLayout',
      'appender.file.layout.pattern = [%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return { server, worker, log4j };
}

/** True while the process runs (not a zombie waiting for its parent). */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitForPort(port: number, record: ProcessRecord, name: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (await isPortFree(port)) {
    if (!isRunning(record.pid))
      throw new StackError(`Kafka's ${name} exited; see ${record.logFile}`);
    if (Date.now() > deadline) throw new StackError(`Kafka's ${name} did not listen in time`);
    await sleep(250);
  }
}

async function waitForRest(url: string, record: ProcessRecord): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(`${url}/connectors`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (!isRunning(record.pid)) throw new StackError(`Kafka Connect exited; see ${record.logFile}`);
    if (Date.now() > deadline) throw new StackError('Kafka Connect did not answer in time');
    await sleep(250);
  }
}
