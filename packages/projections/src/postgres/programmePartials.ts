import type pg from 'pg';
import type { ProgrammeIndicators, ProgrammeQuery } from '../port/readModels.js';
import { createPartTotals } from '../partTotals.js';
import { catalogueFromText } from './catalogueCache.js';
import {
  groupedAggregateRows,
  projectSeparator,
  windowValue,
  type AggregateRow,
  type SqlGroupBy,
} from './groupedAggregates.js';
import { programmeIndicators } from './programmeIndicators.js';

interface ProjectPart {
  /** The project's revision read before its rows were aggregated. */
  revision: string;
  /** Dates of its first and last live contribution (they decide the default window). */
  range: { min: string; max: string } | null;
}

interface QuestionState {
  generation: string;
  catalogue: string;
  /** The window the parts were aggregated over. */
  from: string;
  to: string;
  projects: Map<string, ProjectPart>;
  /** The projects' aggregated rows added up. */
  totals: ReturnType<typeof createPartTotals>;
}

/**
 * A programme aggregation kept as one part per project, each with the project revision it was computed at. The
 * fold's rules make every figure of a group additive over projects (distinct keys and organisations are scoped to
 * their project; `max` takes the largest), so after a change only the projects whose revision moved are aggregated
 * again, and the parts are added up in the process — exactly, in decimal, as PostgreSQL would.
 *
 * Only live answers grouped by an attribute go through here; as-of answers and calendar-period series fold as
 * before. A window open at one end takes the data's first or last date there, so every part is aggregated again
 * when that date moves; an open window at both ends (the default) or a closed one does not depend on them.
 */
export function createProgrammePartials(pool: pg.Pool, options: { questions?: number } = {}) {
  const capacity = options.questions ?? 16;
  const states = new Map<string, QuestionState>();
  const queue = new Map<string, Promise<unknown>>();
  let lastRecomputed = 0;

  async function answer(
    programmeId: string,
    q: ProgrammeQuery & { groupBy: SqlGroupBy },
    key: string,
  ): Promise<ProgrammeIndicators> {
    // The copy of the views, the catalogue and every project's revision in one round trip; the revisions as one
    // string (a row per project cost this process more than the rest of a small update).
    const head = (
      await pool.query<{ generation: string; catalogue: string; revisions: string | null }>({
        name: 'il_parts_head',
        text: `select g.id::text as generation, p.catalogue::text as catalogue,
               (select string_agg(project_id || ' ' || revision, ' ') from il_view_projects where programme_id = $1) as revisions
             from il_view_programmes p cross join il_view_generation g where p.programme_id = $1`,
        values: [programmeId],
      })
    ).rows[0];
    // Unknown programme: the fold answers with its not-found error.
    if (!head) return programmeIndicators(pool, programmeId, q);
    // Revisions first, rows after: a part computed from rows newer than its revision is merely recomputed next time.
    // (Project ids are slugs: no spaces.)
    const words = head.revisions ? head.revisions.split(' ') : [];
    const revisions: { project_id: string; revision: string }[] = [];
    for (let i = 0; i < words.length; i += 2) revisions.push({ project_id: words[i]!, revision: words[i + 1]! });
    let state = states.get(key);
    if (!state || state.generation !== head.generation || state.catalogue !== head.catalogue) {
      state = {
        generation: head.generation,
        catalogue: head.catalogue,
        from: '',
        to: '',
        projects: new Map(),
        totals: createPartTotals(),
      };
    }
    const listed = new Map(revisions.map((r) => [r.project_id, r.revision]));
    for (const id of state.projects.keys()) {
      if (!listed.has(id)) {
        state.projects.delete(id);
        state.totals.replace(id, undefined);
      }
    }
    const changed = revisions
      .filter((r) => state.projects.get(r.project_id)?.revision !== r.revision)
      .map((r) => r.project_id);

    const catalogue = catalogueFromText(head.catalogue);
    const plan = (span: { from: string; to: string }) => {
      const everything = span.from !== state.from || span.to !== state.to || changed.length === listed.size;
      return { span, everything, recompute: everything ? [...listed.keys()] : changed };
    };
    const aggregate = (p: ReturnType<typeof plan>): Promise<AggregateRow[]> =>
      p.recompute.length === 0
        ? Promise.resolve([])
        : p.everything
          ? groupedAggregateRows(pool, programmeId, catalogue.indicators, {
              groupBy: q.groupBy,
              ...p.span,
              perProject: true,
            })
          : // A few projects: by their ids alone (the programme's own list), which the (project, indicator) index serves.
            groupedAggregateRows(pool, null, catalogue.indicators, {
              groupBy: q.groupBy,
              ...p.span,
              perProject: true,
              projectIds: p.recompute,
            });
    // With no window asked, every contribution is inside it wherever the data's first and last dates move: the parts
    // are aggregated over all time and stay valid when a new output extends the data. Such a window, or one asked in
    // full, does not depend on those dates, so the parts are aggregated while they are read.
    const fixed =
      !q.from && !q.to
        ? plan({ from: '0001-01-01', to: '9999-12-31' })
        : q.from && q.to
          ? plan({ from: q.from, to: q.to })
          : undefined;
    // The data's first and last dates are the default window's ends; a window asked in full does not need them.
    const needsRange = !(q.from && q.to);
    const [rangeRows, fixedRows] = await Promise.all([
      needsRange && changed.length > 0
        ? pool
            .query<{ project_id: string; min: string; max: string }>(
              `select c.project_id, to_char(min(c.occurred_on), 'YYYY-MM-DD') as min, to_char(max(c.occurred_on), 'YYYY-MM-DD') as max
             from il_view_contributions c where c.project_id = any($1::text[]) and c.valid_to is null group by 1`,
              [changed],
            )
            .then((r) => r.rows)
        : [],
      fixed ? aggregate(fixed) : undefined,
    ]);
    const ranges = new Map<string, { min: string; max: string } | null>(changed.map((id) => [id, null]));
    for (const r of rangeRows) ranges.set(r.project_id, { min: r.min, max: r.max });
    const rangeOf = (id: string) => (ranges.has(id) ? ranges.get(id)! : state.projects.get(id)!.range);
    let min: string | undefined;
    let max: string | undefined;
    for (const id of needsRange ? listed.keys() : []) {
      const r = rangeOf(id);
      if (r && (min === undefined || r.min < min)) min = r.min;
      if (r && (max === undefined || r.max > max)) max = r.max;
    }
    // The same defaults as the fold's (programmeIndicators).
    const to = q.to ?? max ?? q.from ?? '9999-12-31';
    const from = q.from ?? min ?? to;
    const { span, everything, recompute } = fixed ?? plan({ from, to });
    if (recompute.length > 0) {
      const rows = fixedRows ?? (await aggregate({ span, everything, recompute }));
      const byProject = new Map<string, AggregateRow[]>(recompute.map((id) => [id, []]));
      for (const r of rows) {
        const cut = r.g.lastIndexOf(projectSeparator);
        byProject.get(r.g.slice(cut + 1))?.push({ ...r, g: r.g.slice(0, cut) });
      }
      const parts = [...byProject].map(([id, own]) => ({
        id,
        part: { revision: listed.get(id)!, range: rangeOf(id) },
        own,
      }));
      if (everything) {
        state.projects.clear();
        state.totals.clear();
      }
      for (const { id, part, own } of parts) {
        state.projects.set(id, part);
        state.totals.replace(id, own);
      }
    }
    state.from = span.from;
    state.to = span.to;
    lastRecomputed = recompute.length;
    states.delete(key);
    states.set(key, state);
    if (states.size > capacity) states.delete(states.keys().next().value as string);
    return merged(programmeId, q.groupBy, state, from, to);
  }

  return {
    /** The live answer, aggregating again only the projects changed since this question was last asked. */
    programmeIndicators(programmeId: string, q: ProgrammeQuery): Promise<ProgrammeIndicators> {
      if (q.asOf || q.groupBy === 'period') return programmeIndicators(pool, programmeId, q);
      const key = JSON.stringify([programmeId, q.groupBy, q.from ?? null, q.to ?? null]);
      // One update of a question's parts at a time: they are changed in place.
      const run = (queue.get(key) ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => answer(programmeId, { ...q, groupBy: q.groupBy as SqlGroupBy }, key));
      queue.set(key, run);
      void run.finally(() => queue.get(key) === run && queue.delete(key)).catch(() => undefined);
      return run;
    },
    /** How many projects the last answer aggregated again. */
    stats: () => ({ lastRecomputed, questions: states.size }),
  };
}

function merged(
  programmeId: string,
  groupBy: SqlGroupBy,
  state: QuestionState,
  from: string,
  to: string,
): ProgrammeIndicators {
  const catalogue = catalogueFromText(state.catalogue);
  const rows = catalogue.indicators.flatMap((indicator) =>
    state.totals.figures(indicator.code).map((t) => ({
      indicator: indicator.code,
      name: indicator.name,
      unit: indicator.unit,
      group: t.group,
      value: windowValue(indicator.aggregation, t.value),
      cumulativeValue: t.cumulative === null ? null : Number(t.cumulative),
    })),
  );
  return { programmeId, groupBy, from, to, asOf: null, rows };
}
