import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRelayConfig } from '@il/relay';
import { relayParts } from '@il/relay-service';
import { loadConfig, startService } from '@il/runtime';
import { startTestSystem, type TestSystem } from './testSystem.js';
import { testSecret } from './auth.js';

// .ci/run installs promtool (Debian's prometheus package) where it can; elsewhere the check says why it did not run.
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const promtoolMissing = promtool.error
  ? 'promtool is not installed (apt-get install prometheus; .ci/run does this where it can)'
  : undefined;

describe('metrics as Prometheus reads them', function () {
  this.timeout(60_000);
  let t: TestSystem;
  let system: string;
  let relay: string;
  before(async () => {
    t = await startTestSystem();
    system = await (await fetch(`${t.url}/metrics`)).text();
    const r = await startService(
      'relay',
      loadConfig({
        PORT: '0',
        DATABASE_URL: t.connectionString,
        LOG_LEVEL: 'silent',
        JWT_SECRET: testSecret,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'il-metrics-')),
      }),
      (ctx) =>
        relayParts(
          ctx,
          loadRelayConfig({ RELAY_SINK: 'file', RELAY_FILE_DIR: mkdtempSync(join(tmpdir(), 'il-metrics-relay-')) }),
          () => undefined,
        ),
    );
    try {
      relay = await (await fetch(`${r.url}/metrics`)).text();
    } finally {
      await r.stop();
    }
  });
  after(async () => t?.stop());

  /** The value of the series `name` whose labels include `labels` (in any order), or undefined. */
  const value = (text: string, name: string, labels: Record<string, string>) => {
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('has every known label set at 0 before its first increment, so rate() sees the first one', () => {
    for (const type of ['OutputCorrected', 'OutputRetracted', 'CampHeld', 'ProjectAmended'])
      expect(value(system, 'il_events_appended_total', { type }), type).to.equal(0);
    expect(
      value(system, 'il_http_request_duration_seconds_count', {
        route: '/v1/projects/:projectId/camps',
        method: 'POST',
        status: '500',
      }),
    ).to.equal(0);
    expect(
      value(system, 'il_http_request_duration_seconds_count', {
        route: '/v1/projects/:projectId/indicators',
        method: 'GET',
        status: '503',
      }),
    ).to.equal(0);
    expect(value(system, 'il_rebuilds_total', { outcome: 'failed' })).to.equal(0);
    expect(value(relay, 'il_relay_failures_total', { service: 'relay' })).to.equal(0);
    expect(value(relay, 'il_relay_published_total', { service: 'relay' })).to.equal(0);
  });

  it('has no gauge named like a counter', () => {
    for (const text of [system, relay]) {
      const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]!);
      expect(gauges.filter((g) => g.endsWith('_total'))).to.deep.equal([]);
    }
  });

  it(`passes promtool check metrics${promtoolMissing ? ` (skipped: ${promtoolMissing})` : ''}`, function () {
    if (promtoolMissing) this.skip();
    for (const text of [system, relay]) {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.status, `${check.stdout}${check.stderr}`).to.equal(0);
    }
  });
});
