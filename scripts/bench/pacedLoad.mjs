// Open-loop load at a steady rate: request i is due at start + i / rate, whatever happened to the others, and its
// latency counts from when it was due (so a stall of the server, or of this process, delays every request due
// meanwhile and shows in the figures: no coordinated omission).
//
// Why not autocannon's overallRate: it lets each connection send its share of a second back-to-back as soon as
// the second starts, then idle, so "200 req/s" arrives as a burst of 200 requests at 10-way concurrency once a
// second; and it corrects for coordinated omission with an expected interval of ceil(1 / per-connection rate) =
// 1 ms, which records a response of L ms as L samples (L, L-1, … 1 ms), weighting the percentiles toward the slow
// responses.
import http from 'node:http';
import { percentile } from './stats.mjs';

/**
 * GETs `path(i)` of `url` at `rate` per second for `seconds`, over at most `connections` keep-alive sockets
 * (requests due while all are busy wait for one, and that wait counts). Each request gives up after `timeoutMs`.
 */
export async function pacedLoad({ url, rate, seconds, path, headers = {}, connections = 16, timeoutMs = 10_000 }) {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  let errors = 0;
  const get = (i, due) =>
    new Promise((resolve) => {
      const req = http.get(
        { host: base.hostname, port: base.port, path: path(i), headers, agent, timeout: timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - due);
            else errors++;
            resolve();
          });
          res.on('error', () => (errors++, resolve()));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => (errors++, resolve()));
    });
  const start = performance.now() + 10;
  const inFlight = [];
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) {
      inFlight.push(get(sent, start + sent * interval));
      sent++;
    }
    if (sent < total) await new Promise((r) => setTimeout(r, Math.max(0, start + sent * interval - performance.now())));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    rate: latencies.length / elapsed,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
  };
}
