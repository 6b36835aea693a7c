import { expect } from 'chai';
import { newEvent } from '@il/event-store/contract';
import { StoreUnavailableError } from '@il/event-store';
import { createKurrentEventStore } from '../src/index.js';

// Needs no server: nothing listens on port 1, so every call must fail fast as "unavailable" (503), never hang.
describe('KurrentDB adapter with the server down', function () {
  this.timeout(30_000);
  it('answers every call with StoreUnavailableError', async () => {
    const store = createKurrentEventStore({
      connectionString: 'kurrentdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1&gossipTimeout=1',
    });
    try {
      const calls: (() => Promise<unknown>)[] = [
        () => store.appendToStream('project-LLI-317', [newEvent()], { expectedVersion: 'any' }),
        () => store.readStream('project-LLI-317'),
        () => store.streamVersion('project-LLI-317'),
        () => store.readAll({ limit: 10 }),
        () => store.headPosition(),
      ];
      for (const call of calls) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(StoreUnavailableError);
        expect((error as StoreUnavailableError).status).to.equal(503);
      }
    } finally {
      await store.close();
    }
  });
});
