import { isOutputType, outputKinds, pathFieldOf, recordingPath, type DomainEvent } from '@il/domain';

/** The HTTP request that records an output event of the scenario through the public API (from the output kinds table). */
export function outputRequest(projectId: string, event: DomainEvent): { method: 'POST'; path: string; body: unknown } {
  if (!isOutputType(event.type)) throw new Error(`${event.type} is not an output`);
  const data = event.data as Record<string, unknown>;
  const field = pathFieldOf(outputKinds[event.type]);
  const body = field ? Object.fromEntries(Object.entries(data).filter(([k]) => k !== field)) : data;
  return { method: 'POST', path: recordingPath(projectId, event.type, data), body };
}
