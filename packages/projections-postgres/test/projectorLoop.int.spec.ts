import { expect } from 'chai';
import { startPosition, type Position } from '@il/event-store';
import { startProjectorLoop } from '@il/projections';
import { openViewsFixture, registerSocQuality, type ViewsFixture } from './fixtures/scenario.js';

describe('projector loop: stopping', function () {
  this.timeout(30_000);
  let f: ViewsFixture;
  before(async () => {
    f = await openViewsFixture();
    await registerSocQuality(f.store);
  });
  after(async () => f?.close());

  it('stops when stopped while it is still reading its checkpoint (a restart after a moved checkpoint)', async () => {
    let release!: (p: { position: Position }) => void;
    let loop!: ReturnType<typeof startProjectorLoop>;
    const asked = new Promise<void>((askedResolve) => {
      const target = {
        checkpoint: () => {
          askedResolve();
          return new Promise<{ position: Position }>((r) => (release = r));
        },
        applyBatch: async () => undefined,
        reset: () => undefined,
      };
      loop = startProjectorLoop(f.store, target, { batchSize: 10 });
    });
    await asked;
    const stopped = loop.stop();
    // The checkpoint arrives after the stop: the loop must not go on to subscribe and wait for ever.
    release({ position: startPosition });
    const outcome = await Promise.race([
      stopped.then(() => 'stopped'),
      new Promise((r) => setTimeout(() => r('still running after 5 s'), 5000)),
    ]);
    expect(outcome).to.equal('stopped');
  });
});
