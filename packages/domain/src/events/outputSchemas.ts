import { outputKinds, type OutputType } from './outputKinds.js';

export { isOutputType, outputTypes, type OutputType } from './outputKinds.js';

/** The current schema of every output event (from the output kinds table): what a partner delivered. */
export const outputSchemas = Object.fromEntries(Object.entries(outputKinds).map(([type, k]) => [type, k.schema])) as {
  [T in OutputType]: (typeof outputKinds)[T]['schema'];
};
