import { catalogueSchema, type Catalogue } from '@il/domain';

const parsed = new Map<string, Catalogue>();

/**
 * A programme's catalogue from its stored JSON text, validated once: catalogues never change after registration,
 * and validating one on every query was a large share of a query's time.
 */
export function catalogueFromText(text: string): Catalogue {
  let c = parsed.get(text);
  if (!c) {
    c = catalogueSchema.parse(JSON.parse(text));
    if (parsed.size > 1000) parsed.clear();
    parsed.set(text, c);
  }
  return c;
}
