import { expect } from 'chai';
import { compareCells, createMemoryViews, viewQueries } from '../src/index.js';
import { checkHistory, generateHistory, random } from '../src/contract/index.js';

/**
 * The maintained cells against a from-scratch fold of the same events, over many random histories: the cells the
 * projector's fold keeps (applied in random batch sizes) equal the cells of the live contributions, and every answer
 * read from them equals the domain's plain aggregate() over the events, live and as of random instants.
 */
describe('maintained figures equal a from-scratch fold (property, 500 seeded histories, in memory)', function () {
  this.timeout(300_000);

  it('for every rule, period, partner, grouping and as-of instant', async () => {
    let compared = 0;
    for (let seed = 1000; seed < 1500; seed++) {
      const history = generateHistory(seed);
      const r = random(seed * 7);
      const views = createMemoryViews();
      for (let i = 0; i < history.events.length;) {
        const size = r.int(1, 7);
        views.apply(history.events.slice(i, i + size));
        i += size;
      }
      compared += await checkHistory(
        {
          queries: viewQueries(views.figures),
          cellsAt: async (asOf) =>
            views
              .cellVersions()
              .filter((v) =>
                asOf ? v.validFrom <= asOf && (v.validTo === null || v.validTo > asOf) : v.validTo === null,
              )
              .map(({ validFrom: _f, validTo: _t, ...cell }) => cell)
              .sort(compareCells),
          contributionsAt: (asOf) => views.rows.contributions({ asOf }),
        },
        history,
        r,
      );
    }
    // The histories are not trivial: a check of the generator rather than of a result.
    expect(compared).to.be.above(50_000);
  });
});
