import { AlreadyExistsError, NotFoundError, RuleViolationError } from '../errors.js';
import type { DomainEvent, EventMap, EventOf } from '../events/eventSchemas.js';
import type { FieldIssue } from '../events/issues.js';

type ProgrammeTarget = EventMap['ProgrammeTargetSet'];

export type ProgrammeState =
  | { status: 'none' }
  | {
      status: 'registered';
      programme: EventMap['ProgrammeRegistered'];
      /** `indicator@specificObjective` → its current programme target. */
      targets: ReadonlyMap<string, ProgrammeTarget>;
    };

export const initialProgrammeState: ProgrammeState = { status: 'none' };

export const programmeTargetKey = (t: Pick<ProgrammeTarget, 'indicator' | 'specificObjective'>) =>
  `${t.indicator}@${t.specificObjective}`;

export function evolveProgramme(state: ProgrammeState, event: DomainEvent): ProgrammeState {
  if (event.type === 'ProgrammeRegistered') return { status: 'registered', programme: event.data, targets: new Map() };
  if (event.type === 'ProgrammeTargetSet' && state.status === 'registered')
    return { ...state, targets: new Map(state.targets).set(programmeTargetKey(event.data), event.data) };
  return state;
}

export function decideRegisterProgramme(data: EventMap['ProgrammeRegistered'], state: ProgrammeState): DomainEvent[] {
  if (state.status === 'registered')
    throw new AlreadyExistsError(`programme ${data.programmeId} is already registered`);
  return [{ type: 'ProgrammeRegistered', data }];
}

/** JSON with sorted keys: a stored payload may come back with its keys in another order (PostgreSQL jsonb). */
const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;
const same = (a: ProgrammeTarget, b: ProgrammeTarget) => canonical(a) === canonical(b);

/**
 * Programme targets, validated against the catalogue: an output indicator has a milestone and no baseline, a result
 * indicator a baseline and no milestone (the two tables of Annex VII). A target set to what it is is not a new fact.
 */
export function decideProgrammeTargets(state: ProgrammeState, events: EventOf<'ProgrammeTargetSet'>[]): DomainEvent[] {
  if (state.status !== 'registered') throw new NotFoundError('programme not found');
  const kinds = new Map(state.programme.catalogue.indicators.map((i) => [i.code, i.kind]));
  const issues: FieldIssue[] = [];
  events.forEach(({ data }, i) => {
    const kind = kinds.get(data.indicator);
    const at = (field: string) => `targets.${i}.${field}`;
    if (!kind) issues.push({ path: at('indicator'), message: `not in the programme's catalogue` });
    if (kind === 'output' && !data.milestone)
      issues.push({ path: at('milestone'), message: 'an output indicator has a milestone' });
    if (kind === 'output' && data.baseline)
      issues.push({ path: at('baseline'), message: 'an output indicator has no baseline' });
    if (kind === 'result' && !data.baseline)
      issues.push({ path: at('baseline'), message: 'a result indicator has a baseline and its reference year' });
    if (kind === 'result' && data.milestone)
      issues.push({ path: at('milestone'), message: 'a result indicator has no milestone' });
  });
  if (issues.length > 0) throw new RuleViolationError('programme targets do not fit the catalogue', issues);
  return events.filter((e) => {
    const current = state.targets.get(programmeTargetKey(e.data));
    return !current || !same(current, e.data);
  });
}
