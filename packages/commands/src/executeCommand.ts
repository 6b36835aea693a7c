import { randomUUID } from 'node:crypto';
import { currentSchemaVersion, type DomainEvent } from '@il/domain';
import { ConcurrencyError, type AppendResult, type EventStore, type NewEvent, type Position } from '@il/event-store';
import { deterministicEventId, requestHash } from './deterministicId.js';
import { IdempotencyKeyReusedError, PreconditionFailedError } from './errors.js';
import type { Loaded, StoredRef, StreamStates } from './streamStates.js';

/** The state an attempt decides on; `fresh` when just caught up with the store rather than taken from the cache. */
export type Attempt<S> = Loaded<S> & { fresh: boolean };

/** RFC 9110 If-Match: `*`, or the versions whose entity tags it listed (strong comparison: weak tags left out). */
export type IfMatch = '*' | readonly number[];

export function ifMatchHolds(ifMatch: IfMatch, version: number): boolean {
  return ifMatch === '*' ? version > 0 : ifMatch.includes(version);
}

export interface CommandRequest<S, C = undefined> {
  streamId: string;
  actor: string;
  correlationId: string;
  /** From If-Match: fail with 412 unless the stream is at one of these versions (`*`: unless it exists). */
  ifMatch?: IfMatch | undefined;
  /** From Idempotency-Key, with the route and body it came with. */
  idempotency?: { key: string; scope: string; body: unknown } | undefined;
  /**
   * Throws if the caller may not run this command on this state. Called first on every attempt, before If-Match and
   * idempotent replays are looked at: a caller outside the project's scope must learn nothing of it, its version
   * included, and the state that decides who may write is the one the command is decided on.
   */
  authorise?: (loaded: Attempt<S>, context: C) => void;
  /**
   * What the command needs besides its stream's state (a project's programme: catalogue, time zone), read for each
   * attempt's state: from caches while the state is a cached one, afresh with a fresh one.
   */
  context?: (loaded: Attempt<S>) => Promise<C>;
  decide: (loaded: Attempt<S>, context: C) => DomainEvent[];
  occurredAt: (event: DomainEvent, loaded: Attempt<S>, context: C) => Date;
}

export interface CommandResult {
  events: { eventId: string; type: string; streamVersion: number }[];
  streamId: string;
  version: number;
  position: Position | null;
  /** True when this answered a retry of an earlier request from what it stored. */
  replayed: boolean;
}

const maxAttempts = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function replay(streamId: string, refs: StoredRef[], version: number): CommandResult {
  const last = refs.reduce((a, r) => (r.streamVersion > a.streamVersion ? r : a));
  return {
    streamId,
    version,
    position: last.position,
    replayed: true,
    events: refs.map((r) => ({ eventId: r.eventId, type: r.type, streamVersion: r.streamVersion })),
  };
}

function findReplay<S>(
  loaded: Loaded<S>,
  ids: (i: number) => string,
  hash: string,
  key: string,
): StoredRef[] | undefined {
  const first = loaded.refs.get(ids(0));
  if (!first) return undefined;
  if (first.requestHash !== hash) throw new IdempotencyKeyReusedError(key);
  const refs: StoredRef[] = [];
  for (let i = 0; ; i++) {
    const r = loaded.refs.get(ids(i));
    if (!r) return refs;
    refs.push(r);
  }
}

/**
 * Decide on the cached state and append with its version; when another process wrote meanwhile, catch up and
 * decide again (bounded, with jittered back-off). Within this process, commands on one stream queue instead of
 * conflicting.
 *
 * The first attempt does not ask the store whether the cached state is current: the append's expected version
 * refuses a stale one, which saves a read per command in the common case (one process writing a stream). Anything
 * but a successful append — a rejection, a failed If-Match, nothing to do — is only answered from a state just
 * caught up with the store, so a stale cache never turns into a wrong answer.
 */
export function executeCommand<S, C = undefined>(
  store: EventStore,
  states: StreamStates<S>,
  request: CommandRequest<S, C>,
): Promise<CommandResult> {
  return states.withLock(request.streamId, () => runOnce(store, states, request));
}

async function runOnce<S, C>(
  store: EventStore,
  states: StreamStates<S>,
  request: CommandRequest<S, C>,
): Promise<CommandResult> {
  const { streamId } = request;
  const hash = request.idempotency ? requestHash(request.idempotency.body) : undefined;
  const ids = (i: number) =>
    request.idempotency
      ? deterministicEventId([request.actor, streamId, request.idempotency.scope, request.idempotency.key], i)
      : randomUUID();

  let fresh = false;
  for (let attempt = 1; ; attempt++) {
    const loaded = await states.load(streamId, fresh ? {} : { maxAgeMs: Number.POSITIVE_INFINITY });
    fresh = true;
    let decided: DomainEvent[];
    let context: C;
    try {
      context = request.context ? await request.context(loaded) : (undefined as C);
      request.authorise?.(loaded, context);
      if (request.ifMatch !== undefined && !ifMatchHolds(request.ifMatch, loaded.version))
        throw new PreconditionFailedError(streamId, request.ifMatch, loaded.version);
      if (request.idempotency && hash) {
        const earlier = findReplay(loaded, ids, hash, request.idempotency.key);
        if (earlier) return replay(streamId, earlier, loaded.version);
      }
      decided = request.decide(loaded, context);
    } catch (e) {
      if (!loaded.fresh) continue;
      throw e;
    }
    if (decided.length === 0) {
      if (!loaded.fresh) continue;
      return { streamId, version: loaded.version, position: null, replayed: false, events: [] };
    }
    const events: NewEvent[] = decided.map((e, i) => ({
      eventId: ids(i),
      type: e.type,
      schemaVersion: currentSchemaVersion(e.type),
      data: e.data,
      metadata: {
        actor: request.actor,
        correlationId: request.correlationId,
        causationId: null,
        ...(hash ? { idempotencyKey: request.idempotency!.key, requestHash: hash } : {}),
      },
      occurredAt: request.occurredAt(e, loaded, context),
    }));
    let appended: AppendResult;
    try {
      appended = await store.appendToStream(streamId, events, {
        expectedVersion: loaded.version === 0 ? 'no-stream' : loaded.version,
      });
    } catch (e) {
      // Decided on a cached state: whatever went wrong (a conflict, an id stored with other content), the answer
      // comes from deciding again on the current state.
      if (!loaded.fresh) continue;
      if (e instanceof ConcurrencyError) {
        if (request.ifMatch !== undefined)
          throw new PreconditionFailedError(streamId, request.ifMatch, e.actualVersion);
        if (attempt < maxAttempts) {
          await sleep(Math.random() * 10 * attempt);
          continue;
        }
      }
      throw e;
    }
    if (!appended.alreadyStored) await states.appended(streamId, appended.events);
    return {
      streamId,
      version: appended.nextExpectedVersion,
      position: appended.position,
      replayed: appended.alreadyStored,
      events: appended.events.map((e) => ({ eventId: e.eventId, type: e.type, streamVersion: e.streamVersion })),
    };
  }
}
