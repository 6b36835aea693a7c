import type { Migration } from '@il/event-store-postgres';

/**
 * Indicator views in the events' database. Contributions carry the recorded-time interval in which they were
 * valid: `valid_to` is set when a correction or retraction is recorded, so as-of queries read a snapshot by a
 * range condition instead of replaying events.
 */
export const viewMigrations: Migration[] = [
  {
    version: 1,
    name: 'indicator views',
    sql: `
      create table il_view_checkpoints (projector text primary key, position text not null, global_position bigint not null, updated_at timestamptz not null default now());
      create table il_view_programmes (programme_id text primary key, name text not null, time_zone text not null, catalogue jsonb not null);
      create table il_view_projects (
        project_id text primary key, programme_id text not null, acronym text not null, priority text not null, specific_objective text not null,
        start_date date not null, end_date date not null, reporting_period_months int not null);
      create table il_view_partners (
        project_id text not null, partner_code text not null, name text not null, country text not null, nuts3 text not null, role text not null,
        primary key (project_id, partner_code));
      create table il_view_targets (
        project_id text not null, indicator text not null, partner text not null default '', value numeric not null, recorded_at timestamptz not null,
        primary key (project_id, indicator, partner));
      create table il_view_contributions (
        id bigint generated always as identity primary key,
        project_id text not null, partner text not null, indicator text not null, occurred_on date not null,
        value numeric not null, distinct_key text,
        output_event_id uuid not null, source_event_id uuid not null, source_type text not null,
        valid_from timestamptz not null, valid_to timestamptz);
      create index il_view_contributions_project on il_view_contributions (project_id, indicator);
      create index il_view_contributions_live on il_view_contributions (output_event_id) where valid_to is null;
    `,
  },
  {
    version: 2,
    name: 'grafana views',
    sql: `
      -- For Grafana's PostgreSQL data source: live contributions with their time and grouping attributes.
      -- Sum only flow indicators (sum/count) over time; distinct and stock indicators need the JSON API's folds.
      create view il_grafana_contributions as
        select c.occurred_on::timestamp as time, p.programme_id, c.project_id, p.priority, p.specific_objective,
               c.partner, pa.country, pa.nuts3, c.indicator, c.value, c.distinct_key, c.source_type
        from il_view_contributions c
        join il_view_projects p on p.project_id = c.project_id
        left join il_view_partners pa on pa.project_id = c.project_id and pa.partner_code = c.partner
        where c.valid_to is null;
    `,
  },
  {
    version: 3,
    name: 'project figures cache',
    sql: `
      -- Every view change of a project bumps its revision (in the projector's transaction); figures computed from
      -- revision r answer live queries only while the project is still at r.
      alter table il_view_projects add column revision bigint not null default 0;
      create table il_view_project_figures (project_id text primary key, revision bigint not null, figures jsonb not null);
    `,
  },
  {
    version: 4,
    name: 'programme revisions',
    sql: `
      -- Every view change of a programme's projects (or its catalogue) bumps its revision, like projects' (v3):
      -- query processes keep programme-wide answers computed at revision r while the programme is still at r.
      alter table il_view_programmes add column revision bigint not null default 0;
      -- Identifies this copy of the views: a rebuild fills a new schema whose revisions start again at 0, so an
      -- answer cached for revision r of the old copy must not be taken for revision r of the new one.
      create table il_view_generation (id uuid not null default gen_random_uuid());
      insert into il_view_generation default values;
    `,
  },
  {
    version: 5,
    name: 'maintained cells',
    sql: `
      -- Format 2 of the views: the projector maintains the figures (day cells, see @il/projections' cells.ts) in its
      -- transaction, and every query reads them. Views of format 1 have no cells, so they are emptied here and the
      -- projector builds everything again from position 0 on its next start (views are derived from the events).
      truncate il_view_contributions, il_view_targets, il_view_partners, il_view_projects, il_view_programmes;
      delete from il_view_checkpoints;
      drop table il_view_project_figures;
      create table il_view_cells (
        project_id text not null, indicator text not null, partner text not null, day date not null,
        value numeric not null, contributions int not null,
        valid_from timestamptz not null, valid_to timestamptz);
      -- The live cells (what the projector updates and live questions read), and every version for as-of questions.
      create unique index il_view_cells_live on il_view_cells (project_id, indicator, partner, day) where valid_to is null;
      create index il_view_cells_project on il_view_cells (project_id, indicator);
      -- What the projector reads to maintain a distinct key (its occurrences). (A max or latest cell that loses a
      -- contribution, which is rare, reads the cell's others through il_view_contributions_project.)
      create index il_view_contributions_key on il_view_contributions (project_id, indicator, distinct_key, occurred_on, id) where valid_to is null and distinct_key is not null;
      -- Live programme answers grouped by a few-valued attribute: per group and month, the sum of the additive cells
      -- (sum, count, count-distinct: a key is in one cell only) and, for stocks, of each organisation's change of its
      -- latest value since the month before; with the count of cells. Kept by the projector from each cell's change.
      -- Max, windows that cut a month, as-of answers and finer groups read the cells (see groupMonths.ts).
      create table il_view_group_months (
        programme_id text not null, dimension text not null, grp text not null, indicator text not null, month text not null,
        value numeric not null, cells int not null,
        primary key (programme_id, dimension, grp, indicator, month));
      -- The first and last day of a programme's live cells (default windows) without reading them all, and the
      -- live cells of a few indicators across a programme (its stocks and maxima beside the group months).
      create index il_view_cells_live_day on il_view_cells (day) where valid_to is null;
      create index il_view_cells_live_indicator on il_view_cells (indicator, day) where valid_to is null;
      create table il_view_format (version int not null);
      insert into il_view_format values (2);

      -- For Grafana's PostgreSQL data source: the live cells with their time, grouping attributes and rule. Sum
      -- \`value\` over time for sum, count and count-distinct (a key is counted in one cell only); take the maximum
      -- for max; a latest (stock) indicator's figure is each organisation's latest cell, summed (see the totals).
      create view il_grafana_cells as
        select c.day::timestamp as time, p.programme_id, c.project_id, p.priority, p.specific_objective,
               c.partner, pa.country, pa.nuts3, c.indicator, i.aggregation, c.value, c.contributions
        from il_view_cells c
        join il_view_projects p on p.project_id = c.project_id
        join il_view_programmes g on g.programme_id = p.programme_id
        cross join lateral (select x->>'aggregation' as aggregation from jsonb_array_elements(g.catalogue->'indicators') x
                            where x->>'code' = c.indicator limit 1) i
        left join il_view_partners pa on pa.project_id = c.project_id and pa.partner_code = c.partner
        where c.valid_to is null;
      -- Per project and indicator, the figure up to now by the indicator's rule (the API's cumulative value of the
      -- last period). A programme's figure is the sum of its projects' (max: the largest).
      create view il_grafana_indicator_totals as
        select programme_id, project_id, priority, specific_objective, indicator, aggregation,
               case aggregation when 'max' then max(value) when 'latest' then sum(value) filter (where latest) else sum(value) end as total
        from (select c.*, row_number() over (partition by c.project_id, c.indicator, c.partner order by c.time desc) = 1 as latest
              from il_grafana_cells c) x
        group by programme_id, project_id, priority, specific_objective, indicator, aggregation;
    `,
  },
  {
    version: 6,
    name: 'reports',
    sql: `
      -- Format 3 of the views: report transitions, each submission with the numbers it stated (as JSON text, byte for
      -- byte). Views of format 2 have no reports, so they are emptied and built again from position 0, as in v5.
      truncate il_view_contributions, il_view_cells, il_view_group_months, il_view_targets, il_view_partners,
               il_view_projects, il_view_programmes;
      delete from il_view_checkpoints;
      create table il_view_reports (
        seq bigint generated always as identity primary key,
        event_id uuid not null unique, project_id text not null, level text not null, partner text not null,
        period_id text not null, transition text not null, numbers text, reason text not null, snapshot text,
        actor text not null, recorded_at timestamptz not null);
      create index il_view_reports_project on il_view_reports (project_id, seq);
      update il_view_format set version = 3;
    `,
  },
  {
    version: 7,
    name: 'contract versions',
    sql: `
      -- Format 4 of the views: the contract as recorded at any instant, for as-of answers (periods and time elapsed
      -- from the end date as recorded then, targets as set then). The live rows stay where they are; these keep every
      -- version. Views of format 3 lack them, so they are emptied and built again from position 0, as in v5.
      truncate il_view_contributions, il_view_cells, il_view_group_months, il_view_targets, il_view_partners,
               il_view_projects, il_view_programmes, il_view_reports;
      delete from il_view_checkpoints;
      create table il_view_project_ends (
        seq bigint generated always as identity primary key,
        project_id text not null, end_date date not null, recorded_at timestamptz not null);
      create index il_view_project_ends_project on il_view_project_ends (project_id, recorded_at, seq);
      create table il_view_target_versions (
        seq bigint generated always as identity primary key,
        project_id text not null, indicator text not null, partner text not null, value numeric not null,
        recorded_at timestamptz not null);
      create index il_view_target_versions_project on il_view_target_versions (project_id, recorded_at, seq);
      update il_view_format set version = 4;
    `,
  },
  {
    version: 8,
    name: 'programme targets',
    sql: `
      -- Every version of each programme target (events that did not exist before this version: nothing to rebuild).
      create table il_view_programme_targets (
        seq bigint generated always as identity primary key,
        programme_id text not null, indicator text not null, specific_objective text not null,
        target text not null, recorded_at timestamptz not null);
      create index il_view_programme_targets_programme on il_view_programme_targets (programme_id, recorded_at, seq);
    `,
  },
];
