import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePublisherContract } from '../src/contract/index.js';
import { createFilePublisher } from '../src/index.js';

describePublisherContract('JSON-lines files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'il-relay-'));
  const publisher = createFilePublisher(join(dir, 'out'));
  return {
    publisher,
    readBack: (topic) => publisher.read(topic),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
