import {
  decideProject,
  localDateOf,
  NotFoundError,
  occurredAtOf,
  partnersTouched,
  programmeStream,
  projectStream,
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
  return executeCommand<ProjectState, Programme>(deps.store, deps.projects, {
    streamId: projectStream(projectId),
    actor: request.actor,
    correlationId: request.correlationId,
    ifMatch: request.ifMatch,
    idempotency: request.idempotency,
    // A programme (catalogue, time zone) is taken from the cache for at most a second while the project state is a
    // cached one; with a fresh state it is read afresh too.
    context: async ({ state, fresh }) => {
      const programmeId = programmeIdOf(state);
      const loaded = await deps.programmes.load(programmeStream(programmeId), fresh ? {} : { maxAgeMs: 1000 });
      if (loaded.state.status !== 'registered') throw new NotFoundError(`programme ${programmeId} not found`);
      return loaded.state.programme;
    },
    authorise: ({ state }, programme) =>
      request.authorise({
        programmeId: programme.programmeId,
        projectId,
        partners: partnersTouched(command, state),
        command,
      }),
    decide: ({ state }, programme) =>
      decideProject(command, state, {
        programme,
        today: localDateOf(now, programme.timeZone),
        futureToleranceDays: deps.futureToleranceDays,
      }),
    occurredAt: (event, { state }, programme) =>
      occurredAtOf(
        event,
        programme.timeZone,
        state.status === 'registered' ? state.project.startDate : now.toISOString().slice(0, 10),
        now,
      ),
  });
}
