// Spec output for humans, plus a small JSON file per package so `npm test` can print one
// closing summary line for the whole monorepo (turbo interleaves many mocha runs).
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const dir = path.join(__dirname, '..', '.test-results');
      fs.mkdirSync(dir, { recursive: true });
      const name = process.env.npm_package_name || path.basename(process.cwd());
      const { passes, failures, pending, duration } = runner.stats;
      const file = name.replace(/[^a-z0-9._-]/gi, '_');
      fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify({ name, passes, failures, pending, duration }));
    });
  }
}
module.exports = SpecWithSummary;
