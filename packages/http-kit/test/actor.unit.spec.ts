import { expect } from 'chai';
import { assertMayWrite, HttpError, type Actor } from '../src/index.js';

const target = { projectId: 'LLI-317', partners: ['PP5'] };
const may = (actor: Actor, t = target) => {
  try {
    assertMayWrite(actor, t);
    return true;
  } catch (e) {
    expect(e).to.be.instanceOf(HttpError).with.property('status', 403);
    return false;
  }
};

describe('write authorisation check point', () => {
  it('lets admins write anywhere', () => {
    expect(may({ id: 'a', roles: ['admin'] })).to.equal(true);
  });

  it('lets a project manager write for any partner of their own project only', () => {
    expect(may({ id: 'pm', roles: ['project-manager'], projectId: 'LLI-317' })).to.equal(true);
    expect(may({ id: 'pm', roles: ['project-manager'], projectId: 'LLI-425' })).to.equal(false);
  });

  it('lets a partner manager write only for their own partner in their own project', () => {
    expect(may({ id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP5' })).to.equal(true);
    expect(may({ id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP2' })).to.equal(false);
    expect(may({ id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP5' }, { projectId: 'LLI-317', partners: ['PP5', 'PP2'] })).to.equal(false);
    expect(may({ id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP5' }, { projectId: 'LLI-317', partners: [] })).to.equal(false);
  });

  it('never lets viewers or the secretariat record outputs', () => {
    expect(may({ id: 'g', roles: ['viewer'] })).to.equal(false);
    expect(may({ id: 's', roles: ['secretariat'], programmeId: 'LV-LT' })).to.equal(false);
  });
});
