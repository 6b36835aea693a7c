#!/usr/bin/env node
// Runs every workspace's mocha suites through turbo (--continue: one failing workspace must not stop the others
// mid-run, which would show up as unrelated failures), then prints one closing line for the whole run:
// `mocha: N passed, N failed, N skipped`. Exits non-zero if turbo failed, a test failed, or no test ran.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, '.test-results');
rmSync(resultsDir, { recursive: true, force: true });

const extra = process.argv.slice(2);
const turbo = spawnSync(
  'npx',
  ['turbo', 'run', 'test', '--log-order=grouped', '--concurrency=2', '--continue', ...extra],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  },
);

const results = existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')))
  : [];
const total = { passes: 0, failures: 0, pending: 0 };
console.log('\nTest summary by workspace:');
for (const r of results.sort((a, b) => a.name.localeCompare(b.name))) {
  console.log(
    `  ${r.name.padEnd(28)} ${String(r.passes).padStart(5)} passed ${String(r.failures).padStart(3)} failed ${String(r.pending).padStart(3)} skipped`,
  );
  total.passes += r.passes;
  total.failures += r.failures;
  total.pending += r.pending;
}
console.log(`mocha: ${total.passes} passed, ${total.failures} failed, ${total.pending} skipped`);
const ok = turbo.status === 0 && total.failures === 0 && total.passes > 0;
process.exit(ok ? 0 : 1);
