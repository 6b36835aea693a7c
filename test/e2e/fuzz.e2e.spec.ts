import { expect } from 'chai';
import fc from 'fast-check';
import type { EventStore } from '@il/event-store';
import type { RunningService } from '@il/runtime';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const P = '/v1/projects/LLI-317';
let serial = 0;
const uid = () => `fz-${Date.now().toString(36)}-${serial++}`;

/** A valid body per write route; the fuzzer mutates these. */
const routes: { path: () => string; method?: string; valid: () => Record<string, unknown> }[] = [
  {
    path: () => `${P}/camps`,
    valid: () => ({
      partner: 'PP7',
      campId: uid(),
      startDate: '2019-07-08',
      endDate: '2019-07-12',
      location: 'Rokiškis',
      country: 'LT',
      participants: { total: 42, crossBorder: 20, withDisabilities: 3 },
    }),
  },
  {
    path: () => `${P}/trainings`,
    valid: () => ({ partner: 'LP', trainingId: uid(), topic: 'Burnout', date: '2019-04-09', hours: 8, trainees: 30 }),
  },
  {
    path: () => `${P}/exchange-visits`,
    valid: () => ({
      partner: 'PP6',
      visitId: uid(),
      startDate: '2019-05-21',
      endDate: '2019-05-22',
      location: 'Joniškis',
      participants: 26,
      organisations: 8,
    }),
  },
  {
    path: () => `${P}/inclusion-measures`,
    valid: () => ({ partner: 'PP5', measureId: uid(), date: '2019-05-15', sessions: 4, participants: 12 }),
  },
  {
    path: () => `${P}/public-events`,
    valid: () => ({
      partner: 'LP',
      publicEventId: uid(),
      date: '2020-01-15',
      location: 'Bauska',
      participants: { total: 80, crossBorder: 25 },
    }),
  },
  {
    path: () => `${P}/quality-systems`,
    valid: () => ({
      partner: 'PP8',
      organisation: 'Kretinga Day Activity Centre',
      methodology: 'SocQuality self-assessment',
      date: '2020-01-15',
    }),
  },
  {
    path: () => `${P}/equipment`,
    valid: () => ({ partner: 'PP8', date: '2019-03-14', description: 'Health kit', costCents: 125_000 }),
  },
  {
    path: () => `${P}/expenditure`,
    valid: () => ({ partner: 'PP2', date: '2019-08-31', amountCents: 100_00, erdfCents: 85_00 }),
  },
  {
    path: () => `${P}/infrastructure/${uid()}/completed`,
    valid: () => ({ partner: 'PP3', name: 'Centre', date: '2019-12-18', capacity: 30 }),
  },
  {
    path: () => `${P}/targets`,
    method: 'PUT',
    valid: () => ({ targets: [{ indicator: 'RCO85', value: 1 + (serial++ % 1000) }] }),
  },
];

const junk = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(
    "'; drop table il_events; --",
    '1 OR 1=1',
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '../../etc/passwd',
    '\u0000',
    '\ud800',
    -1,
    1.5,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    null,
    true,
    [],
    {},
  ),
);

type Mutation = { kind: 'drop' | 'set' | 'add'; pick: number; value: unknown; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('drop', 'set', 'add'),
  pick: fc.nat(),
  value: junk,
  key: fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'participantNames', 'email'),
  ),
});

function mutate(body: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const keys = Object.keys(body);
  const key = keys[m.pick % keys.length]!;
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(body));
  if (m.kind === 'drop') delete out[key];
  else if (m.kind === 'set') out[key] = m.value;
  else Object.defineProperty(out, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
  return out;
}

describe('bad input: fuzzing every write route, injection, hostile JSON', function () {
  this.timeout(300_000);
  let system: RunningService;
  let store: EventStore;
  let drop: () => Promise<void>;
  let admin: string;

  before(async () => {
    admin = await bearer();
    ({ system, store, stop: drop } = await startTestSystem({ WRITES_PER_MINUTE: '0' }));
    await loadSocQuality(system.url, { authorization: admin });
  });
  after(async () => {
    await drop?.();
  });

  async function send(method: string, path: string, raw: string, contentType = 'application/json') {
    const res = await fetch(`${system.url}${path}`, {
      method,
      headers: { authorization: admin, 'content-type': contentType },
      body: raw,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text };
  }
  const count = async () => (await store.readAll({ limit: 10_000 })).events.length;

  it('answers thousands of generated bodies with 201 (stored once) or a 4xx problem (stored nothing), never 500', async () => {
    const before = await count();
    let accepted = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(routes.length - 1), fc.array(mutation, { maxLength: 3 }), async (r, mutations) => {
        const route = routes[r]!;
        const body = mutations.reduce(mutate, route.valid());
        const res = await send(route.method ?? 'POST', route.path(), JSON.stringify(body));
        expect(res.status, res.body).to.be.oneOf([200, 201, 400, 404, 409, 413, 422]);
        if (res.status >= 400) {
          expect(res.type).to.match(/application\/problem\+json/);
          rejected++;
        } else if (res.status === 201) {
          accepted += (JSON.parse(res.body) as { eventIds: string[] }).eventIds.length;
        }
      }),
      { numRuns: 2000 },
    );
    expect(await count()).to.equal(before + accepted);
    expect(rejected, 'the fuzzer produced invalid bodies').to.be.above(500);
    expect(Object.prototype).to.not.have.property('admin');
  });

  it('stores every valid body exactly once', async () => {
    const before = await count();
    for (let i = 0; i < 200; i++) {
      const route = routes[i % (routes.length - 1)]!;
      const res = await send('POST', route.path(), JSON.stringify(route.valid()));
      expect(res.status, res.body).to.equal(201);
    }
    expect(await count()).to.equal(before + 200);
  });

  it('keeps SQL-looking text verbatim in text fields and refuses it in identifiers', async () => {
    const text = "Jelgava'); drop table il_events; --";
    const ok = await send('POST', `${P}/camps`, JSON.stringify({ ...routes[0]!.valid(), location: text }));
    expect(ok.status).to.equal(201);
    const id = (JSON.parse(ok.body) as { eventId: string }).eventId;
    expect((await store.readStream('project-LLI-317')).find((e) => e.eventId === id)!.data['location']).to.equal(text);
    expect(
      (
        await send(
          'POST',
          `${P}/camps`,
          JSON.stringify({ ...routes[0]!.valid(), campId: "x'; drop table il_events; --" }),
        )
      ).status,
    ).to.equal(400);
    expect(
      (await fetch(`${system.url}/v1/projects/LLI-317'%20OR%201=1--`, { headers: { authorization: admin } })).status,
    ).to.equal(400);
  });

  it('refuses prototype-pollution keys and leaves Object.prototype alone', async () => {
    for (const raw of [
      `{"__proto__": {"polluted": true}, ${JSON.stringify(routes[0]!.valid()).slice(1)}`,
      `{"constructor": {"prototype": {"polluted": true}}, ${JSON.stringify(routes[0]!.valid()).slice(1)}`,
      JSON.stringify({
        ...routes[0]!.valid(),
        participants: JSON.parse('{"total": 1, "crossBorder": 0, "__proto__": {"polluted": true}}'),
      }),
    ]) {
      const before = await count();
      const res = await send('POST', `${P}/camps`, raw);
      expect(res.status, res.body).to.equal(400);
      expect(await count()).to.equal(before);
    }
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('refuses huge and deeply nested JSON with a 4xx, not a crash', async () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const r1 = await send('POST', `${P}/camps`, deep);
    expect(r1.status).to.be.oneOf([400, 413]);
    const wide = JSON.stringify({ ...routes[0]!.valid(), location: 'x'.repeat(300_000) });
    expect((await send('POST', `${P}/camps`, wide)).status).to.equal(413);
    const arrays = JSON.stringify({ targets: Array.from({ length: 5000 }, () => ({ indicator: 'RCO81', value: 1 })) });
    expect((await send('PUT', `${P}/targets`, arrays)).status).to.equal(400);
    expect((await fetch(`${system.url}/healthz`)).status).to.equal(200);
  });
});
