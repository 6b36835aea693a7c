import type pg from 'pg';
import { type AggregationOf, type Cell, type CellChanges, type RegistryChange } from '@il/projections';
import { exactSum, exactTotal, type Aggregation } from '@il/domain';

/** The rules whose figure is a plain sum of cells; group months hold these, and stocks as sums of changes. */
export const isAdditive = (a: Aggregation | undefined): boolean =>
  a === 'sum' || a === 'count' || a === 'count-distinct';

/** The attributes group months are kept for: few values each, asked for by dashboards. */
export const groupMonthDimensions = ['priority', 'specificObjective', 'country', 'region'] as const;

type Attributes = { programmeId: string; priority: string; specificObjective: string };

/**
 * The grouping attributes of projects and partners, as the projector knows them: read once per project from the
 * views, then kept up to date from the registry changes it applies (it is the only writer of the views). A batch that
 * fails is applied again with the same changes, so what it remembered stays true.
 */
export function createGroupAttributes() {
  const projects = new Map<string, Attributes>();
  const partners = new Map<string, { country: string; nuts3: string }>();
  return {
    /** Reads the attributes of these projects and their partners (before the batch's registry changes). */
    async load(client: pg.ClientBase, projectIds: Iterable<string>): Promise<void> {
      const missing = [...new Set(projectIds)].filter((id) => !projects.has(id));
      if (missing.length === 0) return;
      const [p, pa] = await Promise.all([
        client.query<{ project_id: string; programme_id: string; priority: string; specific_objective: string }>(
          'select project_id, programme_id, priority, specific_objective from il_view_projects where project_id = any($1::text[])',
          [missing],
        ),
        client.query<{ project_id: string; partner_code: string; country: string; nuts3: string }>(
          'select project_id, partner_code, country, nuts3 from il_view_partners where project_id = any($1::text[])',
          [missing],
        ),
      ]);
      for (const r of p.rows)
        projects.set(r.project_id, {
          programmeId: r.programme_id,
          priority: r.priority,
          specificObjective: r.specific_objective,
        });
      for (const r of pa.rows)
        partners.set(`${r.project_id}/${r.partner_code}`, { country: r.country, nuts3: r.nuts3 });
    },
    /** A registration of the batch, as applyChanges applies it (a project or partner registered once; the first wins). */
    remember(change: RegistryChange): void {
      if (change.kind === 'project' && !projects.has(change.project.projectId))
        projects.set(change.project.projectId, {
          programmeId: change.project.programmeId,
          priority: change.project.priority,
          specificObjective: change.project.specificObjective,
        });
      if (change.kind === 'partner') {
        const key = `${change.projectId}/${change.partner.partnerCode}`;
        if (!partners.has(key)) partners.set(key, { country: change.partner.country, nuts3: change.partner.nuts3 });
      }
    },
    /** The groups a cell of this project and partner counts in, per dimension; undefined for an unknown project. */
    groupsOf(projectId: string, partner: string): { programmeId: string; groups: [string, string][] } | undefined {
      const p = projects.get(projectId);
      if (!p) return undefined;
      const pa = partners.get(`${projectId}/${partner}`);
      return {
        programmeId: p.programmeId,
        groups: [
          ['priority', p.priority],
          ['specificObjective', p.specificObjective],
          ['country', pa?.country ?? 'unknown'],
          ['region', pa?.nuts3 ?? 'unknown'],
        ],
      };
    },
    clear(): void {
      projects.clear();
      partners.clear();
    },
  };
}
export type GroupAttributes = ReturnType<typeof createGroupAttributes>;

/** One organisation's change in one month of the group months: what its cells add and whether they exist. */
interface MonthChange {
  projectId: string;
  partner: string;
  indicator: string;
  month: string;
  value: number;
  cells: number;
}

/**
 * A stock's month series for one organisation: in each month with cells, the change of its latest value since the
 * month before (its first month: the value itself). Summed up to a month, these give the organisation's latest
 * value at that month's end, so group months can hold stocks as sums as well.
 */
export function stockSeries(cells: readonly { day: string; value: number }[]): Map<string, number> {
  const lastByMonth = new Map<string, { day: string; value: number }>();
  for (const c of cells) {
    const m = c.day.slice(0, 7);
    const seen = lastByMonth.get(m);
    if (!seen || c.day > seen.day) lastByMonth.set(m, c);
  }
  const out = new Map<string, number>();
  let previous = 0;
  for (const m of [...lastByMonth.keys()].sort()) {
    const value = lastByMonth.get(m)!.value;
    out.set(m, exactSum([value, -previous]));
    previous = value;
  }
  return out;
}

/**
 * The group-month changes of the stock (latest) cells a batch changed: for each organisation touched, its month
 * series before and after the batch (from its live cells, read before the batch's cells are written), the difference.
 */
export async function stockChanges(
  client: pg.ClientBase,
  net: CellChanges['net'],
  aggregationOf: AggregationOf,
): Promise<MonthChange[]> {
  const stock = net.filter((n) => aggregationOf(n.key.projectId, n.key.indicator) === 'latest');
  if (stock.length === 0) return [];
  const orgKey = (k: { projectId: string; indicator: string; partner: string }) =>
    `${k.projectId}\u001f${k.indicator}\u001f${k.partner}`;
  const orgs = [...new Map(stock.map((n) => [orgKey(n.key), n.key])).values()];
  const { rows } = await client.query<{
    project_id: string;
    indicator: string;
    partner: string;
    day: string;
    value: string;
  }>(
    `select c.project_id, c.indicator, c.partner, to_char(c.day, 'YYYY-MM-DD') as day, c.value::text as value
       from unnest($1::text[], $2::text[], $3::text[]) as o(p, i, pa)
       cross join lateral (select * from il_view_cells c
         where c.project_id = o.p and c.indicator = o.i and c.partner = o.pa and c.valid_to is null) c`,
    [orgs.map((o) => o.projectId), orgs.map((o) => o.indicator), orgs.map((o) => o.partner)],
  );
  const before = new Map<string, Map<string, { day: string; value: number }>>();
  for (const r of rows) {
    const k = orgKey({ projectId: r.project_id, indicator: r.indicator, partner: r.partner });
    if (!before.has(k)) before.set(k, new Map());
    before.get(k)!.set(r.day, { day: r.day, value: Number(r.value) });
  }
  const out: MonthChange[] = [];
  for (const org of orgs) {
    const k = orgKey(org);
    const was = before.get(k) ?? new Map<string, { day: string; value: number }>();
    const now = new Map(was);
    for (const n of stock)
      if (orgKey(n.key) === k) {
        if (n.after) now.set(n.key.day, { day: n.key.day, value: n.after.value });
        else now.delete(n.key.day);
      }
    const a = stockSeries([...was.values()]);
    const b = stockSeries([...now.values()]);
    const count = (m: Map<string, unknown>, month: string) => [...m.keys()].filter((d) => d.startsWith(month)).length;
    for (const month of new Set([...a.keys(), ...b.keys()])) {
      const value = exactSum([b.get(month) ?? 0, -(a.get(month) ?? 0)]);
      const cells = count(now, month) - count(was, month);
      if (value !== 0 || cells !== 0) out.push({ ...org, month, value, cells });
    }
  }
  return out;
}

/** The group-month changes of the additive cells a batch changed: each cell's change of value and existence. */
export function additiveChanges(net: CellChanges['net'], aggregationOf: AggregationOf): MonthChange[] {
  return net
    .filter((n) => isAdditive(aggregationOf(n.key.projectId, n.key.indicator)))
    .map((n) => ({
      projectId: n.key.projectId,
      partner: n.key.partner,
      indicator: n.key.indicator,
      month: n.key.day.slice(0, 7),
      value: exactSum([n.after?.value ?? 0, -(n.before?.value ?? 0)]),
      cells: (n.after ? 1 : 0) - (n.before ? 1 : 0),
    }));
}

/**
 * Organisations' month changes added up per group of each one's project and partner and per month, so that one row
 * per group month is written however many changes went into it.
 */
export function createGroupMonthSums(attributes: GroupAttributes) {
  type Sum = { key: string[]; total: ReturnType<typeof exactTotal>; cells: number };
  // Per group, by indicator and month: maps of the strings the changes carry, rather than one map by a key text
  // built for every change and group (a rebuild adds a change per cell, each under every group of its project).
  type Group = { key: string[]; byIndicator: Map<string, Map<string, Sum>> };
  const groups = new Map<string, Group>();
  // The groups of each organisation, found once.
  const groupsOfOrg = new Map<string, Group[] | null>();
  const groupsOf = (projectId: string, partner: string) => {
    const org = `${projectId}\u001f${partner}`;
    let found = groupsOfOrg.get(org);
    if (found === undefined) {
      const of = attributes.groupsOf(projectId, partner);
      found = of
        ? of.groups.map(([dimension, grp]) => {
            const text = `${of.programmeId}\u001f${dimension}\u001f${grp}`;
            let g = groups.get(text);
            if (!g) groups.set(text, (g = { key: [of.programmeId, dimension, grp], byIndicator: new Map() }));
            return g;
          })
        : null;
      groupsOfOrg.set(org, found);
    }
    return found;
  };
  const sumsOf = function* () {
    for (const g of groups.values()) for (const months of g.byIndicator.values()) yield* months.values();
  };
  return {
    add(changes: readonly MonthChange[]): void {
      for (const c of changes) {
        const of = groupsOf(c.projectId, c.partner);
        if (!of) continue;
        for (const g of of) {
          let months = g.byIndicator.get(c.indicator);
          if (!months) g.byIndicator.set(c.indicator, (months = new Map<string, Sum>()));
          let s = months.get(c.month);
          if (!s) months.set(c.month, (s = { key: [...g.key, c.indicator, c.month], total: exactTotal(), cells: 0 }));
          s.total.add(c.value);
          s.cells += c.cells;
        }
      }
    },
    /** Adds the sums to il_view_group_months. */
    async write(client: pg.ClientBase): Promise<void> {
      const rows = [...sumsOf()].map((s) => ({ key: s.key, value: s.total.value, cells: s.cells }));
      if (rows.length === 0) return;
      const col = (i: number) => rows.map((r) => r.key[i]!);
      await client.query(
        `insert into il_view_group_months as g (programme_id, dimension, grp, indicator, month, value, cells)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::int[])
         on conflict (programme_id, dimension, grp, indicator, month)
           do update set value = g.value + excluded.value, cells = g.cells + excluded.cells`,
        [col(0), col(1), col(2), col(3), col(4), rows.map((r) => r.value), rows.map((r) => r.cells)],
      );
    },
  };
}

/** Adds organisations' month changes to the group months (il_view_group_months), under the groups of each one's project and partner. */
export async function addToGroupMonths(
  client: pg.ClientBase,
  changes: readonly MonthChange[],
  attributes: GroupAttributes,
): Promise<void> {
  const sums = createGroupMonthSums(attributes);
  sums.add(changes);
  await sums.write(client);
}

/**
 * What live cells hold in the group months, per organisation and month, as if each had just been added: an
 * additive cell its value, a stock organisation its month series (stockSeries). For a rebuild's bulk load.
 */
export function monthChangesOfCells(cells: readonly Cell[], aggregationOf: AggregationOf): MonthChange[] {
  const out = additiveChanges(
    cells.map((c) => ({ key: c, before: undefined, after: c })),
    aggregationOf,
  );
  const stocks = new Map<string, Cell[]>();
  for (const c of cells) {
    if (aggregationOf(c.projectId, c.indicator) !== 'latest') continue;
    const org = `${c.projectId}\u001f${c.indicator}\u001f${c.partner}`;
    const of = stocks.get(org);
    if (of) of.push(c);
    else stocks.set(org, [c]);
  }
  for (const org of stocks.values()) {
    const { projectId, partner, indicator } = org[0]!;
    const count = new Map<string, number>();
    for (const c of org) count.set(c.day.slice(0, 7), (count.get(c.day.slice(0, 7)) ?? 0) + 1);
    for (const [month, value] of stockSeries(org))
      out.push({ projectId, partner, indicator, month, value, cells: count.get(month)! });
  }
  return out;
}

/**
 * A partner's cells recorded before it joined are under the country and region `unknown`; when it joins they
 * move to its own. Reads, before the registry changes are applied, the stored live cells of partners about to join
 * for the first time; the returned function moves them once the partners are in place (after applyChanges), and
 * before the batch's own cell changes are added (which then go to the partner's groups directly).
 */
export async function partnersJoining(
  client: pg.ClientBase,
  registry: readonly RegistryChange[],
  aggregationOf: AggregationOf,
): Promise<() => Promise<void>> {
  // A partner joins once: a repeated PartnerJoined changes nothing (applyChanges keeps the first).
  const joining = [
    ...new Map(
      registry.flatMap((c) => (c.kind === 'partner' ? [[`${c.projectId}/${c.partner.partnerCode}`, c] as const] : [])),
    ).values(),
  ];
  if (joining.length === 0) return async () => undefined;
  const { rows } = await client.query<{
    project_id: string;
    partner: string;
    indicator: string;
    day: string;
    value: string;
  }>(
    `select c.project_id, c.partner, c.indicator, to_char(c.day, 'YYYY-MM-DD') as day, c.value::text as value
       from il_view_cells c join unnest($1::text[], $2::text[]) as j(p, pa) on c.project_id = j.p and c.partner = j.pa
      where c.valid_to is null
        and not exists (select 1 from il_view_partners x where x.project_id = j.p and x.partner_code = j.pa)`,
    [joining.map((c) => c.projectId), joining.map((c) => c.partner.partnerCode)],
  );
  // What the group months hold of these cells, per organisation and month: sums, or a stock's series.
  const byOrg = new Map<
    string,
    { projectId: string; partner: string; indicator: string; cells: { day: string; value: number }[] }
  >();
  for (const r of rows) {
    const k = `${r.project_id}\u001f${r.partner}\u001f${r.indicator}`;
    if (!byOrg.has(k)) byOrg.set(k, { projectId: r.project_id, partner: r.partner, indicator: r.indicator, cells: [] });
    byOrg.get(k)!.cells.push({ day: r.day, value: Number(r.value) });
  }
  const moving: MonthChange[] = [];
  for (const org of byOrg.values()) {
    const rule = aggregationOf(org.projectId, org.indicator);
    if (!isAdditive(rule) && rule !== 'latest') continue;
    const months = new Map<string, { values: number[]; cells: number }>();
    for (const c of org.cells) {
      const m = months.get(c.day.slice(0, 7)) ?? { values: [], cells: 0 };
      m.values.push(c.value);
      m.cells++;
      months.set(c.day.slice(0, 7), m);
    }
    const series = rule === 'latest' ? stockSeries(org.cells) : undefined;
    for (const [month, m] of months)
      moving.push({ ...org, month, value: series ? series.get(month)! : exactSum(m.values), cells: m.cells });
  }
  return async () => {
    if (moving.length === 0) return;
    await client.query(
      `insert into il_view_group_months as g (programme_id, dimension, grp, indicator, month, value, cells)
       select p.programme_id, d.dimension, d.grp, x.i, x.m, sum(d.sign * x.v), sum(d.sign * x.n)
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::int[]) as x(p, pa, i, m, v, n)
         join il_view_projects p on p.project_id = x.p
         join il_view_partners pa on pa.project_id = x.p and pa.partner_code = x.pa
         cross join lateral (values ('country', 'unknown', -1), ('region', 'unknown', -1),
                                    ('country', pa.country, 1), ('region', pa.nuts3, 1)) as d(dimension, grp, sign)
        group by 1, 2, 3, 4, 5
       on conflict (programme_id, dimension, grp, indicator, month)
         do update set value = g.value + excluded.value, cells = g.cells + excluded.cells`,
      [
        moving.map((r) => r.projectId),
        moving.map((r) => r.partner),
        moving.map((r) => r.indicator),
        moving.map((r) => r.month),
        moving.map((r) => r.value),
        moving.map((r) => r.cells),
      ],
    );
  };
}
