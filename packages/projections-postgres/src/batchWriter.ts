import type pg from 'pg';
import {
  collectBatchChanges,
  loadWorkingSet,
  maintainCells,
  type AggregationOf,
  type CellContribution,
  type ViewChange,
  type WorkingSetReads,
} from '@il/projections';
import { applyChanges } from './applyChanges.js';
import { cellArrays, insertCells, insertContributions } from './viewRowWrites.js';
import {
  additiveChanges,
  addToGroupMonths,
  partnersJoining,
  stockChanges,
  type GroupAttributes,
} from './groupMonths.js';

const contributionColumns = `c.id::text as id, c.project_id, c.indicator, c.partner, to_char(c.occurred_on, 'YYYY-MM-DD') as date,
  c.value::text as value, c.distinct_key, c.output_event_id::text as output_event_id`;

type ContributionRecord = {
  id: string;
  project_id: string;
  indicator: string;
  partner: string;
  date: string;
  value: string;
  distinct_key: string | null;
  output_event_id: string;
};

const toCellContribution = (r: ContributionRecord): CellContribution => ({
  projectId: r.project_id,
  indicator: r.indicator,
  partner: r.partner,
  date: r.date,
  value: Number(r.value),
  distinctKey: r.distinct_key,
  outputEventId: r.output_event_id,
  order: Number(r.id),
});

/** The working set's reads in PostgreSQL: one lateral index probe per key (see loadWorkingSet). */
function postgresWorkingSetReads(client: pg.ClientBase): WorkingSetReads {
  return {
    async contributionsOfOutputs(ids) {
      const { rows } = await client.query<ContributionRecord>(
        `select ${contributionColumns} from il_view_contributions c where c.output_event_id = any($1::uuid[]) and c.valid_to is null`,
        [ids],
      );
      return rows.map(toCellContribution);
    },
    async contributionsAround(cells, keys) {
      // Lateral: one index probe per cell or key. A join lets the planner hash the whole table instead.
      const { rows } = await client.query<ContributionRecord>(
        `select ${contributionColumns} from unnest($1::text[], $2::text[], $3::text[], $4::date[]) as a(p, i, pa, d)
           cross join lateral (select * from il_view_contributions c
             where c.project_id = a.p and c.indicator = a.i and c.partner = a.pa and c.occurred_on = a.d and c.valid_to is null) c
         union all
         select ${contributionColumns} from unnest($5::text[], $6::text[], $7::text[], $8::int[]) as k(p, i, dk, n)
           cross join lateral (select * from il_view_contributions c
             where c.project_id = k.p and c.indicator = k.i and c.distinct_key = k.dk and c.valid_to is null and c.distinct_key is not null
             order by c.occurred_on, c.id limit k.n) c`,
        [
          ...cellArrays(cells),
          keys.map((k) => k.projectId),
          keys.map((k) => k.indicator),
          keys.map((k) => k.distinctKey),
          keys.map((k) => k.first),
        ],
      );
      return rows.map(toCellContribution);
    },
    async cells(keys) {
      const { rows } = await client.query<{
        project_id: string;
        indicator: string;
        partner: string;
        day: string;
        value: string;
        contributions: number;
      }>(
        `select c.project_id, c.indicator, c.partner, to_char(c.day, 'YYYY-MM-DD') as day, c.value::text as value, c.contributions
           from unnest($1::text[], $2::text[], $3::text[], $4::date[]) as a(p, i, pa, d)
           cross join lateral (select * from il_view_cells c
             where c.project_id = a.p and c.indicator = a.i and c.partner = a.pa and c.day = a.d and c.valid_to is null) c`,
        cellArrays(keys),
      );
      return rows.map((r) => ({
        projectId: r.project_id,
        indicator: r.indicator,
        partner: r.partner,
        day: r.day,
        value: Number(r.value),
        contributions: r.contributions,
      }));
    },
  };
}

/**
 * A batch's view changes (see collectBatchChanges) written with a few bulk statements: the contributions (one
 * UPDATE closing, one INSERT adding) and the cells the fold maintains from them (one UPDATE, one INSERT).
 */
export function createBatchWriter(attributes: GroupAttributes) {
  const collector = collectBatchChanges();
  const { registry, closeStored, pending, steps, touched } = collector.batch;
  return {
    add: (change: ViewChange) => collector.add(change),
    /**
     * The projects whose views this batch changes, and the programmes whose own rows it changes (a project's
     * programme is revised with it, and a programme's projects with it): what the batch's commit moves the revisions
     * of (see ViewVersion).
     */
    revised: () => ({
      projects: [...touched],
      programmes: [
        ...new Set(
          registry.flatMap((c) =>
            c.kind === 'programme' ? [c.programme.programmeId] : c.kind === 'programme-target' ? [c.programmeId] : [],
          ),
        ),
      ],
    }),
    /** `aggregationOf`: each indicator's rule for the batch's projects (see foldBatch). */
    async flush(client: pg.ClientBase, aggregationOf: AggregationOf): Promise<void> {
      await attributes.load(client, touched);
      for (const change of registry) attributes.remember(change);
      const moveJoined = await partnersJoining(client, registry, aggregationOf);
      await applyChanges(client, registry);
      await moveJoined();
      const adds = steps.flatMap((s) => s.adds);
      const closedInBatch = new Set(pending.flatMap((r, i) => (r.validTo === null ? [] : [i])));
      const loaded = await loadWorkingSet(
        postgresWorkingSetReads(client),
        { closed: [...closeStored.keys()], adds, removed: adds.filter((_r, i) => closedInBatch.has(i)) },
        aggregationOf,
      );
      const cells = maintainCells(loaded, steps, aggregationOf);
      // Read before the cells are written: the stock series of the organisations whose stock cells change.
      const monthChanges = [
        ...additiveChanges(cells.net, aggregationOf),
        ...(await stockChanges(client, cells.net, aggregationOf)),
      ];
      if (closeStored.size > 0) {
        await client.query(
          `update il_view_contributions c set valid_to = x.at
           from unnest($1::uuid[], $2::timestamptz[]) as x(id, at) where c.output_event_id = x.id and c.valid_to is null`,
          [[...closeStored.keys()], [...closeStored.values()]],
        );
      }
      await insertContributions(client, pending);
      if (cells.closeStored.length > 0) {
        await client.query(
          `update il_view_cells c set valid_to = x.at
           from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::timestamptz[]) as x(p, i, pa, d, at)
           where c.project_id = x.p and c.indicator = x.i and c.partner = x.pa and c.day = x.d and c.valid_to is null`,
          [...cellArrays(cells.closeStored.map((c) => c.key)), cells.closeStored.map((c) => c.at)],
        );
      }
      await insertCells(client, cells.insert);
      await addToGroupMonths(client, monthChanges, attributes);
    },
  };
}
