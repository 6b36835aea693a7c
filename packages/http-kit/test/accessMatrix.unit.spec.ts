import { expect } from 'chai';
import {
  assertMayReadProgramme,
  assertMayReadProject,
  assertMayAdminister,
  assertMayManageProgramme,
  assertMayWrite,
  HttpError,
  rolesFor,
  type Access,
  type Actor,
} from '../src/index.js';

/**
 * The access table of the product, written out: for every role (with its scope in the project LLI-317 of LV-LT, on
 * partner PP5 in LV) and every kind of operation, whether it is allowed. The functions that decide must agree with it,
 * and so must the roles each operation lists in the OpenAPI document (rolesFor, `x-roles`).
 */
const actors: Record<string, Actor> = {
  admin: { id: 'a', roles: ['admin'] },
  secretariat: { id: 's', roles: ['secretariat'], programmeId: 'LV-LT' },
  'project-manager': { id: 'pm', roles: ['project-manager'], projectId: 'LLI-317' },
  'partner-manager': { id: 'pp', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP5' },
  'first-level-controller': { id: 'flc', roles: ['first-level-controller'], programmeId: 'LV-LT', country: 'LV' },
  viewer: { id: 'v', roles: ['viewer'], programmeId: 'LV-LT' },
};

type Operation = { access: Access; partner?: boolean };
/** `partner`: the operation is about partner PP5 (its output, its partner report); else the project as a whole. */
const operations: Record<string, Operation> = {
  'read a project': { access: 'read-project' },
  'read programme aggregates': { access: 'read-programme' },
  administer: { access: 'admin' },
  'register a project': { access: 'register-project' },
  'change project settings': { access: 'project-settings' },
  "record a partner's output": { access: 'output', partner: true },
  "submit a partner's report": { access: 'submit-report', partner: true },
  'submit the project report': { access: 'submit-report' },
  "certify a partner's report": { access: 'approve-report', partner: true },
  'verify the project report': { access: 'approve-report' },
  "reopen a partner's report": { access: 'reopen-report', partner: true },
  'reopen the project report': { access: 'reopen-report' },
  'make pseudonyms': { access: 'pseudonymize' },
  'set programme targets': { access: 'programme-settings' },
  'make a transmission': { access: 'transmit' },
};

const Y = true;
const n = false;
// prettier-ignore
const table: Record<string, Record<keyof typeof actors, boolean>> = {
  //                                   admin secretariat project-manager partner-manager first-level-controller viewer
  'read a project':                  { admin: Y, secretariat: Y, 'project-manager': Y, 'partner-manager': Y, 'first-level-controller': Y, viewer: n },
  'read programme aggregates':       { admin: Y, secretariat: Y, 'project-manager': n, 'partner-manager': n, 'first-level-controller': n, viewer: Y },
  administer:                        { admin: Y, secretariat: n, 'project-manager': n, 'partner-manager': n, 'first-level-controller': n, viewer: n },
  'register a project':              { admin: Y, secretariat: Y, 'project-manager': n, 'partner-manager': n, 'first-level-controller': n, viewer: n },
  'change project settings':         { admin: Y, secretariat: n, 'project-manager': Y, 'partner-manager': n, 'first-level-controller': n, viewer: n },
  "record a partner's output":       { admin: Y, secretariat: n, 'project-manager': Y, 'partner-manager': Y, 'first-level-controller': n, viewer: n },
  "submit a partner's report":       { admin: Y, secretariat: n, 'project-manager': n, 'partner-manager': Y, 'first-level-controller': n, viewer: n },
  'submit the project report':       { admin: Y, secretariat: n, 'project-manager': Y, 'partner-manager': n, 'first-level-controller': n, viewer: n },
  "certify a partner's report":      { admin: Y, secretariat: n, 'project-manager': n, 'partner-manager': n, 'first-level-controller': Y, viewer: n },
  'verify the project report':       { admin: Y, secretariat: Y, 'project-manager': n, 'partner-manager': n, 'first-level-controller': n, viewer: n },
  "reopen a partner's report":       { admin: Y, secretariat: n, 'project-manager': n, 'partner-manager': n, 'first-level-controller': Y, viewer: n },
  'reopen the project report':       { admin: Y, secretariat: Y, 'project-manager': n, 'partner-manager': n, 'first-level-controller': n, viewer: n },
  'make pseudonyms':                 { admin: Y, secretariat: n, 'project-manager': Y, 'partner-manager': Y, 'first-level-controller': n, viewer: n },
  'set programme targets':           { admin: Y, secretariat: Y, 'project-manager': n, 'partner-manager': n, 'first-level-controller': n, viewer: n },
  'make a transmission':             { admin: Y, secretariat: Y, 'project-manager': n, 'partner-manager': n, 'first-level-controller': n, viewer: n },
};

function allowed(actor: Actor, op: Operation): boolean {
  const target = {
    programmeId: 'LV-LT',
    projectId: 'LLI-317',
    partners: op.partner ? ['PP5'] : [],
    countries: op.partner ? ['LV'] : [],
  };
  try {
    if (op.access === 'read-project') assertMayReadProject(actor, target);
    else if (op.access === 'read-programme') assertMayReadProgramme(actor, 'LV-LT');
    else if (op.access === 'admin') assertMayAdminister(actor);
    else if (op.access === 'public') return true;
    else if (op.access === 'programme-settings' || op.access === 'transmit')
      assertMayManageProgramme(actor, 'LV-LT', op.access);
    else assertMayWrite(actor, { ...target, action: op.access });
    return true;
  } catch (e) {
    expect(e).to.be.instanceOf(HttpError);
    return false;
  }
}

describe('the access table', () => {
  for (const [name, op] of Object.entries(operations)) {
    it(`${name}: as the table says, for every role`, () => {
      const got = Object.fromEntries(Object.entries(actors).map(([role, actor]) => [role, allowed(actor, op)]));
      expect(got).to.deep.equal(table[name]);
    });
  }

  it('lists in the document (x-roles) exactly the roles the table allows each kind of operation', () => {
    const byAccess = new Map<Access, Set<string>>();
    for (const [name, op] of Object.entries(operations)) {
      const set = byAccess.get(op.access) ?? new Set<string>();
      for (const [role, yes] of Object.entries(table[name]!)) if (yes) set.add(role);
      byAccess.set(op.access, set);
    }
    for (const [access, roles] of byAccess)
      expect([...rolesFor[access]].sort(), access).to.deep.equal([...roles].sort());
    expect([...byAccess.keys()].sort()).to.deep.equal(
      (Object.keys(rolesFor) as Access[]).filter((a) => a !== 'public').sort(),
    );
  });

  it('keeps first-level control to its country and its programme, or to its one partner', () => {
    const lt = { ...actors['first-level-controller']!, country: 'LT' };
    const report = { projectId: 'LLI-317', partners: ['PP5'], action: 'approve-report' as const };
    expect(allowed(lt, operations["certify a partner's report"]!)).to.equal(false);
    expect(() => assertMayWrite(lt, { ...report, programmeId: 'LV-LT', countries: ['LT'] })).to.not.throw();
    expect(() => assertMayWrite(lt, { ...report, programmeId: 'EE-LV', countries: ['LT'] })).to.throw(HttpError);
    const own: Actor = { id: 'f', roles: ['first-level-controller'], projectId: 'LLI-317', partner: 'PP7' };
    expect(() => assertMayWrite(own, { ...report, programmeId: 'LV-LT', partners: ['PP7'] })).to.not.throw();
    expect(() => assertMayWrite(own, { ...report, programmeId: 'LV-LT' })).to.throw(HttpError);
  });
});
