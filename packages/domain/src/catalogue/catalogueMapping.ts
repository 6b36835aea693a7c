import type { OutputType } from '../events/outputKinds.js';
import { builtinCatalogues } from './builtinCatalogues.js';
import type { Catalogue } from './catalogueSchema.js';

/** The indicators of a catalogue that an output kind counts towards (none: recorded as evidence only). */
export function indicatorsCounting(catalogue: Catalogue, type: OutputType): string[] {
  return catalogue.indicators.filter((i) => i.rules.some((r) => r.event === type)).map((i) => i.code);
}

/** An output kind's indicators in every built-in catalogue, by catalogue id: the catalogue column of the kinds table. */
export function catalogueMapping(type: OutputType): Record<string, string[]> {
  return Object.fromEntries(Object.entries(builtinCatalogues).map(([id, c]) => [id, indicatorsCounting(c, type)]));
}
