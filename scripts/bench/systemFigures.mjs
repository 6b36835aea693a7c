// Figures 3-7 against the standalone process itself (a child process on the same database).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '@il/event-store-postgres';
import { signToken } from '@il/http-kit';
import { pacedLoad } from './pacedLoad.mjs';
import { percentile } from './stats.mjs';

const secret = 'bench-secret-0123456789abcdef0123456789abcdef';

/**
 * The Node flags `npm start` gives the standalone (root package.json), so that the benchmark measures the process
 * as it is started: its heap limit decides how far V8 lets the heap grow before collecting (see docs/operations.md).
 */
export function startFlags(root) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  const m = /\bnode((?: --\S+)*) services\/standalone\/dist\/src\/main\.js/.exec(start);
  if (!m) throw new Error(`cannot find how npm start runs the standalone in: ${start}`);
  return m[1].trim().split(' ').filter(Boolean);
}

export async function startStandalone(root, databaseUrl, dataDir) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...startFlags(root),
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      join(root, 'services/standalone/dist/src/main.js'),
    ],
    {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        JWT_SECRET: secret,
        WRITES_PER_MINUTE: '0',
      },
      stdio: ['ignore', process.env.BENCH_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null) throw new Error('standalone exited');
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = `Bearer ${await signToken(secret, { sub: 'bench', roles: ['admin'] }, { audience: 'indicator-ledger' })}`;
  return {
    url,
    token,
    child,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

/** Peak resident set size of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function waitCaughtUp(sys, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await (await fetch(`${sys.url}/readyz`)).json();
    if (r.projection && r.projection.lagEvents === 0) return;
    if (Date.now() > deadline) throw new Error(`projector still ${r.projection?.lagEvents} events behind`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

export async function rawOrderedSelect(pool) {
  const t = process.hrtime.bigint();
  let n = 0;
  let after = ['0', '0'];
  for (;;) {
    const r = await pool.query(
      `select global_position::text, transaction_id::text, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at
       from il_events where (transaction_id, global_position) > ($1::text::xid8, $2::bigint) order by il_events.transaction_id, il_events.global_position limit 10000`,
      after,
    );
    if (r.rows.length === 0) break;
    n += r.rows.length;
    const last = r.rows[r.rows.length - 1];
    after = [last.transaction_id, last.global_position];
  }
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

/**
 * What writing the rebuilt views costs PostgreSQL alone: the contribution and cell rows the rebuild wrote, copied
 * inside the database (INSERT ... SELECT, nothing through the client) into empty tables of the same shape, whose
 * query index is built after the load as the rebuild does. With the raw ordered SELECT of the events, the least a rebuild
 * must do: read every event and write every row once. Returns the rows and the seconds taken.
 */
export async function rawViewRowsWrite(pool) {
  let rows = 0;
  let seconds = 0;
  // The rebuild writes contributions and cells; each table is copied as it writes it (query index built after).
  for (const [table, queryIndex] of [
    ['il_view_contributions', '(project_id, indicator)'],
    ['il_view_cells', '(project_id, indicator)'],
  ]) {
    await pool.query('drop table if exists bench_view_rows');
    await pool.query(`create table bench_view_rows (like il_views.${table} including all)`);
    const indexes = (
      await pool.query(
        `select indexname from pg_indexes where tablename = 'bench_view_rows' and indexdef like '%${queryIndex}%' and indexdef not like '%UNIQUE%'`,
      )
    ).rows;
    for (const { indexname } of indexes) await pool.query(`drop index ${indexname}`);
    const t = process.hrtime.bigint();
    const r = await pool.query(`insert into bench_view_rows overriding system value select * from il_views.${table}`);
    await pool.query(`create index on bench_view_rows ${queryIndex}`);
    seconds += Number(process.hrtime.bigint() - t) / 1e9;
    rows += r.rowCount;
    await pool.query('drop table bench_view_rows');
  }
  return { rows, seconds };
}

export async function rebuild(sys) {
  const t = process.hrtime.bigint();
  const r = await fetch(`${sys.url}/v1/admin/rebuild`, { method: 'POST', headers: { authorization: sys.token } });
  const body = await r.json();
  if (r.status !== 200) throw new Error(`rebuild failed: ${JSON.stringify(body)}`);
  return {
    events: body.events,
    perSecond: body.events / (Number(process.hrtime.bigint() - t) / 1e9),
    peakRssMiB: peakRssMiB(sys.child.pid),
  };
}

/** CPU seconds so far: the whole machine (busy, from /proc/stat), one process (user + system), this process. */
function cpuSeconds(pid) {
  const tick = 100; // USER_HZ
  const all = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = (all[0] + all[1] + all[2] + all[5] + all[6] + all[7]) / tick;
  const ofPid = (p) => {
    const st = readFileSync(`/proc/${p}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / tick;
  };
  return { busy, standalone: ofPid(pid), bench: ofPid(process.pid) };
}

function run(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

/**
 * POST camps round the projects. The first pass, one POST per project, is measured on its own: a process that has
 * just started reads each project's ~1,000 events on its first write to it. The figure is the same load once every
 * project has been written to (steady state), after `warmupSeconds` more of it.
 */
export async function httpIngest(sys, projects, seconds, warmupSeconds) {
  let n = 0;
  const tag = Date.now().toString(36);
  const camp = () => {
    const p = projects[n % projects.length].registered;
    n++;
    return {
      path: `/v1/projects/${p.projectId}/camps`,
      body: JSON.stringify({
        partner: 'LP',
        campId: `ingest-${tag}-${n}`,
        startDate: p.startDate,
        endDate: p.startDate,
        location: 'Jelgava',
        country: 'LV',
        participants: { total: 20, crossBorder: 8 },
      }),
    };
  };
  const load = (limit) =>
    run({
      url: sys.url,
      connections: 20,
      ...limit,
      requests: [
        {
          method: 'POST',
          headers: { authorization: sys.token, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, ...camp() }),
        },
      ],
    });
  const baseline = await run({ url: `${sys.url}/healthz`, connections: 20, duration: seconds });
  // One POST per project: each one's first write in this process.
  const first = await load({ amount: projects.length });
  const firstPassRequests = n;
  if (warmupSeconds > 0) await load({ duration: warmupSeconds });
  const before = cpuSeconds(sys.child.pid);
  const ingest = await load({ duration: seconds });
  const after = cpuSeconds(sys.child.pid);
  // What one write costs the machine, whatever its speed: the standalone process, the load generator (this
  // process), and the rest (PostgreSQL, the kernel's share of both).
  const perWrite = (k) => ((after[k] - before[k]) * 1000) / ingest.requests.total;
  const cpu = { busy: perWrite('busy'), standalone: perWrite('standalone'), bench: perWrite('bench') };
  return {
    cpuMsPerWrite: { ...cpu, rest: cpu.busy - cpu.standalone - cpu.bench },
    perSecond: ingest.requests.average,
    p99: ingest.latency.p99,
    errors: ingest.non2xx + ingest.errors,
    cold: {
      perSecond: first.requests.total / first.duration,
      p99: first.latency.p99,
      errors: first.non2xx + first.errors,
      requests: firstPassRequests,
    },
    baselinePerSecond: baseline.requests.average,
    baselineP99: baseline.latency.p99,
  };
}

// Query latency at a steady rate (pacedLoad): requests evenly spaced, latency from each one's due time.
function projectLoad(sys, projects, seconds, rate) {
  const path = (i) => `/v1/projects/${projects[(i * 7919) % projects.length].registered.projectId}/indicators`;
  return pacedLoad({ url: sys.url, rate, seconds, path, headers: { authorization: sys.token } });
}

/** Project queries at `rate`, measured for `seconds` after `warmupSeconds` of the same (JIT, PostgreSQL buffers). */
export async function projectQueries(sys, projects, seconds, warmupSeconds, rate = 200) {
  if (warmupSeconds > 0) await projectLoad(sys, projects, warmupSeconds, rate);
  return projectLoad(sys, projects, seconds, rate);
}

/**
 * The floor of the query rows: GET /healthz (no database, no authentication) at the same even `rate` on the same
 * process, after `warmupSeconds`. On a small virtual machine its p99 alone is several milliseconds.
 */
export async function pacedHealthz(sys, seconds, warmupSeconds, rate = 200) {
  const load = (s) => pacedLoad({ url: sys.url, rate, seconds: s, path: () => '/healthz' });
  if (warmupSeconds > 0) await load(warmupSeconds);
  return load(seconds);
}

/** The programme aggregation at `rate`, measured for `seconds` after `warmupSeconds` of the same. */
export async function programmeQueries(sys, seconds, warmupSeconds, rate = 200) {
  const load = (s) =>
    pacedLoad({
      url: sys.url,
      rate,
      seconds: s,
      path: () => '/v1/programmes/BENCH/indicators?groupBy=country',
      headers: { authorization: sys.token },
    });
  if (warmupSeconds > 0) await load(warmupSeconds);
  return load(seconds);
}

/** Project queries as of an instant (`asOf`), at `rate`, after `warmupSeconds` of the same. */
export async function asOfProjectQueries(sys, projects, asOf, seconds, warmupSeconds, rate = 50) {
  const load = (s) =>
    pacedLoad({
      url: sys.url,
      rate,
      seconds: s,
      path: (i) =>
        `/v1/projects/${projects[(i * 7919) % projects.length].registered.projectId}/indicators?asOf=${encodeURIComponent(asOf)}`,
      headers: { authorization: sys.token },
    });
  if (warmupSeconds > 0) await load(warmupSeconds);
  return load(seconds);
}

/** The first programme aggregation a freshly started process answers (nothing in its memory yet). */
export async function firstProgrammeAnswer(sys) {
  const t = process.hrtime.bigint();
  const r = await fetch(`${sys.url}/v1/programmes/BENCH/indicators?groupBy=country`, {
    headers: { authorization: sys.token },
  });
  await r.text();
  if (r.status !== 200) throw new Error(`programme query ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * The programme aggregation right after the programme changed: one output recorded and projected, then `samples`
 * single requests, each after another change. What a dashboard waits for when it asks first after a write.
 */
export async function programmeAfterChange(sys, projects, samples = 5) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const p = projects[(i * 17) % projects.length].registered;
    const body = JSON.stringify({
      partner: 'LP',
      trainingId: `change-${i}-${Date.now()}`,
      topic: 'Change',
      date: p.startDate,
      hours: 1,
      trainees: 2,
    });
    const w = await (
      await fetch(`${sys.url}/v1/projects/${p.projectId}/trainings`, {
        method: 'POST',
        headers: { authorization: sys.token, 'content-type': 'application/json' },
        body,
      })
    ).json();
    await waitCaughtUp(sys, 60_000);
    const t = process.hrtime.bigint();
    const r = await fetch(
      `${sys.url}/v1/programmes/BENCH/indicators?groupBy=country&minPosition=${encodeURIComponent(w.position)}`,
      { headers: { authorization: sys.token } },
    );
    await r.text();
    if (r.status !== 200) throw new Error(`programme query ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), max: times.at(-1) };
}

export async function freshness(sys, projects, samples) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const p = projects[(i * 31) % projects.length].registered;
    const body = JSON.stringify({
      partner: 'LP',
      trainingId: `fresh-${i}-${Date.now()}`,
      topic: 'Freshness',
      date: p.startDate,
      hours: 2,
      trainees: 3,
    });
    const t = process.hrtime.bigint();
    const w = await (
      await fetch(`${sys.url}/v1/projects/${p.projectId}/trainings`, {
        method: 'POST',
        headers: { authorization: sys.token, 'content-type': 'application/json' },
        body,
      })
    ).json();
    const t1 = process.hrtime.bigint();
    const q = await fetch(`${sys.url}/v1/projects/${p.projectId}/indicators/RCO85/evidence?minPosition=${w.position}`, {
      headers: { authorization: sys.token },
    });
    await q.text();
    if (q.status !== 200) throw new Error(`freshness query ${q.status}`);
    times.push(Number(process.hrtime.bigint() - t1) / 1e6);
    void t;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
