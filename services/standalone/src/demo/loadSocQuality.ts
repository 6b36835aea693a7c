import {
  isOutputType,
  outputKinds,
  pathFieldOf,
  socQualityOutputs,
  socQualityPartners,
  socQualityProgramme,
  socQualityProgrammeTargets,
  socQualityProject,
  socQualityReportCycle,
  socQualityTargets,
  textOf,
  type DomainEvent,
} from '@il/domain';
import { createLedgerClient, type PostPath } from '@il/client';

export interface LoadedScenario {
  /** Event id per output of `socQualityOutputs`, in order. */
  outputEventIds: string[];
  lastPosition: string;
}

type CommandResult = { eventId: string | null; position: string | null };
type Answer = { data?: unknown; error?: unknown; response: Response };

/** The output routes' path templates, as the document names them (the output kinds table gives the segment). */
type OutputPath = Extract<PostPath, `/v1/projects/{projectId}/${string}`>;

/** An output of the scenario as the typed client sends it: its route's template, path parameters and body. */
function outputCall(projectId: string, event: DomainEvent) {
  if (!isOutputType(event.type)) throw new Error(`${event.type} is not an output`);
  const data = event.data as Record<string, unknown>;
  const field = pathFieldOf(outputKinds[event.type]);
  const body = field ? Object.fromEntries(Object.entries(data).filter(([k]) => k !== field)) : data;
  const path = { projectId, ...(field ? { [field]: textOf(data[field]) } : {}) };
  // The template comes from the domain's table at run time; a path the document does not have answers 404 here.
  return { template: `/v1/projects/{projectId}/${outputKinds[event.type].path}` as OutputPath, path, body };
}

/**
 * Loads LLI-317 "SocQuality" through the HTTP API with the typed client (@il/client), as a partner organisation
 * would; with `reports`, also its reporting cycle (socQualityReportCycle: reports verified, a late correction, a
 * report carrying it). Idempotent: every request carries an Idempotency-Key, so running it twice stores nothing twice.
 */
export async function loadSocQuality(
  baseUrl: string,
  headers: Record<string, string> = {},
  options: { reports?: boolean } = {},
): Promise<LoadedScenario> {
  const client = createLedgerClient(baseUrl, headers);
  let lastPosition = '0:0';
  const key = (k: string) => ({ headers: { 'idempotency-key': k } });
  /** Every write answers 201 (200 when nothing changed) with a command result; anything else stops the load. */
  const written = async (what: string, call: Promise<Answer>): Promise<CommandResult> => {
    const { data, error, response } = await call;
    if (error !== undefined || !response.ok) throw new Error(`${what} → ${response.status}: ${JSON.stringify(error)}`);
    const result = data as CommandResult;
    if (result.position) lastPosition = result.position;
    return result;
  };
  const programmeId = socQualityProgramme.programmeId;
  const projectId = socQualityProject.projectId;
  const project = { params: { path: { projectId } } };

  await written(
    'programme',
    client.POST('/v1/programmes', {
      body: { ...socQualityProgramme, catalogue: 'interreg-2021-2027' },
      ...key('demo-programme'),
    }),
  );
  await written(
    'programme targets',
    client.PUT('/v1/programmes/{programmeId}/targets', {
      params: { path: { programmeId } },
      body: { targets: socQualityProgrammeTargets },
      ...key('demo-programme-targets'),
    }),
  );
  await written('project', client.POST('/v1/projects', { body: socQualityProject, ...key('demo-project') }));
  for (const partner of socQualityPartners)
    await written(
      `partner ${partner.data.partnerCode}`,
      client.POST('/v1/projects/{projectId}/partners', {
        ...project,
        body: partner.data,
        ...key(`demo-partner-${partner.data.partnerCode}`),
      }),
    );
  await written(
    'targets',
    client.PUT('/v1/projects/{projectId}/targets', {
      ...project,
      body: { targets: socQualityTargets.map((t) => t.data) },
      ...key('demo-targets'),
    }),
  );
  const outputEventIds: string[] = [];
  for (const [i, event] of socQualityOutputs.entries()) {
    const { template, path, body } = outputCall(projectId, event);
    const init = { params: { path }, body, ...key(`demo-output-${i}`) } as never;
    outputEventIds.push(String((await written(`output ${i}`, client.POST(template, init))).eventId));
  }
  if (options.reports) {
    for (const [i, step] of socQualityReportCycle.entries()) {
      if (step.action === 'correct') {
        const correctsEventId = outputEventIds[step.outputIndex]!;
        await written(
          'correction',
          client.POST('/v1/projects/{projectId}/corrections', {
            ...project,
            body: { correctsEventId, replacement: step.replacement } as never,
            ...key(`demo-report-${i}`),
          }),
        );
        continue;
      }
      const route =
        step.action === 'submit'
          ? '/v1/projects/{projectId}/reports/{periodId}/submit'
          : '/v1/projects/{projectId}/reports/{periodId}/approve';
      await written(
        `${step.action} ${step.periodId}`,
        client.POST(route, {
          params: { path: { projectId, periodId: step.periodId } },
          body: { ...(step.partner ? { partner: step.partner } : {}), reason: step.reason },
          ...key(`demo-report-${i}`),
        }),
      );
    }
  }
  return { outputEventIds, lastPosition };
}
