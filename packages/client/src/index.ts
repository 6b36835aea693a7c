import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/**
 * A typed client of the Indicator Ledger HTTP API: paths, parameters, bodies and answers are the served OpenAPI
 * document's (openapi-fetch over the types openapi-typescript generates from it; see scripts/client/generate.mjs).
 * `headers` go with every request (Authorization).
 */
export function createLedgerClient(baseUrl: string, headers: Record<string, string> = {}) {
  return createClient<paths>({ baseUrl, headers });
}

export type LedgerClient = ReturnType<typeof createLedgerClient>;

/** The paths (templates) that take a POST: what a call whose path is chosen at run time may name. */
export type PostPath = { [P in keyof paths]: paths[P] extends { post: object } ? P : never }[keyof paths];
