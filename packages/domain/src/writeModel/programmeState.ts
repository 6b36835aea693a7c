import { AlreadyExistsError } from '../errors.js';
import type { DomainEvent, EventMap } from '../events/eventSchemas.js';

export type ProgrammeState = { status: 'none' } | { status: 'registered'; programme: EventMap['ProgrammeRegistered'] };

export const initialProgrammeState: ProgrammeState = { status: 'none' };

export function evolveProgramme(state: ProgrammeState, event: DomainEvent): ProgrammeState {
  return event.type === 'ProgrammeRegistered' ? { status: 'registered', programme: event.data } : state;
}

export function decideRegisterProgramme(data: EventMap['ProgrammeRegistered'], state: ProgrammeState): DomainEvent[] {
  if (state.status === 'registered')
    throw new AlreadyExistsError(`programme ${data.programmeId} is already registered`);
  return [{ type: 'ProgrammeRegistered', data }];
}
