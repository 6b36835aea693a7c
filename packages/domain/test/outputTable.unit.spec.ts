import { expect } from 'chai';
import fc from 'fast-check';
import { createHeldKeys } from '../src/writeModel/heldKeys.js';
import { createOutputTable, outputTypes, type OutputSummary } from '../src/index.js';

// The table packs each summary into one small integer; whatever does not fit is kept beside it. Either way a summary
// comes back exactly as it was set.
describe('output table (the packed outputs of a cached project)', () => {
  const summary = (n: number, o: Partial<OutputSummary> = {}): OutputSummary => ({
    eventId: `00000000-0000-4000-8000-abcd${String(n).padStart(8, '0')}`,
    type: outputTypes[n % outputTypes.length]!,
    partner: `PP${n}`,
    key: n % 2 ? `camp:c-${n}` : undefined,
    date: '2020-02-29',
    retracted: false,
    ...o,
  });

  it('gives every summary back as set: types, 200 partners, no partner, dates at and beyond the packed range, ids of any form', () => {
    const table = createOutputTable();
    const dates = [
      '',
      '1970-01-01',
      '1969-12-31',
      '2149-06-05',
      '2149-06-06',
      '2200-01-01',
      '2018-03-01',
      '0001-01-01',
    ];
    const all = Array.from({ length: 400 }, (_, n) =>
      summary(n, {
        partner: n % 7 === 0 ? undefined : `PP${n % 200}`,
        date: dates[n % dates.length]!,
        retracted: n % 5 === 0,
        // Event ids are uuids, kept packed; anything else is kept as given.
        ...(n % 50 === 3
          ? { eventId: `not-a-uuid-${n}` }
          : n % 50 === 4
            ? { eventId: summary(n).eventId.toUpperCase() }
            : {}),
      }),
    );
    for (const s of all) table.set(s);
    expect(table.size).to.equal(400);
    for (const s of all) expect(table.get(s.eventId)).to.deep.equal(s.retracted ? { ...s, key: undefined } : s);
    expect([...table.values()]).to.deep.equal(all.map((s) => (s.retracted ? { ...s, key: undefined } : s)));
    expect(table.get('00000000-0000-4000-8000-999999999999')).to.equal(undefined);
    expect(table.get(all[4]!.eventId.toLowerCase())).to.equal(undefined);
    expect(table.get(all[5]!.eventId.toUpperCase())).to.equal(undefined);
  });

  it('moves a unique key with a correction, frees it with a retraction, and keeps every field else', () => {
    const table = createOutputTable();
    const first = summary(1);
    table.set(first);
    expect(Object.fromEntries(table.keys.entries())).to.deep.equal({ 'camp:c-1': first.eventId });
    table.set({ ...first, key: 'camp:renamed', partner: 'PP9', date: '2019-01-31' });
    expect(Object.fromEntries(table.keys.entries())).to.deep.equal({ 'camp:renamed': first.eventId });
    expect(table.get(first.eventId)).to.deep.equal({
      ...first,
      key: 'camp:renamed',
      partner: 'PP9',
      date: '2019-01-31',
    });
    table.set({ ...first, key: 'camp:renamed', retracted: true });
    expect(table.keys.size).to.equal(0);
    expect(table.get(first.eventId)?.retracted).to.equal(true);
  });
});

// The held keys are text in a pool behind a hash index: checked against a Map of the same operations, with keys
// that share hashes' low bits, repeat, move between rows, are released and held again, and are long or not ASCII.
describe('held keys (the unique keys of a cached project, without an object per key)', () => {
  const universe = [
    ...Array.from({ length: 40 }, (_, i) => `camp:c-${i}`),
    'camp:',
    '',
    'visit:Viesīte–Biržai ✓',
    `training:${'x'.repeat(9000)}`,
    `training:${'x'.repeat(8999)}y`,
  ];
  const op = fc.record({
    row: fc.integer({ min: 0, max: 70 }),
    key: fc.option(fc.constantFrom(...universe), { nil: undefined, freq: 4 }),
  });

  it('answers every lookup as a Map of the same holds would (300 seeded runs)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const keys = createHeldKeys();
        const keyOfRow = new Map<number, string>();
        for (const { row, key } of ops) {
          keys.hold(row, key);
          // The model: a row holds one key, a key one row; holding a key takes it from its holder.
          keyOfRow.delete(row);
          if (key !== undefined) {
            for (const [r, k] of keyOfRow) if (k === key) keyOfRow.delete(r);
            keyOfRow.set(row, key);
          }
        }
        expect(keys.size).to.equal(keyOfRow.size);
        for (let row = 0; row <= 71; row++) expect(keys.keyOf(row)).to.equal(keyOfRow.get(row));
        for (const key of [...universe, 'camp:c-99']) {
          const holder = [...keyOfRow].find(([, k]) => k === key)?.[0];
          expect(keys.rowOf(key)).to.equal(holder);
        }
        expect([...keys.entries()]).to.deep.equal([...keyOfRow].sort((a, b) => a[0] - b[0]).map(([r, k]) => [k, r]));
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it('keeps thousands of keys findable through its growth', () => {
    const keys = createHeldKeys();
    for (let row = 0; row < 5000; row++) keys.hold(row, `camp:c-${row}`);
    for (let row = 0; row < 5000; row += 2) keys.hold(row, undefined);
    for (let row = 0; row < 5000; row++) expect(keys.rowOf(`camp:c-${row}`)).to.equal(row % 2 ? row : undefined);
    expect(keys.size).to.equal(2500);
  });
});
