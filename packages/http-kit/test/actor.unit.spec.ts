import { expect } from 'chai';
import { assertMayWrite, HttpError, type Actor } from '../src/index.js';

const target = { programmeId: 'LV-LT', projectId: 'LLI-317', partners: ['PP5'] };
/** true, or the status of the refusal: 403 (in scope, not allowed) or 404 (outside the caller's scope). */
const may = (actor: Actor, t: Parameters<typeof assertMayWrite>[1] = target): true | number => {
  try {
    assertMayWrite(actor, t);
    return true;
  } catch (e) {
    expect(e).to.be.instanceOf(HttpError);
    return (e as HttpError).status;
  }
};

describe('write authorisation check point', () => {
  it('lets admins write anywhere', () => {
    expect(may({ id: 'a', roles: ['admin'] })).to.equal(true);
  });

  it('lets a project manager write for any partner of their own project only', () => {
    expect(may({ id: 'pm', roles: ['project-manager'], projectId: 'LLI-317' })).to.equal(true);
    expect(
      may({ id: 'pm', roles: ['project-manager'], projectId: 'LLI-425' }),
      'another project: as if it did not exist',
    ).to.equal(404);
  });

  it('lets a partner manager write only for their own partner in their own project', () => {
    expect(may({ id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP5' })).to.equal(true);
    expect(may({ id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP2' })).to.equal(403);
    expect(
      may(
        { id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP5' },
        { projectId: 'LLI-317', partners: ['PP5', 'PP2'] },
      ),
    ).to.equal(403);
    expect(
      may(
        { id: 'v', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP5' },
        { projectId: 'LLI-317', partners: [] },
      ),
    ).to.equal(403);
    expect(may({ id: 'v', roles: ['partner-manager'], projectId: 'LLI-425', partner: 'PP5' })).to.equal(404);
  });

  it('never lets viewers or the secretariat record outputs', () => {
    expect(may({ id: 'g', roles: ['viewer'] }), 'a viewer sees no project').to.equal(404);
    expect(
      may({ id: 's', roles: ['secretariat'], programmeId: 'LV-LT' }),
      'its own programme: visible, not writable',
    ).to.equal(403);
    expect(may({ id: 's', roles: ['secretariat'], programmeId: 'EE-LV' })).to.equal(404);
  });
});
