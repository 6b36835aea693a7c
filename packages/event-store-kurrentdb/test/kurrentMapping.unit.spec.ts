import { expect } from 'chai';
import { ANY, NO_STREAM, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import { newEvent } from '@il/event-store/contract';
import { ConcurrencyError, StoreUnavailableError, comparePositions, validateAppend } from '@il/event-store';
import {
  asKurrentStoreError,
  normaliseConnectionString,
  sameEvent,
  toEventData,
  toLogPosition,
  toStoredEvent,
  toStreamState,
  versionOfState,
} from '../src/index.js';

describe('KurrentDB adapter mapping (no server needed)', () => {
  it('maps expected versions (counted from 1) to stream states (revisions from 0)', () => {
    expect(toStreamState('any')).to.equal(ANY);
    expect(toStreamState('no-stream')).to.equal(NO_STREAM);
    expect(toStreamState(0)).to.equal(NO_STREAM);
    expect(toStreamState('exists')).to.equal(STREAM_EXISTS);
    expect(toStreamState(1)).to.equal(0n);
    expect(toStreamState(10_000)).to.equal(9_999n);
  });

  it('reads the actual version back from a current state', () => {
    expect(versionOfState(0n)).to.equal(1);
    expect(versionOfState(41n)).to.equal(42);
    expect(versionOfState(NO_STREAM)).to.equal(0);
    expect(versionOfState(undefined)).to.equal(0);
  });

  it('carries schema version and occurrence time in metadata and gets the same event back', () => {
    const e = newEvent({ data: { partner: 'PP7', lv: 'Viesīte', n: [1, null] } });
    const [serialised] = validateAppend('project-LLI-317', [e], 'any');
    const wire = toEventData(serialised!);
    expect(wire).to.include({ id: e.eventId, type: e.type, contentType: 'application/json' });
    const created = new Date('2026-11-22T10:00:00Z');
    const stored = toStoredEvent(
      {
        streamId: 'ns1-project-LLI-317',
        id: e.eventId,
        revision: 4n,
        type: wire.type,
        created,
        data: JSON.parse(JSON.stringify(wire.data)),
        metadata: JSON.parse(JSON.stringify(wire.metadata)),
        position: { commit: 1200n, prepare: 1100n },
      },
      'ns1-',
    );
    expect(stored).to.deep.equal({
      eventId: e.eventId,
      streamId: 'project-LLI-317',
      streamVersion: 5,
      globalPosition: 1100,
      position: '1200:1100',
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      occurredAt: e.occurredAt,
      recordedAt: created,
    });
    expect(sameEvent(stored, serialised!)).to.equal(true);
    expect(sameEvent({ ...stored, data: { other: true } }, serialised!)).to.equal(false);
    expect(sameEvent({ ...stored, occurredAt: new Date(0) }, serialised!)).to.equal(false);
  });

  it('refuses a record without a log position instead of inventing one', () => {
    expect(() =>
      toStoredEvent(
        { streamId: 's', id: 'x', revision: 0n, type: 't', created: new Date(), data: {}, metadata: {} },
        '',
      ),
    ).to.throw(/\$all position/);
  });

  it('orders positions by commit, then prepare, and round-trips them', () => {
    expect(toLogPosition('1200:1100')).to.deep.equal({ commit: 1200n, prepare: 1100n });
    expect(comparePositions('1200:1100', '1200:1300')).to.equal(-1);
    expect(comparePositions('1300:0', '1200:1300')).to.equal(1);
  });

  it('accepts kurrentdb:// and the older esdb:// connection strings, and refuses others without echoing passwords', () => {
    expect(normaliseConnectionString('esdb://localhost:2113?tls=false')).to.equal(
      'kurrentdb://localhost:2113?tls=false',
    );
    expect(normaliseConnectionString('esdb+discover://a,b,c?tls=true')).to.equal('kurrentdb+discover://a,b,c?tls=true');
    expect(normaliseConnectionString(' kurrentdb://admin:changeit@127.0.0.1:2113 ')).to.equal(
      'kurrentdb://admin:changeit@127.0.0.1:2113',
    );
    expect(() => normaliseConnectionString('http://admin:secret@localhost:2113')).to.throw(
      /kurrentdb:\/\/.*http:\/\/\*\*\*@localhost/,
    );
  });

  it('turns unavailability into a 503 store error and leaves other errors alone', () => {
    expect(asKurrentStoreError({ type: 'unavailable', message: 'down' })).to.be.instanceOf(StoreUnavailableError);
    expect(asKurrentStoreError({ type: 'deadline-exceeded', message: 'slow' })).to.be.instanceOf(StoreUnavailableError);
    const conflict = new ConcurrencyError('s', 1, 2);
    expect(asKurrentStoreError(conflict)).to.equal(conflict);
    const other = new Error('bug');
    expect(asKurrentStoreError(other)).to.equal(other);
  });
});
