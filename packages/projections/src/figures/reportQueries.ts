import { exactSum, NotFoundError, type Aggregation, type Catalogue } from '@il/domain';
import type {
  Basis,
  ChangedContribution,
  ReportChanges,
  ReportKey,
  ReportStatus,
  ReportSubmission,
  ReportTransition,
  ReportView,
} from '../port/readModels.js';
import type { ReportRow } from '../reference/viewRows.js';
import type { EvidenceRow, FigureReads } from './figureReads.js';
import { combineWindows, figureOf, projectStatsOf } from './windowStats.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** P2 < P10: periods in their order, not their text's. */
const periodNumber = (periodId: string) => Number(periodId.slice(1));

interface History {
  level: 'partner' | 'project';
  partner: string;
  periodId: string;
  status: ReportStatus;
  numbers: 'open' | 'frozen' | null;
  transitions: ReportTransition[];
  submissions: ReportSubmission[];
  /** When its latest submission was recorded. */
  submittedAt: Date;
}

const keyOf = (r: { periodId: string; partner: string }) => `${r.periodId}@${r.partner}`;

/** Each report's history from its transitions recorded up to `asOf` (all when absent), in recorded order. */
export function reportHistories(projectId: string, rows: readonly ReportRow[], asOf?: Date): Map<string, History> {
  const out = new Map<string, History>();
  for (const r of rows) {
    if (asOf && r.recordedAt > asOf) continue;
    let h = out.get(keyOf(r));
    if (!h) {
      h = {
        level: r.level,
        partner: r.partner,
        periodId: r.periodId,
        status: 'submitted',
        numbers: null,
        transitions: [],
        submissions: [],
        submittedAt: r.recordedAt,
      };
      out.set(keyOf(r), h);
    }
    const status: ReportStatus =
      r.transition === 'approved' ? (r.level === 'partner' ? 'certified' : 'verified') : r.transition;
    if (r.transition === 'submitted') {
      h.submittedAt = r.recordedAt;
      h.submissions.push({
        projectId,
        level: r.level,
        partner: r.partner || null,
        periodId: r.periodId,
        submission: h.submissions.length + 1,
        submittedAt: r.recordedAt.toISOString(),
        actor: r.actor,
        reason: r.reason,
        period: r.snapshot?.period ?? null,
        previousPeriodId: r.snapshot?.previousPeriodId ?? null,
        lines: r.snapshot?.lines ?? null,
      });
    }
    h.status = status;
    h.numbers = r.transition === 'reopened' ? r.numbers : null;
    h.transitions.push({
      transition: status,
      submission: h.submissions.length,
      numbers: h.numbers,
      reason: r.reason,
      actor: r.actor,
      recordedAt: r.recordedAt.toISOString(),
      eventId: r.eventId,
    });
  }
  return out;
}

function viewOf(projectId: string, h: History, asOf: Date | undefined): ReportView {
  return {
    projectId,
    level: h.level,
    partner: h.partner || null,
    periodId: h.periodId,
    asOf: asOf?.toISOString() ?? null,
    status: h.status,
    numbers: h.numbers,
    latest: h.submissions.at(-1)!,
    history: h.transitions,
  };
}

/**
 * The project report a basis reads through: the newest one (by period) that is verified, or for `submitted`
 * submitted or verified, as of `asOf`. Its figures are those recorded when it was last submitted, up to the end of
 * its period — which is what it stated, late changes it carried as adjustments included. Reports of v1 (no
 * numbers kept) do not count.
 */
export function basisReportOf(
  rows: readonly ReportRow[],
  basis: Exclude<Basis, 'recorded'>,
  asOf: Date | undefined,
): { periodId: string; at: Date; periodEnd: string } | null {
  const accepted: ReportStatus[] = basis === 'verified' ? ['verified'] : ['submitted', 'verified'];
  let best: History | undefined;
  for (const h of reportHistories('', rows, asOf).values()) {
    if (h.level !== 'project' || !accepted.includes(h.status) || !h.submissions.at(-1)?.period) continue;
    if (!best || periodNumber(h.periodId) > periodNumber(best.periodId)) best = h;
  }
  if (!best) return null;
  return { periodId: best.periodId, at: best.submittedAt, periodEnd: best.submissions.at(-1)!.period!.end };
}

function findReport(projectId: string, rows: readonly ReportRow[], key: ReportKey, asOf: Date | undefined): History {
  const h = reportHistories(projectId, rows, asOf).get(keyOf({ periodId: key.periodId, partner: key.partner ?? '' }));
  const name = key.partner ? `partner report ${key.periodId} of ${key.partner}` : `project report ${key.periodId}`;
  if (!h) throw new NotFoundError(`${name} of project ${projectId} has not been submitted${asOf ? ' by then' : ''}`);
  return h;
}

const changed = (r: EvidenceRow): ChangedContribution => ({
  outputEventId: r.outputEventId,
  sourceEventId: r.sourceEventId,
  type: r.sourceType,
  partner: r.partner,
  date: r.date,
  value: r.value,
  recordedAt: r.recordedAt.toISOString(),
});

/** The report queries of the read-model port, over any engine's reads. */
export function reportQueries(reads: FigureReads) {
  async function contextOf(projectId: string) {
    const context = await reads.projectContext(projectId);
    if (!context) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
    return context;
  }

  async function changesSinceReport(projectId: string, q: { partner?: string | undefined }): Promise<ReportChanges> {
    const { catalogue } = await contextOf(projectId);
    const histories = [...reportHistories(projectId, await reads.reports([projectId])).values()].filter(
      (h) => h.partner === (q.partner ?? '') && h.submissions.at(-1)?.period,
    );
    const newest = histories.sort((a, b) => periodNumber(b.periodId) - periodNumber(a.periodId))[0];
    if (!newest) {
      const layer = q.partner ? `partner ${q.partner}` : 'the project';
      throw new NotFoundError(`${layer} of project ${projectId} has no submitted report with numbers yet`);
    }
    const submission = newest.submissions.at(-1)!;
    const period = submission.period!;
    const at = newest.submittedAt;
    const [cellsThen, cellsNow] = await Promise.all([
      reads.projectCells(projectId, at),
      reads.projectCells(projectId, undefined),
    ]);
    const then = projectStatsOf(cellsThen, period.start, period.end);
    const now = projectStatsOf(cellsNow, period.start, period.end);
    const indicators = await Promise.all(
      catalogue.indicators.map(async (indicator) =>
        indicatorChanges(reads, projectId, indicator, q.partner, { then, now, at, periodEnd: period.end }),
      ),
    );
    return {
      projectId,
      report: {
        level: newest.level,
        partner: newest.partner || null,
        periodId: newest.periodId,
        submission: submission.submission,
        submittedAt: submission.submittedAt,
      },
      period,
      indicators,
    };
  }

  return {
    async projectReports(projectId: string, q: { asOf?: Date | undefined }) {
      await contextOf(projectId);
      const histories = [...reportHistories(projectId, await reads.reports([projectId]), q.asOf).values()];
      histories.sort((a, b) => periodNumber(a.periodId) - periodNumber(b.periodId) || byText(a.partner, b.partner));
      return histories.map((h) => {
        const { history: _history, ...view } = viewOf(projectId, h, q.asOf);
        return view;
      });
    },
    async projectReport(projectId: string, key: ReportKey, q: { asOf?: Date | undefined }) {
      await contextOf(projectId);
      return viewOf(projectId, findReport(projectId, await reads.reports([projectId]), key, q.asOf), q.asOf);
    },
    async reportSubmission(projectId: string, key: ReportKey, submission: number) {
      await contextOf(projectId);
      const h = findReport(projectId, await reads.reports([projectId]), key, undefined);
      const found = h.submissions[submission - 1];
      if (!found) throw new NotFoundError(`the report has ${h.submissions.length} submission(s), not ${submission}`);
      return found;
    },
    changesSinceReport,
  };
}

type Stats = ReturnType<typeof projectStatsOf>;

async function indicatorChanges(
  reads: FigureReads,
  projectId: string,
  indicator: Catalogue['indicators'][number],
  partner: string | undefined,
  s: { then: Stats; now: Stats; at: Date; periodEnd: string },
): Promise<ReportChanges['indicators'][number]> {
  const rule: Aggregation = indicator.aggregation;
  const mine = (stats: Stats) =>
    stats.filter((x) => x.indicator === indicator.code && (partner === undefined || x.partner === partner));
  const total = (stats: Stats) => figureOf(rule, combineWindows(mine(stats).map((x) => x.stats)).cumulative);
  const partners = [...new Set([...mine(s.then), ...mine(s.now)].map((x) => x.partner))].sort(byText);
  const of = (stats: Stats, p: string) => {
    const found = mine(stats).find((x) => x.partner === p);
    return found ? figureOf(rule, found.stats.cumulative) : null;
  };
  const reported = total(s.then);
  const now = total(s.now);
  let added: ChangedContribution[] = [];
  let removed: ChangedContribution[] = [];
  if (reported !== now) {
    const inScope = (r: EvidenceRow) => r.date <= s.periodEnd && (partner === undefined || r.partner === partner);
    const [before, after] = await Promise.all([
      reads.evidence(projectId, indicator.code, s.at),
      reads.evidence(projectId, indicator.code, undefined),
    ]);
    const ids = (rows: EvidenceRow[]) => new Set(rows.map((r) => r.sourceEventId));
    const [b, a] = [before.filter(inScope), after.filter(inScope)];
    const [bIds, aIds] = [ids(b), ids(a)];
    added = a.filter((r) => !bIds.has(r.sourceEventId)).map(changed);
    removed = b.filter((r) => !aIds.has(r.sourceEventId)).map(changed);
  }
  return {
    code: indicator.code,
    name: indicator.name,
    unit: indicator.unit,
    reported,
    now,
    difference: reported === null || now === null ? null : exactSum([now, -reported]),
    byPartner: partners.map((p) => ({ partner: p, reported: of(s.then, p), now: of(s.now, p) })),
    added,
    removed,
  };
}
