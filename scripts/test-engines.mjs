#!/usr/bin/env node
// `npm run test:engines`: the contract suites of the scale-out engines (KurrentDB event store, MongoDB read models,
// Kafka publisher) and the end-to-end runs on them, against running servers. With Docker:
//
//   docker compose -f infra/compose.yaml up -d       # KurrentDB, Kafka (KRaft), MongoDB (replica set rs0), …
//   npm run test:engines
//
// Unset variables default to the compose file's addresses below; set them to test other servers. `npm test` runs
// the same suites and reports them as skipped (with this reason) when the variables are not set.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaults = {
  KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
  MONGODB_URL: 'mongodb://127.0.0.1:27017/?replicaSet=rs0&directConnection=true',
  KAFKA_BROKERS: '127.0.0.1:9092',
};
const env = { ...process.env };
for (const [name, value] of Object.entries(defaults)) {
  if (!env[name]) {
    env[name] = value;
    console.log(`${name} not set: using the compose default ${value}`);
  }
}
const filters = ['@il/event-store-kurrentdb', '@il/projections-mongodb', '@il/relay', '@il/e2e'].map(
  (f) => `--filter=${f}`,
);
const run = spawnSync(process.execPath, [join(root, 'scripts', 'test.mjs'), ...filters], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(run.status ?? 1);
