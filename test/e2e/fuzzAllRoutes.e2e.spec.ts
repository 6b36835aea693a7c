import { expect } from 'chai';
import fc from 'fast-check';
import {
  socQualityProgrammeTargets,
  firstSocQualityOutput,
  outputKinds,
  outputTypes,
  pathFieldOf,
  recordingPath,
  socQualityProject,
  type OutputKindSpec,
  type OutputType,
} from '@il/domain';
import type { EventStore } from '@il/event-store';
import type { RunningService } from '@il/runtime';
import { startDemoSystem } from './testSystem.js';

const P = '/v1/projects/LLI-317';
let serial = 0;
const uid = () => `fa${Date.now().toString(36)}${serial++}`;
const camp = () => ({
  partner: 'PP7',
  campId: uid(),
  startDate: '2019-07-08',
  endDate: '2019-07-12',
  location: 'Rokiškis',
  country: 'LT',
  participants: { total: 42, crossBorder: 20 },
});

type Entry = { path: () => string; valid: () => unknown };

/**
 * A valid request for one output kind: the scenario's first output of that kind, under a fresh unique key (so it is
 * not a 409 duplicate), its path field (an object id) in the path only.
 */
function outputEntry(type: OutputType): Entry {
  const sample = firstSocQualityOutput(type).data as Record<string, unknown>;
  const kind = outputKinds[type] as OutputKindSpec;
  const pathField = pathFieldOf(kind);
  let data = sample;
  const fresh = () => {
    data = {
      ...sample,
      ...(kind.uniqueKey ? { [kind.uniqueKey.field]: uid() } : {}),
      ...(pathField ? { [pathField]: uid() } : {}),
    };
    return data;
  };
  // valid() is asked first and draws the fresh ids; path() then names the same object.
  return {
    valid: () => {
      const body = fresh();
      return pathField ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== pathField)) : body;
    },
    path: () => recordingPath(socQualityProject.projectId, type, data),
  };
}

/**
 * A valid request per write operation of the served document, keyed `METHOD /path/{param}`. The list of
 * operations comes from /openapi.json, so a route added without an entry here fails the first test.
 */
function entries(ids: { outputs: string[]; corrected: string }): Record<string, Entry | { skip: string }> {
  const output = (segment: string, valid: () => unknown): Entry => ({ path: () => `${P}/${segment}`, valid });
  return {
    'POST /v1/programmes': {
      path: () => '/v1/programmes',
      valid: () => ({ programmeId: uid(), name: 'Fuzz', timeZone: 'Europe/Riga', catalogue: 'interreg-2021-2027' }),
    },
    'POST /v1/projects': { path: () => '/v1/projects', valid: () => ({ ...socQualityProject, projectId: uid() }) },
    'PUT /v1/programmes/{programmeId}/targets': {
      path: () => '/v1/programmes/LV-LT/targets',
      valid: () => ({
        targets: [{ ...socQualityProgrammeTargets[0], finalTarget: { year: 2023, value: 1000 + (serial++ % 1000) } }],
      }),
    },
    'POST /v1/programmes/{programmeId}/transmissions': {
      path: () => '/v1/programmes/LV-LT/transmissions',
      valid: () => ({ cutOff: '2019-12-31', basis: serial++ % 2 ? 'recorded' : 'verified' }),
    },
    'POST /v1/projects/{projectId}/amendments': {
      path: () => `${P}/amendments`,
      valid: () => ({ endDate: '2020-05-31', reason: 'Extension' }),
    },
    'POST /v1/projects/{projectId}/partners': {
      path: () => `${P}/partners`,
      valid: () => ({ partnerCode: uid(), name: 'Fuzz partner', country: 'LV', nuts3: 'LV009', role: 'partner' }),
    },
    'PUT /v1/projects/{projectId}/targets': {
      path: () => `${P}/targets`,
      valid: () => ({ targets: [{ indicator: 'RCO85', value: 1 + (serial++ % 1000) }] }),
    },
    'POST /v1/projects/{projectId}/reports/{periodId}/submit': {
      path: () => `${P}/reports/P${1 + (serial++ % 4)}/submit`,
      valid: () => (serial % 2 ? { reason: 'Due' } : { partner: 'PP2', reason: 'Due' }),
    },
    'POST /v1/projects/{projectId}/reports/{periodId}/approve': {
      path: () => `${P}/reports/P${1 + (serial++ % 4)}/approve`,
      valid: () => ({ reason: 'Checked' }),
    },
    'POST /v1/projects/{projectId}/reports/{periodId}/reopen': {
      path: () => `${P}/reports/P${1 + (serial++ % 4)}/reopen`,
      valid: () => (serial % 2 ? { reason: 'Fix' } : { partner: 'PP2', reason: 'Fix' }),
    },
    'POST /v1/projects/{projectId}/pseudonyms': {
      path: () => `${P}/pseudonyms`,
      valid: () => ({ identifiers: ['120389-12345'] }),
    },
    'DELETE /v1/projects/{projectId}/pseudonym-key': { path: () => `${P}/pseudonym-key`, valid: () => undefined },
    // Every output kind of the domain's table, with the scenario's first output of that kind as its valid body.
    ...Object.fromEntries(
      outputTypes.map((type) => [`POST /v1/projects/{projectId}/${outputKinds[type].path}`, outputEntry(type)]),
    ),
    'POST /v1/projects/{projectId}/corrections': output('corrections', () => ({
      correctsEventId: ids.corrected,
      replacement: { type: 'CampHeld', data: camp() },
    })),
    'POST /v1/projects/{projectId}/retractions': output('retractions', () => ({
      retractsEventId: ids.outputs[serial++ % ids.outputs.length],
      reason: 'Recorded by mistake',
    })),
    'POST /v1/admin/rebuild': {
      skip: 'takes no body, and a rebuild per generated case would be the whole run; a junk body is sent to it once below',
    },
  };
}

const junk = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(
    "'; drop table il_events; --",
    '<script>',
    '\u0000',
    '\ud800',
    '\u202e',
    -1,
    1.5,
    1e308,
    '',
    null,
    true,
    [],
    {},
    { toString: 1 },
    JSON.parse(`${'['.repeat(20)}1${']'.repeat(20)}`) as unknown,
    '2019-02-29',
    '-004714-01-01',
  ),
);
const keyName = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'valueOf',
    'prototype',
    'partner',
    'participantNames',
    'email',
  ),
);

function mutate(body: unknown, m: { kind: number; pick: number; value: unknown; key: string }): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return m.kind % 4 === 0 ? m.value : body;
  const out = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  const keys = Object.keys(out);
  const key = keys.length ? keys[m.pick % keys.length]! : m.key;
  if (m.kind % 4 === 0) delete out[key];
  else if (m.kind % 4 === 1) out[key] = m.value;
  else if (m.kind % 4 === 2)
    Object.defineProperty(out, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
  else return m.value;
  return out;
}

describe('fuzz: every write route of the served document, and hostile query strings on every query route', function () {
  this.timeout(600_000);
  let system: RunningService;
  let store: EventStore;
  let stop: () => Promise<void>;
  let admin: string;
  let table: Record<string, Entry | { skip: string }>;
  let operations: string[];

  before(async () => {
    ({ system, store, stop, admin } = await startDemoSystem({ WRITES_PER_MINUTE: '0' }));
    const outputs: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${system.url}${P}/camps`, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify(camp()),
      });
      outputs.push(((await res.json()) as { eventId: string }).eventId);
    }
    table = entries({ outputs: outputs.slice(1), corrected: outputs[0]! });
    const doc = (await (await fetch(`${system.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
  });
  after(async () => stop?.());

  const count = async () => (await store.readAll({ limit: 100_000 })).events.length;

  it('has a valid request, or a stated reason, for every write operation the system serves', () => {
    const writes = operations.filter((o) => /^(POST|PUT|PATCH|DELETE) /.test(o));
    expect(writes.length).to.be.above(20);
    expect(
      writes.filter((o) => !(o in table)),
      'write routes the fuzzer does not know',
    ).to.deep.equal([]);
    expect(
      Object.keys(table).filter((o) => !writes.includes(o)),
      'fuzz entries for routes that no longer exist',
    ).to.deep.equal([]);
  });

  it('answers 10,000 generated requests with a success (stored as acknowledged) or a 4xx problem (nothing stored), never a 5xx', async () => {
    const before = await count();
    const routes = Object.entries(table).filter((e): e is [string, Entry] => 'valid' in e[1]);
    let stored = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(routes.length - 1),
        fc.array(fc.record({ kind: fc.nat(), pick: fc.nat(), value: junk, key: keyName }), { maxLength: 3 }),
        fc.constantFrom('json', 'json', 'json', 'text/plain', 'deep', 'idempotent'),
        async (r, mutations, framing) => {
          const [operation, entry] = routes[r]!;
          const method = operation.split(' ')[0]!;
          const body = mutations.reduce(mutate, entry.valid());
          let raw = body === undefined ? undefined : JSON.stringify(body);
          if (framing === 'deep') raw = `${'['.repeat(40)}${raw ?? ''}${']'.repeat(40)}`;
          const headers: Record<string, string> = {
            authorization: admin,
            'content-type': framing === 'text/plain' ? 'text/plain' : 'application/json',
          };
          if (framing === 'idempotent') headers['idempotency-key'] = `fz-${r}-${mutations.length}`;
          const res = await fetch(`${system.url}${entry.path()}`, {
            method,
            headers,
            ...(raw === undefined ? {} : { body: raw }),
          });
          const text = await res.text();
          expect(res.status, `${operation} ${framing} ${raw?.slice(0, 300)} → ${text}`).to.be.below(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
            rejected++;
          } else if (res.status === 201 && res.headers.get('idempotent-replayed') !== 'true') {
            stored += (JSON.parse(text) as { eventIds: string[] }).eventIds.length;
          }
        },
      ),
      { numRuns: 10_000 },
    );
    expect(await count(), 'events stored beyond the acknowledged ones').to.equal(before + stored);
    expect(rejected, 'the fuzzer produced invalid requests').to.be.above(3000);
  });

  it('sends a junk body to the rebuild once: it is read as no instruction at all', async () => {
    const res = await fetch(`${system.url}/v1/admin/rebuild`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: '{"toString":1,"__proto__":{"x":1}}',
    });
    expect(res.status).to.be.oneOf([200, 400]);
  });

  it('answers hostile query strings on every query route with 200 or a 4xx problem', async () => {
    const queries = operations.filter((o) => o.startsWith('GET /v1/') && /indicators|behind-target/.test(o));
    expect(queries.length).to.equal(5);
    const names = [
      'asOf',
      'period',
      'partner',
      'groupBy',
      'granularity',
      'from',
      'to',
      'format',
      'threshold',
      'minPosition',
      '__proto__',
      'constructor',
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        '1',
        '-004714-01-01',
        'Mon, 30 Sep 2019 00:00:00 GMT',
        'P999',
        'toString',
        '__proto__',
        '1e308',
        'NaN',
        '-1',
        '9:9',
        "' OR 1=1 --",
        '%00',
        'csv',
        'year',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(queries.length - 1),
        fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 4 }),
        async (q, params) => {
          const path = queries[q]!.slice(4)
            .replace('{projectId}', 'LLI-317')
            .replace('{programmeId}', 'LV-LT')
            .replace('{code}', 'RCO81');
          const search = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          const res = await fetch(`${system.url}${path}?${search}`, { headers: { authorization: admin } });
          const text = await res.text();
          expect(res.status, `${path}?${search} → ${text.slice(0, 300)}`).to.be.oneOf([200, 400, 404, 503]);
          if (res.status >= 400) expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
