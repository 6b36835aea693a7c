import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadRelayConfig } from '@il/relay';
import { relayParts } from '@il/relay-service';
import { loadConfig, startService } from '@il/runtime';
import { startTestSystem, type TestSystem } from './testSystem.js';
import { testSecret } from './auth.js';

const infra = join(repoRoot(), 'infra');
const read = (p: string) => readFileSync(join(infra, p), 'utf8');

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr?: string; url?: string; rawSql?: string }[];
}

describe('infra: Prometheus config and Grafana dashboard are valid and refer only to what the code provides', function () {
  this.timeout(60_000);
  let t: TestSystem;
  let exposed: Set<string>;
  before(async () => {
    t = await startTestSystem();
    // The relay is a service of its own: its metrics count as registered too.
    const relay = await startService(
      'relay',
      loadConfig({
        PORT: '0',
        DATABASE_URL: t.connectionString,
        LOG_LEVEL: 'silent',
        JWT_SECRET: testSecret,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'il-infra-')),
      }),
      (ctx) =>
        relayParts(
          ctx,
          loadRelayConfig({ RELAY_SINK: 'file', RELAY_FILE_DIR: mkdtempSync(join(tmpdir(), 'il-infra-relay-')) }),
          () => undefined,
        ),
    );
    try {
      const text =
        (await (await fetch(`${t.url}/metrics`)).text()) + (await (await fetch(`${relay.url}/metrics`)).text());
      exposed = new Set(
        [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) =>
          m[2] === 'histogram' ? [m[1]!, `${m[1]}_bucket`, `${m[1]}_count`, `${m[1]}_sum`] : [m[1]!],
        ),
      );
    } finally {
      await relay.stop();
    }
  });
  after(async () => t?.stop());

  const dashboard = JSON.parse(read('grafana/dashboards/indicator-ledger.json')) as { uid: string; panels: Panel[] };

  it('parses the compose file, the Prometheus config and the Grafana provisioning', () => {
    const compose = parse(read('compose.yaml')) as { services: Record<string, unknown> };
    expect(Object.keys(compose.services)).to.include.members([
      'kurrentdb',
      'kafka',
      'mongodb',
      'prometheus',
      'grafana',
      'postgres',
    ]);
    const prom = parse(read('prometheus.yml')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(prom.scrape_configs.map((s) => s.job_name)).to.include.members([
      'standalone',
      'registry',
      'activities',
      'infrastructure',
      'projector',
      'query-api',
      'relay',
    ]);
    for (const s of prom.scrape_configs) expect(s.static_configs[0]!.targets[0]).to.match(/^[\w.-]+:\d+$/);
    const sources = parse(read('grafana/provisioning/datasources/datasources.yaml')) as {
      datasources: { uid: string }[];
    };
    const uids = new Set(sources.datasources.map((d) => d.uid));
    for (const panel of dashboard.panels) expect(uids.has(panel.datasource.uid), panel.title).to.equal(true);
  });

  it('provisions what the data sources need: no unset variable, the viewer token from a compose service', () => {
    const compose = parse(read('compose.yaml')) as {
      services: Record<string, { volumes?: string[]; command?: string[]; depends_on?: Record<string, unknown> }>;
    };
    const text = read('grafana/provisioning/datasources/datasources.yaml');
    expect(text, 'an environment variable no compose service sets').to.not.match(/\$\{[A-Z_]+\}/);
    const files = [...text.matchAll(/\$__file\{([^}]+)\}/g)].map((m) => m[1]!);
    expect(files).to.deep.equal(['/etc/grafana/tokens/viewer']);
    const grafana = compose.services['grafana']!;
    expect(grafana.volumes).to.include('tokens:/etc/grafana/tokens:ro');
    expect(grafana.depends_on).to.have.property('viewer-token');
    const signer = compose.services['viewer-token']!;
    expect(signer.command).to.deep.equal(['node', '/infra/viewer-token.mjs', '/tokens/viewer']);
    expect(signer.volumes).to.include('tokens:/tokens');
  });

  it("signs a viewer token (infra/viewer-token.mjs) that the system accepts for Grafana's routes only", async () => {
    const run = spawnSync(process.execPath, [join(infra, 'viewer-token.mjs')], {
      env: { ...process.env, JWT_SECRET: testSecret },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).to.equal(0);
    const authorization = `Bearer ${run.stdout.trim()}`;
    const series = await fetch(`${t.url}/v1/programmes/NOPE/indicators/RCO81/series`, { headers: { authorization } });
    expect(series.status, 'accepted, and the programme does not exist').to.equal(404);
    expect(
      (await fetch(`${t.url}/v1/projects/LLI-317`, { headers: { authorization } })).status,
      'no project reads',
    ).to.equal(404);
    expect(
      (
        await fetch(`${t.url}/v1/programmes/NOPE/indicators/RCO81/series`, {
          headers: { authorization: `${authorization}x` },
        })
      ).status,
    ).to.equal(401);
    const refused = spawnSync(process.execPath, [join(infra, 'viewer-token.mjs')], {
      env: { ...process.env, JWT_SECRET: 'short' },
      encoding: 'utf8',
    });
    expect(refused.status).to.equal(2);
  });

  it('has a Prometheus config for the single-process start, mounted by default', () => {
    const prom = parse(read('prometheus-standalone.yml')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(prom.scrape_configs.map((s) => [s.job_name, s.static_configs[0]!.targets])).to.deep.equal([
      ['standalone', ['host.docker.internal:8080']],
    ]);
    expect(read('compose.yaml')).to.include(
      './${PROMETHEUS_CONFIG:-prometheus-standalone.yml}:/etc/prometheus/prometheus.yml:ro',
    );
  });

  it('queries only metrics the services register, with low-cardinality labels', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((x) => x.expr)).filter((e): e is string => Boolean(e));
    expect(exprs.length).to.be.at.least(4);
    for (const expr of exprs) {
      for (const metric of expr.match(/\bil_[a-z_]+\b/g) ?? [])
        expect(exposed.has(metric), `${metric} in ${expr}`).to.equal(true);
      expect(expr).to.not.match(/partner|period|project_id/);
    }
  });

  it('points its JSON panels at API routes that answer, and its SQL panels at views that exist', async () => {
    const urls = dashboard.panels.flatMap((p) => p.targets.map((x) => x.url)).filter((u): u is string => Boolean(u));
    expect(urls.length).to.be.at.least(1);
    const { bearer } = await import('./auth.js');
    for (const url of urls) {
      const res = await fetch(`${t.url}${url.replace('${programme}', 'NOPE').replace('${indicator}', 'RCO81')}`, {
        headers: { authorization: await bearer({ sub: 'g', roles: ['viewer'] }) },
      });
      expect(res.status, url).to.equal(404);
      expect(((await res.json()) as { detail: string }).detail).to.match(/programme NOPE not found/);
    }
    const sql = dashboard.panels.flatMap((p) => p.targets.map((x) => x.rawSql)).filter((s): s is string => Boolean(s));
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: t.connectionString });
    client.on('error', () => undefined);
    await client.connect();
    try {
      for (const q of sql)
        await client.query(q.replaceAll('${programme}', 'LV-LT').replaceAll('${indicator}', 'RCO81'));
    } finally {
      await client.end();
    }
  });
});
