import {
  decideProject,
  localDateOf,
  NotFoundError,
  occurredAtOf,
  partnersTouched,
  ledgerOf,
  programmeStream,
  projectStream,
  readStoredEvent,
  type Ledger,
  type EventMap,
  type ProgrammeState,
  type ProjectCommand,
  type ProjectState,
} from '@il/domain';
import type { EventStore } from '@il/event-store';
import { executeCommand, type CommandRequest, type CommandResult } from './executeCommand.js';
import type { StreamStates } from './streamStates.js';

export interface ProjectCommandDeps {
  store: EventStore;
  projects: StreamStates<ProjectState>;
  programmes: StreamStates<ProgrammeState>;
  now: () => Date;
  /** Days an output date may lie ahead of today in the programme's time zone (clock skew). */
  futureToleranceDays: number;
}

/** What authorisation is asked about: the command, on the state it is decided on. */
export interface ProjectWriteCheck {
  programmeId: string;
  projectId: string;
  /** Partners the command writes for (partnersTouched), on that state. */
  partners: string[];
  /** Their countries, in the same order (first-level control is scoped by country). */
  countries: string[];
  command: ProjectCommand;
}

export type ProjectCommandRequest = Pick<
  CommandRequest<ProjectState>,
  'actor' | 'correlationId' | 'ifMatch' | 'idempotency'
> & {
  projectId: string;
  /** Parsed at the edge (parseProjectCommand): nothing unvalidated gets this far. */
  command: ProjectCommand;
  /** Throws unless the caller may run the command; asked first on every attempt, on that attempt's state. */
  authorise: (check: ProjectWriteCheck) => void;
};

type Programme = EventMap['ProgrammeRegistered'];

/** What a project command is decided with besides its state: the programme, and for a report submission the ledger. */
interface Context {
  programme: Programme;
  ledger?: Ledger;
}

/**
 * The live contributions of the stream up to the version decided on: a submission states the report's numbers
 * from them. Read from the store (the write model keeps no payloads); reports are a few a year per partner.
 */
async function ledgerAt(store: EventStore, streamId: string, version: number, programme: Programme, start: string) {
  const stored = await store.readStream(streamId, { to: version });
  return ledgerOf(
    stored.map((e) => ({ event: readStoredEvent(e.type, e.schemaVersion, e.data), eventId: e.eventId })),
    programme.catalogue,
    start,
  );
}

/**
 * The one path of a project write: load the project (from the cache first) and its programme, authorise the
 * command on that state, decide, append with the state's version; on a conflict or a rejection found on a cached
 * state, load afresh and go round again (executeCommand).
 */
export function executeProjectCommand(
  deps: ProjectCommandDeps,
  request: ProjectCommandRequest,
): Promise<CommandResult> {
  const { projectId, command } = request;
  const now = deps.now();
  const programmeIdOf = (state: ProjectState): string => {
    if (state.status === 'registered') return state.project.programmeId;
    if (command.type === 'RegisterProject') return command.event.data.programmeId;
    throw new NotFoundError(`project ${projectId} not found`);
  };
  return executeCommand<ProjectState, Context>(deps.store, deps.projects, {
    streamId: projectStream(projectId),
    actor: request.actor,
    correlationId: request.correlationId,
    ifMatch: request.ifMatch,
    idempotency: request.idempotency,
    // A programme (catalogue, time zone) is taken from the cache for at most a second while the project state is a
    // cached one; with a fresh state it is read afresh too.
    context: async ({ state, fresh, version }) => {
      const programmeId = programmeIdOf(state);
      const loaded = await deps.programmes.load(programmeStream(programmeId), fresh ? {} : { maxAgeMs: 1000 });
      if (loaded.state.status !== 'registered') throw new NotFoundError(`programme ${programmeId} not found`);
      const programme = loaded.state.programme;
      if (command.type !== 'SubmitReport' || state.status !== 'registered') return { programme };
      const streamId = projectStream(projectId);
      return { programme, ledger: await ledgerAt(deps.store, streamId, version, programme, state.project.startDate) };
    },
    authorise: ({ state }, { programme }) => {
      const partners = partnersTouched(command, state);
      const countryOf = (p: string) => (state.status === 'registered' ? state.partners.get(p)?.country : undefined);
      request.authorise({
        programmeId: programme.programmeId,
        projectId,
        partners,
        countries: partners.map((p) => countryOf(p) ?? ''),
        command,
      });
    },
    decide: ({ state }, { programme, ledger }) =>
      decideProject(command, state, {
        programme,
        ledger,
        today: localDateOf(now, programme.timeZone),
        futureToleranceDays: deps.futureToleranceDays,
      }),
    occurredAt: (event, { state }, { programme }) =>
      occurredAtOf(
        event,
        programme.timeZone,
        state.status === 'registered' ? state.project.startDate : now.toISOString().slice(0, 10),
        now,
      ),
  });
}
