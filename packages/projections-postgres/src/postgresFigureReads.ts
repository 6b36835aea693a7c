import type pg from 'pg';
import {
  type AttributeGroup,
  type CellStats,
  type DayCell,
  type Cuts,
  type FigureReads,
  type FigureWindow,
  type ProjectRow,
  type TargetRow,
} from '@il/projections';
import { addDays, addMonths, dateOfDayNumber, type Catalogue } from '@il/domain';
import { groupMonthDimensions, isAdditive } from './groupMonths.js';
import { validAt } from './asOfCondition.js';
import { projectColumnsAt, postgresViewRows, targetsAt } from './postgresViewRows.js';

const groupExpression: Record<AttributeGroup, string> = {
  priority: 'p.priority',
  specificObjective: 'p.specific_objective',
  country: "coalesce(pa.country, 'unknown')",
  region: "coalesce(pa.nuts3, 'unknown')",
  partner: "c.project_id || '/' || c.partner",
  project: 'c.project_id',
};

/** The three stats of one organisation's cells in a window ($from..$to) and up to its end, as numeric text. */
const organisationStats = (from: string, to: string) => `
  sum(c.value) filter (where c.day between ${from} and ${to}) as p_sum, sum(c.value) filter (where c.day <= ${to}) as c_sum,
  max(c.value) filter (where c.day between ${from} and ${to}) as p_max, max(c.value) filter (where c.day <= ${to}) as c_max,
  (array_agg(c.value order by c.day desc) filter (where c.day between ${from} and ${to}))[1] as p_last,
  (array_agg(c.value order by c.day desc) filter (where c.day <= ${to}))[1] as c_last`;

type StatsRow = {
  p_sum: string | null;
  c_sum: string | null;
  p_max: string | null;
  c_max: string | null;
  p_last: string | null;
  c_last: string | null;
};
/**
 * A project's cells valid at `$2` (live when null) as one text: `indicator partner day value`, space-separated, the
 * day as days since 1970-01-01 (dayNumberOf). A project has about a thousand cells; as rows, the driver's per-row parsing cost
 * more than the query, and as JSON PostgreSQL spent three times as long building it. Codes are slugs (no spaces).
 */
const cellText = (project: string, asOf: Date | undefined) =>
  `select string_agg(c.indicator || ' ' || c.partner || ' ' || (c.day - date '1970-01-01') || ' ' || c.value, ' ')
     from il_view_cells c where c.project_id = ${project} and ${validAt('$2', asOf)}`;
function dayCellsOf(text: string | null): DayCell[] {
  if (!text) return [];
  const parts = text.split(' ');
  const out: DayCell[] = [];
  for (let i = 0; i + 3 < parts.length; i += 4)
    out.push({
      indicator: parts[i]!,
      partner: parts[i + 1]!,
      day: dateOfDayNumber(Number(parts[i + 2])),
      value: Number(parts[i + 3]),
    });
  return out;
}
const num = (v: string | null) => (v === null ? null : Number(v));
const windowOf = (r: StatsRow) => ({
  period: { sum: num(r.p_sum), max: num(r.p_max), latest: num(r.p_last) },
  cumulative: { sum: num(r.c_sum), max: num(r.c_max), latest: num(r.c_last) },
});

/**
 * The cells of the cut projects only, each valid at its own instant and up to its own day (a report basis): a join
 * on three parallel array parameters starting at $n, which takes the place of the as-of condition.
 */
const cutJoin = (
  n: number,
) => `join unnest($${n}::text[], $${n + 1}::timestamptz[], $${n + 2}::date[]) as k(project, at, upto)
  on c.project_id = k.project and c.day <= k.upto and c.valid_from <= k.at and (c.valid_to is null or c.valid_to > k.at)`;
const cutValues = (cuts: Cuts) => [
  [...cuts.keys()],
  [...cuts.values()].map((c) => c.asOf),
  [...cuts.values()].map((c) => c.to),
];
/**
 * The validity condition of a programme read: at `asOf` (live when absent), or the cuts' own (see cutJoin), where the
 * as-of parameter is still named (and always true) so that PostgreSQL knows its type.
 */
const validity = (param: string, asOf: Date | undefined, cuts: Cuts | undefined) =>
  cuts ? `(${param}::timestamptz is null or true)` : validAt(param, asOf);

/** Per indicator and group, the window's stats from the cells (of these indicators only, when given). */
async function cellGroupStats(
  pool: pg.Pool,
  programmeId: string,
  by: AttributeGroup,
  w: FigureWindow,
  indicators: readonly string[] | undefined,
) {
  if (indicators?.length === 0) return [];
  const needsPartner = by === 'country' || by === 'region';
  const { rows } = await pool.query<StatsRow & { indicator: string; g: string }>(
    `select indicator, g, sum(p_sum) as p_sum, sum(c_sum) as c_sum, max(p_max) as p_max, max(c_max) as c_max,
            sum(p_last) as p_last, sum(c_last) as c_last
       from (select c.indicator, ${groupExpression[by]} as g, ${organisationStats('$2::date', '$3::date')}
               from il_view_cells c join il_view_projects p on p.project_id = c.project_id
               ${needsPartner ? 'left join il_view_partners pa on pa.project_id = c.project_id and pa.partner_code = c.partner' : ''}
               ${w.cuts ? cutJoin(6) : ''}
              where p.programme_id = $1 and c.day <= $3::date and ${validity('$4', w.asOf, w.cuts)} and ($5::text[] is null or c.indicator = any($5::text[]))
              group by c.indicator, g, c.project_id, c.partner) o
      group by indicator, g`,
    [programmeId, w.from, w.to, w.asOf ?? null, indicators ?? null, ...(w.cuts ? cutValues(w.cuts) : [])],
  );
  return rows.map((r) => ({ indicator: r.indicator, group: r.g, stats: windowOf(r) }));
}

const isGroupMonthDimension = (by: AttributeGroup): boolean => (groupMonthDimensions as readonly string[]).includes(by);

/**
 * Whether the window cuts a month that has live cells of the programme outside it: then the group months, which
 * hold whole months, cannot answer it exactly. Two probes of the live-day index; a default window (from the first
 * cell to the last) never cuts one.
 */
async function cutsAMonth(pool: pg.Pool, programmeId: string, from: string, to: string): Promise<boolean> {
  const monthStart = `${from.slice(0, 7)}-01`;
  const monthEnd = addDays(addMonths(`${to.slice(0, 7)}-01`, 1), -1);
  if (monthStart === from && monthEnd === to) return false;
  const { rows } = await pool.query<{ cut: boolean }>(
    `select exists (select 1 from il_view_cells c join il_view_projects p on p.project_id = c.project_id
                     where p.programme_id = $1 and c.valid_to is null
                       and (c.day >= $2::date and c.day < $3::date or c.day > $4::date and c.day <= $5::date)) as cut`,
    [programmeId, monthStart, from, to, monthEnd],
  );
  return rows[0]!.cut;
}

/**
 * FigureReads in SQL over the maintained cells: grouped sums, maxima and each organisation's latest cell, read
 * through the live-cell index (or, as of an instant, the versions valid then). No contribution is folded.
 */
export function postgresFigureReads(pool: pg.Pool): FigureReads {
  const rows = postgresViewRows(pool);
  // Catalogues by the md5 of their stored text: a question reads the 32-character hash, not the ~10 KB catalogue,
  // and parses and validates a catalogue once per process and version (a programme registered again may change it).
  const catalogues = new Map<string, Catalogue>();
  async function catalogueByHash(programmeId: string, hash: string): Promise<Catalogue | undefined> {
    const known = catalogues.get(hash);
    if (known) return known;
    const catalogue = await rows.catalogue(programmeId);
    if (catalogue) {
      if (catalogues.size >= 1000) catalogues.clear();
      catalogues.set(hash, catalogue);
    }
    return catalogue;
  }
  /**
   * A project with its catalogue's hash and its targets, and with `withCells` its cells valid at the same instant:
   * one statement. Live: the current rows; as of an instant, the end date and targets as recorded then.
   */
  async function contextRead(projectId: string, asOf: Date | undefined, withCells: boolean) {
    const targetRows = asOf ? `(${targetsAt('p.project_id', '$2')})` : 'il_view_targets';
    const cells = withCells ? `, (${cellText('p.project_id', asOf)}) as cells` : '';
    const row = (
      await pool.query<ProjectRow & { hash: string; targets: TargetRow[] | null; cells?: string | null }>(
        `select ${projectColumnsAt(asOf ? '$2' : undefined)}, md5(g.catalogue::text) as hash,
                (select json_agg(json_build_object('indicator', t.indicator, 'partner', t.partner, 'value', t.value))
                   from ${targetRows} t where ${asOf ? 'true' : 't.project_id = p.project_id'}) as targets${cells}
           from il_view_projects p join il_view_programmes g on g.programme_id = p.programme_id
          where p.project_id = $1`,
        asOf || withCells ? [projectId, asOf ?? null] : [projectId],
      )
    ).rows[0];
    if (!row) return undefined;
    const { hash, targets, cells: cellRows, ...project } = row;
    const catalogue = await catalogueByHash(project.programmeId, hash);
    return (
      catalogue && {
        project,
        catalogue,
        targets: (targets ?? []).map((t) => ({ ...t, value: Number(t.value) })),
        cells: dayCellsOf(cellRows ?? null),
      }
    );
  }
  const reads: FigureReads = {
    async projectContext(projectId, asOf) {
      const context = await contextRead(projectId, asOf, false);
      return context && { project: context.project, catalogue: context.catalogue, targets: context.targets };
    },
    projectContextWithCells: (projectId, asOf) => contextRead(projectId, asOf, true),
    async projectCells(projectId, asOf) {
      const { rows } = await pool.query<{ cells: string | null }>(`select (${cellText('$1', asOf)}) as cells`, [
        projectId,
        asOf ?? null,
      ]);
      return dayCellsOf(rows[0]?.cells ?? null);
    },
    async catalogue(programmeId) {
      const hash = (
        await pool.query<{ hash: string }>(
          'select md5(catalogue::text) as hash from il_view_programmes where programme_id = $1',
          [programmeId],
        )
      ).rows[0]?.hash;
      return hash === undefined ? undefined : catalogueByHash(programmeId, hash);
    },
    timeZone: (id) => rows.timeZone(id),
    programmes: () => rows.programmes(),
    project: (id, asOf) => rows.project(id, asOf),
    projects: (id, asOf) => rows.projects(id, asOf),
    partners: (ids) => rows.partners(ids),
    targets: (id, asOf) => rows.targets(id, asOf),
    projectTargets: (ids, asOf) => rows.projectTargets(ids, asOf),
    reports: (ids) => rows.reports(ids),
    programmeTargets: (id, asOf) => rows.programmeTargets(id, asOf),
    async groupStats(programmeId, by, w, rules) {
      // A window that holds every cell cuts no month; otherwise two probes tell.
      const whole = w.range !== undefined && w.from <= w.range.first && w.to >= w.range.last;
      const fromMonths =
        !w.asOf &&
        !w.cuts &&
        isGroupMonthDimension(by) &&
        (whole || !(await cutsAMonth(pool, programmeId, w.from, w.to)));
      // A stock's value within the window is its value at the window's end only when no cell lies before the window.
      const first = fromMonths ? (w.range ?? (await reads.cellRange(programmeId, undefined)))?.first : undefined;
      const stocks = fromMonths && (first === undefined || w.from <= first);
      const additive = fromMonths
        ? [...rules].filter(([, a]) => isAdditive(a) || (stocks && a === 'latest')).map(([code]) => code)
        : [];
      const [months, cells] = await Promise.all([
        additive.length === 0
          ? []
          : pool
              .query<{ indicator: string; g: string; p_sum: string | null; c_sum: string; p_cells: string | null }>({
                text: `select indicator, grp as g, sum(value) filter (where month >= $3) as p_sum, sum(value) as c_sum,
                              sum(cells) filter (where month >= $3) as p_cells
                         from il_view_group_months
                        where programme_id = $1 and dimension = $2 and month <= $4 and indicator = any($5::text[])
                        group by 1, 2 having sum(cells) > 0`,
                values: [programmeId, by, w.from.slice(0, 7), w.to.slice(0, 7), additive],
              })
              .then((r) =>
                r.rows.map((x) => {
                  const present = Number(x.p_cells ?? 0) > 0;
                  const period = present ? Number(x.p_sum) : null;
                  const stock = rules.get(x.indicator) === 'latest';
                  return {
                    indicator: x.indicator,
                    group: x.g,
                    stats: {
                      period: { sum: stock ? null : period, max: null, latest: stock ? period : null },
                      cumulative: {
                        sum: stock ? null : Number(x.c_sum),
                        max: null,
                        latest: stock ? Number(x.c_sum) : null,
                      },
                    },
                  };
                }),
              ),
        cellGroupStats(
          pool,
          programmeId,
          by,
          w,
          fromMonths ? [...rules.keys()].filter((c) => !additive.includes(c)) : undefined,
        ),
      ]);
      return [...months, ...cells];
    },
    async cellRange(programmeId, asOf, to, cuts) {
      if (!asOf && !cuts) {
        // Live: the ends of the live-day index, walked from each end until a cell of the programme (not a scan).
        const end = (order: 'asc' | 'desc') =>
          `(select to_char(c.day, 'YYYY-MM-DD') from il_view_cells c join il_view_projects p on p.project_id = c.project_id
             where p.programme_id = $1 and c.valid_to is null and ($2::date is null or c.day <= $2::date)
             order by c.day ${order} limit 1)`;
        const r = (
          await pool.query<{ first: string | null; last: string | null }>(
            `select ${end('asc')} as first, ${end('desc')} as last`,
            [programmeId, to ?? null],
          )
        ).rows[0];
        return r?.first && r.last ? { first: r.first, last: r.last } : undefined;
      }
      const row = (
        await pool.query<{ first: string | null; last: string | null }>(
          `select to_char(min(c.day), 'YYYY-MM-DD') as first, to_char(max(c.day), 'YYYY-MM-DD') as last
             from il_view_cells c join il_view_projects p on p.project_id = c.project_id ${cuts ? cutJoin(4) : ''}
            where p.programme_id = $1 and ${validity('$2', asOf, cuts)} and ($3::date is null or c.day <= $3::date)`,
          [programmeId, asOf ?? null, to ?? null, ...(cuts ? cutValues(cuts) : [])],
        )
      ).rows[0];
      return row?.first && row.last ? { first: row.first, last: row.last } : undefined;
    },
    async monthStats(programmeId, to, asOf, perOrganisation, cuts) {
      const { rows } = await pool.query<{
        indicator: string;
        org: string;
        month: string;
        sum: string;
        max: string;
        latest: string;
      }>(
        `select indicator, org, month, sum(value)::text as sum, max(value)::text as max,
                ((array_agg(value order by day desc))[1])::text as latest
           from (select c.indicator, case when c.indicator = any($4::text[]) then c.project_id || '/' || c.partner else '' end as org,
                        to_char(c.day, 'YYYY-MM') as month, c.day, c.value
                   from il_view_cells c join il_view_projects p on p.project_id = c.project_id ${cuts ? cutJoin(5) : ''}
                  where p.programme_id = $1 and c.day <= $2::date and ${validity('$3', asOf, cuts)}) x
          group by 1, 2, 3`,
        [programmeId, to, asOf ?? null, perOrganisation, ...(cuts ? cutValues(cuts) : [])],
      );
      return rows.map((r) => ({
        indicator: r.indicator,
        org: r.org,
        month: r.month,
        sum: Number(r.sum),
        max: Number(r.max),
        latest: r.org === '' ? null : Number(r.latest),
      }));
    },
    async cumulativeStats(ends, asOf) {
      if (ends.length === 0) return [];
      const ownInstants = ends.some((e) => e.asOf !== undefined);
      const { rows } = await pool.query<{
        project_id: string;
        indicator: string;
        sum: string;
        max: string;
        latest: string;
      }>(
        `select project_id, indicator, sum(s)::text as sum, max(m)::text as max, sum(l)::text as latest
           from (select c.project_id, c.indicator, c.partner, sum(c.value) as s, max(c.value) as m,
                        (array_agg(c.value order by c.day desc))[1] as l
                   from il_view_cells c ${
                     // Each project at its own instant (a report basis), or all at one (live: the live-cell index).
                     ownInstants
                       ? `join unnest($1::text[], $2::date[], $3::timestamptz[]) as e(p, t, at) on c.project_id = e.p and c.day <= e.t
                          where c.valid_from <= e.at and (c.valid_to is null or c.valid_to > e.at)`
                       : `join unnest($1::text[], $2::date[]) as e(p, t) on c.project_id = e.p and c.day <= e.t
                          where ${validAt('$3', asOf)}`
                   }
                  group by 1, 2, 3) x
          group by 1, 2`,
        [
          ends.map((e) => e.projectId),
          ends.map((e) => e.to),
          ownInstants ? ends.map((e) => e.asOf ?? asOf ?? new Date()) : (asOf ?? null),
        ],
      );
      return rows.map((r) => ({
        projectId: r.project_id,
        indicator: r.indicator,
        stats: { sum: Number(r.sum), max: Number(r.max), latest: Number(r.latest) } satisfies CellStats,
      }));
    },
    async evidence(projectId, indicator, asOf) {
      const { rows } = await pool.query<{
        output_event_id: string;
        source_event_id: string;
        source_type: string;
        partner: string;
        date: string;
        value: string;
        distinct_key: string | null;
        valid_from: Date;
        id: string;
        first: boolean;
      }>(
        `select c.output_event_id::text, c.source_event_id::text, c.source_type, c.partner, to_char(c.occurred_on, 'YYYY-MM-DD') as date,
                c.value::text, c.distinct_key, c.valid_from, c.id::text,
                c.distinct_key is not null and row_number() over (partition by c.distinct_key order by c.occurred_on, c.id) = 1 as first
           from il_view_contributions c
          where c.project_id = $1 and c.indicator = $2 and ${validAt('$3', asOf)}
          order by c.id`,
        [projectId, indicator, asOf ?? null],
      );
      return rows.map((r) => ({
        outputEventId: r.output_event_id,
        sourceEventId: r.source_event_id,
        sourceType: r.source_type,
        partner: r.partner,
        date: r.date,
        value: Number(r.value),
        distinctKey: r.distinct_key,
        recordedAt: r.valid_from,
        order: Number(r.id),
        first: r.first,
      }));
    },
  };
  return reads;
}
