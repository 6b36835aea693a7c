import type { ViewQueries } from '../port/readModels.js';
import { figureReadsFromContributions } from '../figures/cellFigureReads.js';
import { viewQueries } from '../figures/viewQueries.js';
import type { ViewRowsReader } from './viewRows.js';

/**
 * The queries answered from plain view rows, with the cells computed from the contributions when asked: the
 * reference the maintained cells are tested against, and how MongoDB answers until it maintains cells itself.
 */
export function referenceQueries(reader: ViewRowsReader): ViewQueries {
  return viewQueries(figureReadsFromContributions(reader));
}
