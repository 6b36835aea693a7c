/**
 * Every response the e2e suite receives from a system under test is checked against the OpenAPI document that
 * system serves: its status must be documented for the operation, and a problem must come as
 * application/problem+json with the Problem members. Installed by hooks.ts around fetch; at the end of the run any
 * response outside the document fails the run (with the list), so document and server cannot drift.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }>; 'x-problem-types'?: string[] }>;
}

// The document's schemas are JSON Schema 2020-12 as zod writes them; formats are not asserted (zod's patterns are).
// Patterns are the sources of the JavaScript regular expressions zod checks with, which have no u flag: compiled
// with it, some (an escaped _) do not compile at all.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
const validators = new WeakMap<object, ValidateFunction>();
const validatorOf = (schema: object): ValidateFunction => {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = ajv.compile(schema)));
  return v;
};
type Document = { paths: Record<string, Record<string, Operation>> };

const documents = new Map<string, Promise<Document | undefined>>();
const violations = new Set<string>();
let checked = 0;

const realFetch = globalThis.fetch.bind(globalThis);

function documentOf(origin: string): Promise<Document | undefined> {
  let doc = documents.get(origin);
  if (!doc) {
    doc = realFetch(`${origin}/openapi.json`)
      .then(async (r) => (r.ok ? ((await r.json()) as Document) : undefined))
      .catch(() => undefined);
    documents.set(origin, doc);
  }
  return doc;
}

/**
 * The operation a request path falls under: `{param}` segments match any one segment, and of several matches the
 * one with the most literal segments wins (`…/projects/behind-target` over `…/projects/{projectId}`).
 */
function operationOf(doc: Document, method: string, path: string): { template: string; op: Operation } | undefined {
  const segments = path.split('/');
  let best: { template: string; op: Operation; literals: number } | undefined;
  for (const [template, ops] of Object.entries(doc.paths)) {
    const parts = template.split('/');
    if (parts.length !== segments.length) continue;
    if (!parts.every((p, i) => p.startsWith('{') || p === segments[i])) continue;
    const op = ops[method.toLowerCase()];
    const literals = parts.filter((p) => !p.startsWith('{')).length;
    if (op && (!best || literals > best.literals)) best = { template, op, literals };
  }
  return best;
}

async function check(method: string, url: URL, res: Response): Promise<void> {
  // Only the systems under test (loopback), only their documented operations: a wrong method (405), an unknown
  // path (404) and OPTIONS are answers about the route table, not operations.
  if (url.hostname !== '127.0.0.1' || method === 'OPTIONS' || method === 'HEAD') return;
  const doc = await documentOf(url.origin);
  if (!doc || url.pathname === '/openapi.json') return;
  for (const v of await violationsOf(doc, method, url.pathname, res)) violations.add(v);
}

/** What is wrong with one response under a document (empty: nothing, or not an operation of it). */
export async function violationsOf(doc: Document, method: string, path: string, res: Response): Promise<string[]> {
  const violations = new Set<string>();
  const found = operationOf(doc, method, path);
  if (!found) return [];
  checked++;
  const where = `${method} ${found.template} → ${res.status}`;
  const responses = found.op.responses ?? {};
  if (!Object.hasOwn(responses, String(res.status))) violations.add(`${where}: status not documented`);
  const type = res.headers.get('content-type') ?? '';
  // A success whose body the document describes comes in one of the media types it names (JSON, CSV, …).
  const content = responses[String(res.status)]?.content;
  const media = type.split(';')[0]!.trim().toLowerCase();
  if (res.status < 300 && content && media && !Object.hasOwn(content, media))
    violations.add(`${where}: content type ${media} not documented`);
  // A success with a documented JSON body: the body must match its schema (a field it does not name included).
  const schema = responses[String(res.status)]?.content?.['application/json']?.schema;
  if (res.status < 300 && schema && type.startsWith('application/json')) {
    let validate: ValidateFunction;
    try {
      validate = validatorOf(schema);
    } catch (e) {
      // A schema the check cannot read is a finding too: otherwise every body under it would pass unseen.
      violations.add(`${where}: its schema does not compile (${(e as Error).message})`);
      return [...violations];
    }
    if (!validate(await res.clone().json()))
      for (const e of validate.errors ?? [])
        violations.add(`${where}: body ${e.instancePath || '/'} ${e.message ?? ''}`);
  }
  if (res.status >= 400) {
    if (!type.startsWith('application/problem+json')) violations.add(`${where}: a problem as ${type || 'nothing'}`);
    else {
      const body = (await res.clone().json()) as Record<string, unknown>;
      for (const member of ['type', 'title', 'status'])
        if (!(member in body)) violations.add(`${where}: problem without ${member}`);
      if (body['status'] !== res.status) violations.add(`${where}: problem status ${String(body['status'])}`);
      // The problem types the document lists for the status (x-problem-types): a type it does not name fails.
      const listed = responses[String(res.status)]?.['x-problem-types'];
      const slug = String(body['type']).split('/').at(-1)!;
      if (listed && !listed.includes(slug)) violations.add(`${where}: problem type ${slug} not documented`);
    }
  }
  return [...violations];
}

export function installResponseCheck(): void {
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const res = await realFetch(input, init);
    try {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      await check(method, url, res);
    } catch {
      // A body that is not JSON, an aborted request: the test that made it sees that itself.
    }
    return res;
  };
}

export function responseCheckReport(): { checked: number; violations: string[] } {
  return { checked, violations: [...violations].sort() };
}
