import {
  evolveProgramme,
  evolveProject,
  initialProgrammeState,
  initialProjectState,
  type ProgrammeState,
  type ProjectState,
} from '@il/domain';
import { createStreamStates, type StreamStates } from '@il/commands';
import type { EventStore } from '@il/event-store';
import type { Metrics } from '@il/http-kit';

export interface WriteContext {
  store: EventStore;
  programmes: StreamStates<ProgrammeState>;
  projects: StreamStates<ProjectState>;
  metrics: Metrics;
  now: () => Date;
  /** Days an output date may lie ahead of today in the programme's time zone (clock skew). Default 1. */
  futureToleranceDays: number;
}

export function createWriteContext(
  store: EventStore,
  metrics: Metrics,
  options: { now?: () => Date; futureToleranceDays?: number } = {},
): WriteContext {
  return {
    store,
    metrics,
    programmes: createStreamStates<ProgrammeState>(store, initialProgrammeState, (s, e) => evolveProgramme(s, e)),
    projects: createStreamStates<ProjectState>(store, initialProjectState, evolveProject),
    now: options.now ?? (() => new Date()),
    futureToleranceDays: options.futureToleranceDays ?? 1,
  };
}
