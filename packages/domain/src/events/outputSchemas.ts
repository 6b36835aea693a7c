import {
  campHeldV2,
  equipmentPurchasedV1,
  exchangeVisitHeldV1,
  expenditureDeclaredV1,
  inclusionMeasureDeliveredV1,
  infrastructureCompletedV1,
  infrastructureWorksStartedV1,
  publicEventHeldV1,
  qualitySystemIntroducedV1,
  staffTrainedV1,
} from './outputEvents.js';

/** The current schema of every output event: what a partner delivered, each with `partner` and its date(s). */
export const outputSchemas = {
  CampHeld: campHeldV2,
  StaffTrained: staffTrainedV1,
  ExchangeVisitHeld: exchangeVisitHeldV1,
  InclusionMeasureDelivered: inclusionMeasureDeliveredV1,
  PublicEventHeld: publicEventHeldV1,
  InfrastructureWorksStarted: infrastructureWorksStartedV1,
  InfrastructureCompleted: infrastructureCompletedV1,
  EquipmentPurchased: equipmentPurchasedV1,
  QualitySystemIntroduced: qualitySystemIntroducedV1,
  ExpenditureDeclared: expenditureDeclaredV1,
} as const;

export type OutputType = keyof typeof outputSchemas;
export const outputTypes = Object.keys(outputSchemas) as OutputType[];

export function isOutputType(type: string): type is OutputType {
  return Object.hasOwn(outputSchemas, type);
}
