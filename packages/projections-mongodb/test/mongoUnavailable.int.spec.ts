import { expect } from 'chai';
import { createMongoReadModels } from '../src/index.js';
import type { EventStore } from '@il/event-store';

// Needs no server: nothing listens on port 1, so start-up must fail with a clear error within the selection timeout.
describe('MongoDB read models with the server down', function () {
  this.timeout(30_000);
  it('refuses to start instead of serving empty views', async () => {
    const error = await createMongoReadModels({
      url: 'mongodb://127.0.0.1:1/?directConnection=true',
      store: {} as EventStore,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).name).to.match(/MongoServerSelectionError|MongoNetworkError/);
  });
});
