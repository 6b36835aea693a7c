import { expect } from 'chai';
import { violationsOf } from './documentedResponses.js';

/** The check every e2e response goes through (hooks.ts) finds what it is there to find. */
describe('responses outside the document are found', () => {
  const doc = {
    paths: {
      '/v1/projects/{projectId}': { get: { responses: { '200': {}, '404': {} } } },
      '/v1/typed/{id}': { get: { responses: { '200': {}, '404': { 'x-problem-types': ['not-found'] } } } },
      '/v1/projects/behind': { get: { responses: { '200': {} } } },
      '/v1/things': {
        post: {
          responses: {
            '201': {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { id: { type: 'string' } },
                    required: ['id'],
                    additionalProperties: false,
                  },
                },
              },
            },
          },
        },
      },
    },
  };
  const problem = (status: number, body: unknown, type = 'application/problem+json') =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

  it('passes a documented status and a well-formed problem', async () => {
    expect(await violationsOf(doc, 'GET', '/v1/projects/LLI-317', new Response('{}', { status: 200 }))).to.deep.equal(
      [],
    );
    const notFound = problem(404, { type: 'x', title: 'Not found', status: 404 });
    expect(await violationsOf(doc, 'GET', '/v1/projects/LLI-317', notFound)).to.deep.equal([]);
  });

  it('finds an undocumented status, a problem as JSON, and a problem without its members', async () => {
    expect(await violationsOf(doc, 'GET', '/v1/projects/LLI-317', new Response('{}', { status: 418 }))).to.have.length(
      2,
    );
    const asJson = problem(404, { type: 'x', title: 'Not found', status: 404 }, 'application/json');
    expect((await violationsOf(doc, 'GET', '/v1/projects/LLI-317', asJson))[0]).to.match(
      /a problem as application\/json/,
    );
    const bare = problem(404, { detail: 'gone' });
    expect(await violationsOf(doc, 'GET', '/v1/projects/LLI-317', bare)).to.have.length(4);
  });

  it('finds a problem whose type its status does not list', async () => {
    const typed = (type: string) => problem(404, { type, title: 'Not found', status: 404 });
    expect(
      await violationsOf(doc, 'GET', '/v1/typed/a', typed('https://indicator-ledger.dev/problems/not-found')),
    ).to.deep.equal([]);
    expect(
      await violationsOf(doc, 'GET', '/v1/typed/a', typed('https://indicator-ledger.dev/problems/gone')),
    ).to.deep.equal(['GET /v1/typed/{id} → 404: problem type gone not documented']);
  });

  it('takes the most literal template, and leaves what is no operation of the document alone', async () => {
    const notFound = problem(404, { type: 'x', title: 'Not found', status: 404 });
    expect(await violationsOf(doc, 'GET', '/v1/projects/behind', notFound)).to.deep.equal([
      'GET /v1/projects/behind → 404: status not documented',
    ]);
    expect(await violationsOf(doc, 'DELETE', '/v1/projects/LLI-317', new Response('', { status: 405 }))).to.deep.equal(
      [],
    );
  });

  it('checks a success body against its schema: a missing, a mistyped and an undocumented field', async () => {
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { status: 201, headers: { 'content-type': 'application/json' } });
    expect(await violationsOf(doc, 'POST', '/v1/things', json({ id: 'a' }))).to.deep.equal([]);
    expect(await violationsOf(doc, 'POST', '/v1/things', json({}))).to.have.length(1);
    expect(await violationsOf(doc, 'POST', '/v1/things', json({ id: 1 }))).to.have.length(1);
    expect(await violationsOf(doc, 'POST', '/v1/things', json({ id: 'a', extra: true }))).to.have.length(1);
  });

  it('finds a success in a content type the document does not name for it', async () => {
    const csv = new Response('id\r\na\r\n', { status: 201, headers: { 'content-type': 'text/csv; charset=utf-8' } });
    expect(await violationsOf(doc, 'POST', '/v1/things', csv)).to.deep.equal([
      'POST /v1/things → 201: content type text/csv not documented',
    ]);
    const json = new Response('{"id":"a"}', {
      status: 201,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(await violationsOf(doc, 'POST', '/v1/things', json)).to.deep.equal([]);
  });
});
