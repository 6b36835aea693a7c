import { expect } from 'chai';
import { startPosition, type StoredEvent } from '@il/event-store';
import type { Cell } from '@il/projections';
import { createPostgresProjector, postgresQueries, postgresViewRows } from '../src/index.js';
import { validAt } from '../src/asOfCondition.js';
import { checkHistory, generateHistory, random } from '@il/projections/contract';
import { appendTogether, openViewsFixture, waitForCheckpoint, type ViewsFixture } from './fixtures/scenario.js';

/**
 * The same property on PostgreSQL: random histories appended to a real event store (several events per append, so
 * recorded times tie), projected in random batch sizes, and every answer read in SQL from the maintained cells
 * compared with the from-scratch fold of the events as the store recorded them.
 */
describe('maintained figures equal a from-scratch fold (property, 40 seeded histories, PostgreSQL)', function () {
  this.timeout(600_000);
  let f: ViewsFixture;
  before(async () => {
    f = await openViewsFixture();
  });
  after(async () => f?.close());

  it('for every rule, period, partner, grouping and as-of instant', async () => {
    let compared = 0;
    for (let seed = 5000; seed < 5040; seed++) {
      const generated = generateHistory(seed, { suffix: `-${seed}` });
      const r = random(seed * 11);
      // Consecutive events of one stream, appended together: one transaction, one recorded time.
      await appendTogether(f.store, generated.events, r);
      const projector = await createPostgresProjector({ pool: f.views, store: f.store, batchSize: r.int(1, 9) });
      const sub = await projector.start();
      const streams = [...new Set(generated.events.map((e) => e.streamId))];
      try {
        await waitForCheckpoint(f.store, projector.checkpoint, 30_000, streams);
      } finally {
        await sub.stop();
      }
      // The history as the store recorded it: its times and order are what the views and the reference both see.
      const recorded: StoredEvent[] = [];
      for (let position = startPosition; ;) {
        const page = await f.store.readAll({ after: position, limit: 1000 });
        if (page.events.length === 0) break;
        recorded.push(...page.events.filter((e) => streams.includes(e.streamId)));
        position = page.position;
      }
      expect(recorded.map((e) => e.eventId)).to.deep.equal(generated.events.map((e) => e.eventId));
      const projects = [...new Set(recorded.map((e) => e.streamId))]
        .filter((s) => s.startsWith('project-'))
        .map((s) => s.slice('project-'.length));
      compared += await checkHistory(
        {
          queries: postgresQueries(f.views),
          async cellsAt(asOf) {
            const { rows } = await f.views.query<Omit<Cell, 'value'> & { value: string }>(
              `select c.project_id as "projectId", c.indicator, c.partner, to_char(c.day, 'YYYY-MM-DD') as day, c.value::text as value, c.contributions
                 from il_view_cells c where c.project_id = any($1::text[]) and ${validAt('$2', asOf)}
                order by c.project_id collate "C", c.indicator collate "C", c.partner collate "C", c.day`,
              [projects, asOf ?? null],
            );
            return rows.map((x) => ({ ...x, value: Number(x.value) }));
          },
          contributionsAt: (asOf) =>
            postgresViewRows(f.views).contributions({ programmeId: generated.programmeId, asOf }),
        },
        { ...generated, events: recorded },
        r,
      );
    }
    expect(compared).to.be.above(3_000);
  });
});
