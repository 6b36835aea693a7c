import { expect } from 'chai';
import { ProblemError, titleOf } from '../src/index.js';

describe('ProblemError', () => {
  it('becomes a problem with its slug, status title, detail, field issues and extensions', () => {
    const e = new ProblemError(
      'concurrency-conflict',
      409,
      'stream moved on',
      [{ path: 'version', message: 'stale' }],
      {
        currentVersion: 4,
      },
    );
    expect(e.toProblem()).to.deep.equal({
      type: 'concurrency-conflict',
      title: 'Conflict',
      status: 409,
      detail: 'stream moved on',
      errors: [{ path: 'version', message: 'stale' }],
      currentVersion: 4,
    });
  });

  it('leaves errors out when there are none, and an extension cannot overwrite the standard members', () => {
    const p = new ProblemError('not-found', 404, 'no such camp', [], { status: 200, type: 'x' }).toProblem();
    expect(p).to.deep.equal({ type: 'not-found', title: 'Not found', status: 404, detail: 'no such camp' });
    expect(titleOf(599)).to.equal('Error');
  });

  it('names the subclass', () => {
    class NotFound extends ProblemError {}
    expect(new NotFound('not-found', 404, 'x').name).to.equal('NotFound');
  });
});
