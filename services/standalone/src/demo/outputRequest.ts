import type { DomainEvent } from '@il/domain';

/** The HTTP request that records an output event of the scenario through the public API. */
export function outputRequest(projectId: string, event: DomainEvent): { method: 'POST'; path: string; body: unknown } {
  const base = `/v1/projects/${encodeURIComponent(projectId)}`;
  const segments: Partial<Record<DomainEvent['type'], string>> = {
    CampHeld: 'camps',
    StaffTrained: 'trainings',
    ExchangeVisitHeld: 'exchange-visits',
    InclusionMeasureDelivered: 'inclusion-measures',
    PublicEventHeld: 'public-events',
    QualitySystemIntroduced: 'quality-systems',
    EquipmentPurchased: 'equipment',
    ExpenditureDeclared: 'expenditure',
  };
  if (event.type === 'InfrastructureWorksStarted' || event.type === 'InfrastructureCompleted') {
    const { objectId, ...body } = event.data;
    return {
      method: 'POST',
      path: `${base}/infrastructure/${encodeURIComponent(objectId)}/${event.type === 'InfrastructureCompleted' ? 'completed' : 'started'}`,
      body,
    };
  }
  const segment = segments[event.type];
  if (!segment) throw new Error(`${event.type} is not an output the demo records`);
  return { method: 'POST', path: `${base}/${segment}`, body: event.data };
}
