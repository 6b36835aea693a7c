import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@il/event-store/testing';
import type { RunningService } from '@il/runtime';
import { generatedClientFiles } from '../../scripts/client/generate.mjs';
import { startTestSystem } from './testSystem.js';

describe('the typed client (@il/client) is generated from the document the system serves', function () {
  this.timeout(120_000);
  let system: RunningService;
  let drop: () => Promise<void>;
  before(async () => {
    ({ system, stop: drop } = await startTestSystem());
  });
  after(async () => {
    await drop?.();
  });

  it('has exactly the types openapi-typescript reads from the served /openapi.json', async () => {
    const document = await (await fetch(`${system.url}/openapi.json`)).json();
    const files = await generatedClientFiles(document);
    const committed = readFileSync(join(repoRoot(), 'packages', 'client', 'src', 'schema.ts'), 'utf8');
    expect(
      committed === files['src/schema.ts'],
      'packages/client/src/schema.ts is stale: run `npm run generate -w @il/client`',
    ).to.equal(true);
  });
});
