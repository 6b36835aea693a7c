#!/usr/bin/env node
// A real single-node Apache Kafka broker (KRaft) for the Kafka suites, without Docker: the broker's jars come from
// Maven Central through scripts/kafka/pom.xml (one pinned release) into .kafka/lib (ignored, kept between runs).
//
//   node scripts/kafka/broker.mjs fetch                       jars only (needs mvn and java)
//   node scripts/kafka/broker.mjs start [--dir D] [--port P]  formats D once, starts on 127.0.0.1:P (default: free
//                                                             port), waits until it answers; prints {brokers,pid,dir,port}
//   node scripts/kafka/broker.mjs stop --dir D                SIGTERM, then SIGKILL after 20 s; removes nothing
//
// Starting again on the same --dir and --port after a kill keeps the topics and their messages (the restart tests).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const lib = join(root, '.kafka', 'lib');
const pom = join(here, 'pom.xml');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const has = (cmd) => spawnSync(cmd, ['-version'], { stdio: 'ignore' }).error === undefined;

/** Why the broker cannot run here, or undefined. */
export function unavailable() {
  if (!has('java')) return 'java is not installed (the Kafka broker runs on a JVM)';
  if (!jarsCurrent() && spawnSync('mvn', ['-v'], { stdio: 'ignore' }).error !== undefined)
    return 'mvn is not installed (it fetches the Kafka broker from Maven Central)';
  return undefined;
}

function jarsCurrent() {
  const stamp = join(lib, '.pom-sha256');
  return (
    existsSync(stamp) && readFileSync(stamp, 'utf8') === createHash('sha256').update(readFileSync(pom)).digest('hex')
  );
}

export function fetchJars() {
  if (jarsCurrent()) return;
  // Maven's output goes to stderr: stdout carries only the broker's JSON line.
  const run = spawnSync(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime'],
    { stdio: ['ignore', process.stderr, 'inherit'] },
  );
  if (run.status !== 0) throw new Error(`mvn could not fetch the Kafka broker (exit ${run.status})`);
  writeFileSync(join(lib, '.pom-sha256'), createHash('sha256').update(readFileSync(pom)).digest('hex'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const java = (args, options) => spawn('java', ['-Xmx512m', '-cp', `${lib}/*`, ...args], options);

function listens(port) {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => c.end(() => resolve(true)));
    c.once('error', () => resolve(false));
  });
}

/** Starts a broker; resolves once its port accepts connections and the KRaft log shows it started. */
export async function startBroker({ dir = join(tmpdir(), `il-kafka-${randomUUID().slice(0, 8)}`), port } = {}) {
  fetchJars();
  mkdirSync(dir, { recursive: true });
  const brokerPort = port ?? (await freePort());
  const controllerPort = await freePort();
  const data = join(dir, 'data');
  const props = join(dir, 'server.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${data}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'log4j.properties'),
    `log4j.rootLogger=WARN, file\nlog4j.appender.file=org.apache.log4j.FileAppender\nlog4j.appender.file.File=${join(dir, 'broker.log')}\nlog4j.appender.file.layout=org.apache.log4j.PatternLayout\nlog4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n`,
  );
  if (!existsSync(join(data, 'meta.properties'))) {
    const format = spawnSync(
      'java',
      [
        '-cp',
        `${lib}/*`,
        `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        randomUUID(),
        '-c',
        props,
        '--ignore-formatted',
      ],
      { encoding: 'utf8' },
    );
    if (format.status !== 0) throw new Error(`formatting the KRaft storage failed: ${format.stderr || format.stdout}`);
  }
  const out = openSync(join(dir, 'broker.out'), 'a');
  const child = java([`-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`, 'kafka.Kafka', props], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  for (const deadline = Date.now() + 90_000; ; await sleep(200)) {
    if (child.exitCode !== null)
      throw new Error(
        `the Kafka broker exited (${child.exitCode}): ${readFileSync(join(dir, 'broker.out'), 'utf8').slice(-2000)}`,
      );
    if (await listens(brokerPort)) break;
    if (Date.now() > deadline) throw new Error('the Kafka broker did not open its port within 90 s');
  }
  const state = { brokers: `127.0.0.1:${brokerPort}`, pid: child.pid, dir, port: brokerPort };
  writeFileSync(join(dir, 'broker.json'), JSON.stringify(state));
  return state;
}

/** Stops the broker of `dir` (SIGTERM, SIGKILL after 20 s); `signal: 'SIGKILL'` kills it at once. */
export async function stopBroker(dir, { signal = 'SIGTERM' } = {}) {
  const file = join(dir, 'broker.json');
  if (!existsSync(file)) return;
  const { pid } = JSON.parse(readFileSync(file, 'utf8'));
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, signal);
  for (const deadline = Date.now() + 20_000; alive(); await sleep(100)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const [command, ...rest] = process.argv.slice(2);
  const opt = (name) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  try {
    if (command === 'fetch') {
      const why = unavailable();
      if (why) throw new Error(why);
      fetchJars();
      console.log(`Kafka broker jars in ${lib} (${readdirSync(lib).length} files)`);
    } else if (command === 'start') {
      const why = unavailable();
      if (why) throw new Error(why);
      console.log(
        JSON.stringify(await startBroker({ dir: opt('dir'), port: opt('port') ? Number(opt('port')) : undefined })),
      );
    } else if (command === 'stop') {
      if (!opt('dir')) throw new Error('stop needs --dir');
      await stopBroker(opt('dir'), { signal: opt('signal') ?? 'SIGTERM' });
    } else {
      throw new Error('usage: broker.mjs fetch | start [--dir D] [--port P] | stop --dir D [--signal SIGKILL]');
    }
  } catch (e) {
    process.stderr.write(`kafka broker: ${e.message}\n`);
    process.exit(1);
  }
}
