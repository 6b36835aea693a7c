// Figures 1 and 2: the event-store port against raw INSERTs into a table of the same shape, same database, same run.
import { randomUUID } from 'node:crypto';
import { builtinCatalogues, currentSchemaVersion, occurredAtOf } from '@il/domain';
import { output, project, rng } from './generator.mjs';
import { percentile } from './stats.mjs';

const metadata = { actor: 'bench', correlationId: 'bench' };

function toNew(event, tz, start) {
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: currentSchemaVersion(event.type),
    data: event.data,
    metadata,
    occurredAt: occurredAtOf(event, tz, start, new Date()),
  };
}

/** Registers the programme and `count` projects with their partners through the port. */
export async function registerProjects(store, count, seed) {
  const random = rng(seed);
  await store.appendToStream(
    'programme-BENCH',
    [
      toNew(
        {
          type: 'ProgrammeRegistered',
          data: {
            programmeId: 'BENCH',
            name: 'Benchmark programme',
            timeZone: 'Europe/Riga',
            currency: 'EUR',
            catalogue: builtinCatalogues['interreg-2021-2027'],
          },
        },
        'Europe/Riga',
        '2021-01-01',
      ),
    ],
    { expectedVersion: 'any' },
  );
  const projects = [];
  for (let i = 1; i <= count; i++) {
    const p = project(random, i);
    const events = [
      { type: 'ProjectRegistered', data: p.registered },
      ...p.partners.map((data) => ({ type: 'PartnerJoined', data })),
      { type: 'TargetSet', data: { indicator: 'RCO81', value: 500 } },
    ];
    const r = await store.appendToStream(
      `project-${p.registered.projectId}`,
      events.map((e) => toNew(e, 'Europe/Riga', p.registered.startDate)),
      { expectedVersion: 'no-stream' },
    );
    projects.push({ ...p, version: r.nextExpectedVersion, n: 0 });
  }
  return projects;
}

function batchesOf(projects, total, size, seed) {
  const random = rng(seed);
  let made = 0;
  let i = 0;
  return function next() {
    if (made >= total) return undefined;
    const p = projects[i++ % projects.length];
    const events = Array.from({ length: Math.min(size, total - made) }, () =>
      toNew(output(random, p, p.n++), 'Europe/Riga', p.registered.startDate),
    );
    made += events.length;
    return { p, events };
  };
}

async function runWorkers(concurrency, work) {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (await work());
    }),
  );
}

export async function appendThroughput(store, pool, projects, total, concurrency = 4) {
  await pool.query('drop table if exists bench_raw; create table bench_raw (like il_events including all)');
  const rawNext = batchesOf(
    projects.map((p) => ({ ...p, n: 0 })),
    total,
    100,
    42,
  );
  const versions = new Map();
  let t = process.hrtime.bigint();
  await runWorkers(concurrency, async () => {
    const b = rawNext();
    if (!b) return false;
    const stream = `raw-${b.p.registered.projectId}`;
    const v = versions.get(stream) ?? 0;
    versions.set(stream, v + b.events.length);
    await pool.query(
      `insert into bench_raw (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
       select e.id, $1, $2::bigint + e.n, e.type, e.sv, e.data, e.meta, e.at
       from unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[]) with ordinality as e(id, type, sv, data, meta, at, n)`,
      [
        stream,
        v,
        b.events.map((e) => e.eventId),
        b.events.map((e) => e.type),
        b.events.map((e) => e.schemaVersion),
        b.events.map((e) => JSON.stringify(e.data)),
        b.events.map((e) => JSON.stringify(e.metadata)),
        b.events.map((e) => e.occurredAt),
      ],
    );
    return true;
  });
  const rawSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  await pool.query('drop table bench_raw');

  const next = batchesOf(projects, total, 100, 42);
  t = process.hrtime.bigint();
  await runWorkers(concurrency, async () => {
    const b = next();
    if (!b) return false;
    const r = await store.appendToStream(`project-${b.p.registered.projectId}`, b.events, { expectedVersion: 'any' });
    b.p.version = r.nextExpectedVersion;
    return true;
  });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  return { portPerSecond: total / seconds, rawPerSecond: total / rawSeconds };
}

export async function appendLatency(store, pool, count) {
  await pool.query('drop table if exists bench_raw; create table bench_raw (like il_events including all)');
  const random = rng(7);
  const p = project(random, 99_999);
  const event = () => toNew(output(random, p, 0), 'Europe/Riga', p.registered.startDate);
  const raw = [];
  for (let i = 0; i < count; i++) {
    const e = event();
    const t = process.hrtime.bigint();
    await pool.query(
      'insert into bench_raw (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at) values ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        e.eventId,
        'raw-latency',
        i + 1,
        e.type,
        e.schemaVersion,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        e.occurredAt,
      ],
    );
    raw.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await pool.query('drop table bench_raw');
  const port = [];
  for (let i = 0; i < count; i++) {
    const e = event();
    const t = process.hrtime.bigint();
    await store.appendToStream('bench-latency', [e], { expectedVersion: i === 0 ? 'no-stream' : i });
    port.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  raw.sort((a, b) => a - b);
  port.sort((a, b) => a - b);
  return {
    portP50: percentile(port, 50),
    portP99: percentile(port, 99),
    rawP50: percentile(raw, 50),
    rawP99: percentile(raw, 99),
  };
}

/**
 * Single appends to idle projects (8 writers, expected version 'any') for `seconds`, first with nothing held, then
 * while another project's stream is locked by an open transaction (as another process mid-append, or a caller's
 * own transaction) with a write to it waiting. The lock is let go when the window ends, so a store that makes
 * every write wait behind the held stream finishes too, with that wait in its latencies.
 */
export async function appendWhileHeld(store, pool, projects, seconds) {
  const random = rng(11);
  const [held, ...idle] = projects;
  const one = () => {
    const p = idle[Math.floor(random() * idle.length)];
    return {
      stream: `project-${p.registered.projectId}`,
      event: toNew(output(random, p, p.n++), 'Europe/Riga', p.registered.startDate),
    };
  };
  async function measure() {
    const latencies = [];
    const until = Date.now() + seconds * 1000;
    await runWorkers(8, async () => {
      if (Date.now() >= until) return false;
      const { stream, event } = one();
      const t = process.hrtime.bigint();
      await store.appendToStream(stream, [event], { expectedVersion: 'any' });
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      return true;
    });
    latencies.sort((a, b) => a - b);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length };
  }
  const free = await measure();
  const client = await pool.connect();
  await client.query('begin');
  await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`project-${held.registered.projectId}`]);
  const released = new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    .then(() => client.query('commit'))
    .finally(() => client.release());
  const waiting = store.appendToStream(
    `project-${held.registered.projectId}`,
    [toNew(output(random, held, held.n++), 'Europe/Riga', held.registered.startDate)],
    { expectedVersion: 'any' },
  );
  const whileHeld = await measure();
  await released;
  await waiting;
  return { free, held: whileHeld, seconds };
}
