import { expect } from 'chai';
import { socQualityOutputs } from '@il/domain';
import { createInMemoryEventStore, startPosition, type EventStore, type StoredEvent } from '@il/event-store';
import { memoryViewRows, referenceQueries } from '../src/index.js';
import { append, projectStream, registerSocQuality } from '../src/contract/index.js';

async function everything(store: EventStore): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let position = startPosition; ;) {
    const page = await store.readAll({ after: position, limit: 1000 });
    if (page.events.length === 0) return out;
    out.push(...page.events);
    position = page.position;
  }
}

/**
 * The projection fold and the answer rules on the in-memory event store and in-memory rows: the same SocQuality
 * numbers the read-model contract checks on PostgreSQL and MongoDB, in milliseconds and without a database.
 */
describe('projection fold in memory (reference rows and queries)', () => {
  let queries: ReturnType<typeof referenceQueries>;
  const store = createInMemoryEventStore();
  before(async () => {
    await registerSocQuality(store);
    for (const o of socQualityOutputs) await append(store, projectStream, [o]);
    queries = referenceQueries(memoryViewRows(await everything(store)));
  });

  const figures = async (code: string, partner?: string) => {
    const out = { period: [] as (number | null)[], cumulative: [] as (number | null)[] };
    for (const periodId of ['P1', 'P2', 'P3', 'P4']) {
      const i = (
        await queries.projectIndicators('LLI-317', { periodId, today: '2020-02-29', ...(partner ? { partner } : {}) })
      ).indicators.find((x) => x.code === code)!;
      out.period.push(i.periodValue);
      out.cumulative.push(i.cumulativeValue);
    }
    return out;
  };

  it('counts flows per period and cumulatively, across partners and per partner', async () => {
    expect(await figures('RCO81')).to.deep.equal({ period: [57, 52, 46, 53], cumulative: [57, 109, 155, 208] });
    expect(await figures('RCO81', 'LP')).to.deep.equal({ period: [33, 30, 0, 25], cumulative: [33, 63, 63, 88] });
    expect(await figures('EXP')).to.deep.equal({
      period: [0, 0, 4_500_000, 4_607_982],
      cumulative: [0, 0, 4_500_000, 9_107_982],
    });
  });

  it('counts a distinct key once per project, in the period of its first occurrence', async () => {
    expect(await figures('OBJ')).to.deep.equal({ period: [0, 1, 3, 2], cumulative: [0, 1, 4, 6] });
    expect(await figures('RCO84')).to.deep.equal({ period: [0, 0, 5, 2], cumulative: [0, 0, 5, 7] });
    expect(await figures('RCO87')).to.deep.equal({ period: [8, 0, 0, 0], cumulative: [8, 8, 8, 8] });
  });
});
