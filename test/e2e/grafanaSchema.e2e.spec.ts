import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const dashboardFile = join(repoRoot(), 'infra', 'grafana', 'dashboards', 'indicator-ledger.json');

/**
 * Type errors of `text` (TypeScript source) compiled as a file beside this one, so that `@grafana/schema` resolves
 * from the test workspace's node_modules. The dashboard JSON goes in as an object literal, so every field is checked
 * against Grafana's published type, literal unions included.
 */
function typeErrors(text: string): string[] {
  const file = join(here, '__grafana_dashboard_check.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe("Grafana dashboard against @grafana/schema's Dashboard type", function () {
  this.timeout(120_000);
  const json = readFileSync(dashboardFile, 'utf8');

  it('type-checks', () => {
    expect(
      typeErrors(`import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = ${json};\n`),
    ).to.deep.equal([]);
  });

  it('finds a wrong field, so the check above can fail', () => {
    const broken = json.replace('"schemaVersion"', '"schemaVersion": "not a number", "schemaVersionX"');
    expect(
      typeErrors(
        `import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = ${broken};\n`,
      ).join('\n'),
    ).to.match(/not assignable to type 'number'/);
  });

  it('gives every panel a unique id and field overrides', () => {
    const panels = (JSON.parse(json) as { panels: { id?: number; fieldConfig?: { overrides?: unknown[] } }[] }).panels;
    expect(new Set(panels.map((p) => p.id)).size).to.equal(panels.length);
    for (const p of panels) expect(p.fieldConfig?.overrides, String(p.id)).to.be.an('array');
  });
});
