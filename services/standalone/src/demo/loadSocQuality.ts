import {
  socQualityOutputs,
  socQualityPartners,
  socQualityProgramme,
  socQualityProgrammeTargets,
  socQualityProject,
  socQualityReportCycle,
  socQualityTargets,
} from '@il/domain';
import { outputRequest } from './outputRequest.js';

export interface LoadedScenario {
  /** Event id per output of `socQualityOutputs`, in order. */
  outputEventIds: string[];
  lastPosition: string;
}

/**
 * Loads LLI-317 "SocQuality" through the HTTP API, as a partner organisation would; with `reports`, also its
 * reporting cycle (socQualityReportCycle: reports verified, a late correction, a report carrying it). Idempotent:
 * every request carries an Idempotency-Key, so running it twice stores nothing twice.
 */
export async function loadSocQuality(
  baseUrl: string,
  headers: Record<string, string> = {},
  options: { reports?: boolean } = {},
): Promise<LoadedScenario> {
  let lastPosition = '0:0';
  const send = async (method: string, path: string, body: unknown, key: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { eventId?: string; position?: string | null; detail?: string };
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(json)}`);
    if (json.position) lastPosition = json.position;
    return json;
  };
  await send('POST', '/v1/programmes', { ...socQualityProgramme, catalogue: 'interreg-2021-2027' }, 'demo-programme');
  await send(
    'PUT',
    `/v1/programmes/${socQualityProgramme.programmeId}/targets`,
    { targets: socQualityProgrammeTargets },
    'demo-programme-targets',
  );
  await send('POST', '/v1/projects', socQualityProject, 'demo-project');
  const p = `/v1/projects/${socQualityProject.projectId}`;
  for (const partner of socQualityPartners)
    await send('POST', `${p}/partners`, partner.data, `demo-partner-${partner.data.partnerCode}`);
  await send('PUT', `${p}/targets`, { targets: socQualityTargets.map((t) => t.data) }, 'demo-targets');
  const outputEventIds: string[] = [];
  for (const [i, event] of socQualityOutputs.entries()) {
    const r = outputRequest(socQualityProject.projectId, event);
    outputEventIds.push(String((await send(r.method, r.path, r.body, `demo-output-${i}`)).eventId));
  }
  if (options.reports) {
    for (const [i, step] of socQualityReportCycle.entries()) {
      if (step.action === 'correct') {
        const correctsEventId = outputEventIds[step.outputIndex];
        await send('POST', `${p}/corrections`, { correctsEventId, replacement: step.replacement }, `demo-report-${i}`);
        continue;
      }
      const body = { ...(step.partner ? { partner: step.partner } : {}), reason: step.reason };
      await send('POST', `${p}/reports/${step.periodId}/${step.action}`, body, `demo-report-${i}`);
    }
  }
  return { outputEventIds, lastPosition };
}
