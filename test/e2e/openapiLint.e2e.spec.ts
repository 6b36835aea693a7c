import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@il/event-store/testing';
import { startTestSystem, type TestSystem } from './testSystem.js';

interface Problem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer?: string }[];
}

/** Redocly's recommended rules on the document the system serves: no error and no warning. */
describe('the served OpenAPI document under @redocly/cli lint (recommended rules)', function () {
  this.timeout(120_000);
  let t: TestSystem;
  let dir: string;
  before(async () => {
    t = await startTestSystem();
    dir = mkdtempSync(join(tmpdir(), 'il-openapi-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.stop();
  });

  const lint = (document: unknown): Problem[] => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const run = spawnSync(join(repoRoot(), 'node_modules', '.bin', 'redocly'), ['lint', file, '--format=json'], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const json = run.stdout.slice(run.stdout.indexOf('{'));
    return (JSON.parse(json) as { problems: Problem[] }).problems;
  };

  it('passes', async () => {
    const document = (await (await fetch(`${t.url}/openapi.json`)).json()) as Record<string, unknown>;
    const problems = lint(document);
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`),
    ).to.deep.equal([]);
  });

  it('would find a missing security scheme and operationId, so the check above can fail', async () => {
    const document = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const camps = document.paths['/v1/projects/{projectId}/camps']!['post']!;
    delete camps['operationId'];
    delete camps['security'];
    const rules = lint(document).map((p) => p.ruleId);
    expect(rules).to.include('operation-operationId').and.to.include('security-defined');
  });
});
