import interreg2021 from '../../catalogues/interreg-2021-2027.json' with { type: 'json' };
import lvLt2014 from '../../catalogues/lv-lt-2014-2020.json' with { type: 'json' };
import { catalogueSchema, type Catalogue } from './catalogueSchema.js';

/**
 * The catalogues shipped with the product. They are JSON data validated like any programme's own catalogue,
 * so a broken built-in fails at start-up, not when a number is computed.
 */
export const builtinCatalogues: Readonly<Record<string, Catalogue>> = Object.freeze({
  'interreg-2021-2027': catalogueSchema.parse(interreg2021),
  'lv-lt-2014-2020': catalogueSchema.parse(lvLt2014),
});
