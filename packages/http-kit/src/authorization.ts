import { HttpError } from './httpError.js';
import type { Actor } from './actor.js';

/**
 * Every authorisation rule of the product, in one place. Handlers call these with what they are about to read or
 * write; nothing else decides who may do what.
 *
 * - admin: everything.
 * - secretariat (programme): reads every project of its programme and the programme's aggregates; registers its
 *   programme's projects; verifies and reopens project reports; sets the programme's targets and makes its
 *   transmissions to the Commission.
 * - project-manager (project): reads and writes its project (outputs, partners, targets, amendments, reports).
 * - partner-manager (project + partner): reads its project; writes outputs and submits the partner reports of its
 *   partner only.
 * - first-level-controller (programme + country, or project + partner): reads the projects in its scope; certifies
 *   and reopens the partner reports of the partners in its scope.
 * - viewer (optionally a programme): programme aggregates only (Grafana).
 *
 * Reports: the project manager submits the project report, the partner manager its partner's report; the
 * secretariat verifies and reopens project reports, first-level control certifies and reopens partner reports.
 */
export type WriteAction =
  | 'output'
  | 'project-settings'
  | 'register-project'
  | 'submit-report'
  | 'approve-report'
  | 'reopen-report'
  | 'pseudonymize';

/** What is done to a programme itself (not to one of its projects). */
export type ProgrammeAction = 'programme-settings' | 'transmit';

const deny = (): never => {
  throw new HttpError(403, 'forbidden', 'Your role does not allow this.');
};

/**
 * A project or programme outside the caller's scope is answered exactly as one that does not exist (same status,
 * type and detail as the handlers' own 404), so no caller learns which ids exist. 403 is kept for what the caller
 * can see but not do (another partner's output in its own project).
 */
const unknownProject = (projectId: string): never => {
  throw new HttpError(404, 'not-found', `project ${projectId} not found`);
};
const unknownProgramme = (programmeId: string): never => {
  throw new HttpError(404, 'not-found', `programme ${programmeId} not found`);
};

const has = (actor: Actor, role: Actor['roles'][number]) => actor.roles.includes(role);

function mayReadProject(actor: Actor, target: { programmeId?: string | undefined; projectId: string }): boolean {
  if (has(actor, 'admin')) return true;
  const inProgramme = target.programmeId !== undefined && actor.programmeId === target.programmeId;
  if (has(actor, 'secretariat') && inProgramme) return true;
  // A controller of a country's partners reads the programme's projects (which have them is for the write to say).
  if (has(actor, 'first-level-controller') && (inProgramme || actor.projectId === target.projectId)) return true;
  return (has(actor, 'project-manager') || has(actor, 'partner-manager')) && actor.projectId === target.projectId;
}

/** First-level control of every partner the write touches: by country in its programme, or its one partner. */
function controlsPartners(
  actor: Actor,
  target: {
    programmeId?: string | undefined;
    projectId: string;
    partners: readonly string[];
    countries?: readonly string[];
  },
): boolean {
  if (!has(actor, 'first-level-controller') || target.partners.length === 0) return false;
  if (actor.country !== undefined && actor.programmeId !== undefined)
    return (
      actor.programmeId === target.programmeId &&
      target.countries?.length === target.partners.length &&
      target.countries.every((c) => c === actor.country)
    );
  return actor.projectId === target.projectId && target.partners.every((p) => p === actor.partner);
}

export function assertMayReadProject(actor: Actor, target: { programmeId: string; projectId: string }): void {
  if (!mayReadProject(actor, target)) unknownProject(target.projectId);
}

/** Programme aggregates (and the programme in lists): admin, its secretariat, its viewers or viewers of all. */
export function mayReadProgramme(actor: Actor, programmeId: string): boolean {
  if (has(actor, 'admin')) return true;
  if (has(actor, 'secretariat') && actor.programmeId === programmeId) return true;
  return has(actor, 'viewer') && (actor.programmeId === undefined || actor.programmeId === programmeId);
}

export function assertMayReadProgramme(actor: Actor, programmeId: string): void {
  // A viewer or secretariat of another programme, or a project role, learns nothing of other programmes.
  if (!mayReadProgramme(actor, programmeId)) unknownProgramme(programmeId);
}

export function assertMayAdminister(actor: Actor): void {
  if (!has(actor, 'admin')) deny();
}

/**
 * `partners`: every partner the write touches (an output's partner; for a correction also the corrected one's; a
 * partner report's partner, none for a project report); `countries`: theirs, in the same order.
 */
export function assertMayWrite(
  actor: Actor,
  target: {
    programmeId?: string;
    projectId: string;
    partners: readonly string[];
    countries?: readonly string[];
    action?: WriteAction;
  },
): void {
  if (has(actor, 'admin')) return;
  const action = target.action ?? 'output';
  const secretariat =
    has(actor, 'secretariat') && target.programmeId !== undefined && actor.programmeId === target.programmeId;
  const projectManager = has(actor, 'project-manager') && actor.projectId === target.projectId;
  const ownPartner =
    has(actor, 'partner-manager') &&
    actor.projectId === target.projectId &&
    target.partners.length > 0 &&
    target.partners.every((p) => p === actor.partner);
  if (action === 'register-project') {
    if (secretariat) return;
    // Registering creates the project, so the programme is the scope: a caller scoped to another programme
    // learns nothing of this one.
    if (actor.programmeId !== undefined && actor.programmeId !== target.programmeId)
      unknownProgramme(target.programmeId ?? '');
    deny();
  }
  if (!mayReadProject(actor, target)) unknownProject(target.projectId);
  switch (action) {
    case 'register-project':
      if (secretariat) return;
      break;
    case 'approve-report':
    case 'reopen-report':
      // A partner report is certified by first-level control, the project report verified by the secretariat.
      if (target.partners.length > 0 ? controlsPartners(actor, target) : secretariat) return;
      break;
    case 'project-settings':
      if (projectManager) return;
      break;
    case 'pseudonymize':
      // Any manager of the project counts its participants; nothing is written to the event log.
      if (projectManager || (has(actor, 'partner-manager') && actor.projectId === target.projectId)) return;
      break;
    case 'submit-report':
      if (target.partners.length > 0 ? ownPartner : projectManager) return;
      break;
    case 'output':
      if (projectManager || ownPartner) return;
      break;
  }
  deny();
}

/**
 * Programme targets and transmissions: admins and the programme's secretariat. Anyone else who may read the
 * programme is refused (403); a caller who may not even read it is answered as for a programme that does not exist.
 */
export function assertMayManageProgramme(actor: Actor, programmeId: string, _action: ProgrammeAction): void {
  if (has(actor, 'admin') || (has(actor, 'secretariat') && actor.programmeId === programmeId)) return;
  if (!mayReadProgramme(actor, programmeId)) unknownProgramme(programmeId);
  deny();
}

/** What an operation needs, as the route documentation names it: a read, a write action, or administration. */
export type Access = 'public' | 'read-project' | 'read-programme' | 'admin' | WriteAction | ProgrammeAction;

/**
 * The roles that may call an operation of each kind, for the OpenAPI document (`x-roles`). Scope still applies:
 * a secretariat only in its programme, a manager only in its project, a partner manager only for its partner.
 * It says what the functions above decide; the access matrix test checks the functions.
 */
export const rolesFor: Record<Access, readonly string[]> = {
  public: [],
  'read-project': ['admin', 'secretariat', 'project-manager', 'partner-manager', 'first-level-controller'],
  'read-programme': ['admin', 'secretariat', 'viewer'],
  admin: ['admin'],
  'register-project': ['admin', 'secretariat'],
  'approve-report': ['admin', 'secretariat', 'first-level-controller'],
  'reopen-report': ['admin', 'secretariat', 'first-level-controller'],
  'project-settings': ['admin', 'project-manager'],
  pseudonymize: ['admin', 'project-manager', 'partner-manager'],
  'submit-report': ['admin', 'project-manager', 'partner-manager'],
  output: ['admin', 'project-manager', 'partner-manager'],
  'programme-settings': ['admin', 'secretariat'],
  transmit: ['admin', 'secretariat'],
};
