import { expect } from 'chai';
import type pg from 'pg';
import { generateHistory, random } from '@il/projections/contract';
import { createPostgresProjector, rebuildViews } from '../src/index.js';
import { appendTogether, openViewsFixture, waitForCheckpoint, type ViewsFixture } from './fixtures/scenario.js';

/**
 * Every row of the views, normalised so that the batch projector's and a rebuild's can be compared: cell versions
 * valid for no time at all (a batch boundary inside one append leaves those) and group months back to nothing are
 * left out, group-month sums compared by value, rows kept per project in the order of their ids are compared as sequences.
 */
async function viewRows(views: pg.Pool) {
  const q = async (sql: string) => (await views.query(sql)).rows;
  return {
    programmes: await q('select programme_id, name, time_zone, catalogue from il_view_programmes order by 1'),
    projects: await q(
      'select project_id, programme_id, acronym, priority, specific_objective, start_date::text, end_date::text, reporting_period_months from il_view_projects order by 1',
    ),
    partners: await q('select * from il_view_partners order by 1, 2'),
    targets: await q(
      'select project_id, indicator, partner, value::text, recorded_at from il_view_targets order by 1, 2, 3',
    ),
    ends: await q('select project_id, end_date::text, recorded_at from il_view_project_ends order by project_id, seq'),
    targetVersions: await q(
      'select project_id, indicator, partner, value::text, recorded_at from il_view_target_versions order by project_id, seq',
    ),
    programmeTargets: await q(
      'select programme_id, indicator, specific_objective, target, recorded_at from il_view_programme_targets order by programme_id, seq',
    ),
    reports: await q(
      'select event_id::text, project_id, level, partner, period_id, transition, numbers, reason, snapshot, actor, recorded_at from il_view_reports order by project_id, seq',
    ),
    contributions: await q(
      `select project_id, partner, indicator, occurred_on::text, value::text, distinct_key, output_event_id::text, source_event_id::text,
              source_type, valid_from, valid_to from il_view_contributions order by project_id, id`,
    ),
    cells: await q(
      `select project_id, indicator, partner, day::text, value::text, contributions, valid_from, valid_to from il_view_cells
        where valid_to is null or valid_to > valid_from order by 1, 2, 3, 4, 7`,
    ),
    groupMonths: await q(
      // By value: sums kept change by change may carry a scale (72.0) that one sum of the same numbers does not.
      `select programme_id, dimension, grp, indicator, month, trim_scale(value)::text as value, cells from il_view_group_months
        where value <> 0 or cells <> 0 order by 1, 2, 3, 4, 5`,
    ),
    checkpoints: await q('select projector, position, global_position::text from il_view_checkpoints'),
  };
}

describe('rebuild: the stream-by-stream bulk load builds the views the batch projector builds', function () {
  this.timeout(600_000);
  let f: ViewsFixture;
  before(async () => {
    f = await openViewsFixture();
  });
  after(async () => f?.close());

  async function projectAll(batchSize: number): Promise<void> {
    const projector = await createPostgresProjector({ pool: f.views, store: f.store, batchSize });
    const sub = await projector.start();
    try {
      await waitForCheckpoint(f.store, projector.checkpoint, 60_000);
    } finally {
      await sub.stop();
    }
  }

  it('row for row, over 30 seeded histories with corrections, retractions, amendments, late partners and reused keys', async () => {
    for (let seed = 7000; seed < 7030; seed++)
      await appendTogether(f.store, generateHistory(seed, { suffix: `-${seed}` }).events, random(seed * 7));
    await projectAll(7);
    const batched = await viewRows(f.views);
    expect(batched.contributions.length, 'the histories make rows').to.be.above(500);
    expect(batched.groupMonths.length).to.be.above(50);
    const rebuilt = await rebuildViews(f.url, f.store);
    expect(rebuilt.bulk, 'every event went through the bulk load').to.equal(rebuilt.events);
    const after = await viewRows(f.views);
    for (const table of Object.keys(batched) as (keyof typeof batched)[])
      expect(after[table], table).to.deep.equal(batched[table]);
  });

  it('falls back to batches, to the same rows, when a programme was registered twice (its catalogue depends on the moment)', async () => {
    const generated = generateHistory(7100, { suffix: '-again' });
    await appendTogether(f.store, generated.events, random(7100));
    // The programme registered again, unchanged, after its projects' events: the bulk load cannot tell from a
    // stream which registration an event saw, so it must not be used.
    const registration = generated.events.find((e) => e.type === 'ProgrammeRegistered')!;
    await f.store.appendToStream(
      registration.streamId,
      [{ ...registration, eventId: '00000000-7100-4000-8000-999999999999' }],
      { expectedVersion: 'any' },
    );
    await projectAll(5);
    const batched = await viewRows(f.views);
    const rebuilt = await rebuildViews(f.url, f.store);
    expect(rebuilt.bulk).to.equal(0);
    expect(rebuilt.events).to.be.above(0);
    expect(await viewRows(f.views)).to.deep.equal(batched);
  });
});
