// Figures 3-7 against the standalone process itself (a child process on the same database).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '@il/event-store';
import { signToken } from '@il/http-kit';
import { percentile } from './stats.mjs';

const secret = 'bench-secret-0123456789abcdef0123456789abcdef';

export async function startStandalone(root, databaseUrl, dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), join(root, 'services/standalone/dist/src/main.js')], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'silent', JWT_SECRET: secret, WRITES_PER_MINUTE: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null) throw new Error('standalone exited');
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = `Bearer ${await signToken(secret, { sub: 'bench', roles: ['admin'] }, { audience: 'indicator-ledger' })}`;
  return { url, token, child, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
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

export async function rebuild(sys) {
  const t = process.hrtime.bigint();
  const r = await fetch(`${sys.url}/v1/admin/rebuild`, { method: 'POST', headers: { authorization: sys.token } });
  const body = await r.json();
  if (r.status !== 200) throw new Error(`rebuild failed: ${JSON.stringify(body)}`);
  return { events: body.events, perSecond: body.events / (Number(process.hrtime.bigint() - t) / 1e9), peakRssMiB: peakRssMiB(sys.child.pid) };
}

function run(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

export async function httpIngest(sys, projects, seconds) {
  let n = 0;
  const camp = () => {
    const p = projects[n % projects.length].registered;
    n++;
    return { path: `/v1/projects/${p.projectId}/camps`, body: JSON.stringify({ partner: 'LP', campId: `ingest-${n}`, startDate: p.startDate, endDate: p.startDate, location: 'Jelgava', country: 'LV', participants: { total: 20, crossBorder: 8 } }) };
  };
  const baseline = await run({ url: `${sys.url}/healthz`, connections: 20, duration: seconds });
  const ingest = await run({
    url: sys.url,
    connections: 20,
    duration: seconds,
    requests: [{ method: 'POST', headers: { authorization: sys.token, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, ...camp() }) }],
  });
  return {
    perSecond: ingest.requests.average, p99: ingest.latency.p99, errors: ingest.non2xx + ingest.errors,
    baselinePerSecond: baseline.requests.average, baselineP99: baseline.latency.p99,
  };
}

export async function queryLatency(sys, projects, seconds, rate = 200) {
  let n = 0;
  const project = () => `/v1/projects/${projects[(n++ * 7919) % projects.length].registered.projectId}/indicators`;
  const projectRun = await run({ url: sys.url, connections: 10, duration: seconds, overallRate: rate, headers: { authorization: sys.token }, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: project() }) }] });
  const programmeRun = await run({ url: `${sys.url}/v1/programmes/BENCH/indicators?groupBy=country`, connections: 10, duration: seconds, overallRate: rate, headers: { authorization: sys.token } });
  return {
    projectP99: projectRun.latency.p99, projectRate: projectRun.requests.average, projectErrors: projectRun.non2xx + projectRun.errors,
    programmeP99: programmeRun.latency.p99, programmeRate: programmeRun.requests.average, programmeErrors: programmeRun.non2xx + programmeRun.errors,
  };
}

export async function freshness(sys, projects, samples) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const p = projects[(i * 31) % projects.length].registered;
    const body = JSON.stringify({ partner: 'LP', trainingId: `fresh-${i}-${Date.now()}`, topic: 'Freshness', date: p.startDate, hours: 2, trainees: 3 });
    const t = process.hrtime.bigint();
    const w = await (await fetch(`${sys.url}/v1/projects/${p.projectId}/trainings`, { method: 'POST', headers: { authorization: sys.token, 'content-type': 'application/json' }, body })).json();
    const t1 = process.hrtime.bigint();
    const q = await fetch(`${sys.url}/v1/projects/${p.projectId}/indicators/RCO85/evidence?minPosition=${w.position}`, { headers: { authorization: sys.token } });
    await q.text();
    if (q.status !== 200) throw new Error(`freshness query ${q.status}`);
    times.push(Number(process.hrtime.bigint() - t1) / 1e6);
    void t;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
