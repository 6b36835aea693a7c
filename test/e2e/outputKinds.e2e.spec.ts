import { expect } from 'chai';
import { outputKinds, outputTypes, pathFieldOf, type OutputKindSpec } from '@il/domain';
import { startTestSystem, type TestSystem } from './testSystem.js';

const openApiPath = (path: string) => `/v1/projects/{projectId}/${path}`;

describe('output kinds: every kind of the domain table is served and documented', function () {
  this.timeout(120_000);
  let t: TestSystem;
  let paths: Record<string, Record<string, { summary?: string; requestBody?: unknown }>>;
  before(async () => {
    t = await startTestSystem();
    paths = ((await (await fetch(`${t.url}/openapi.json`)).json()) as { paths: typeof paths }).paths;
  });
  after(async () => t?.stop());

  it('has a documented POST route with a body for every kind', () => {
    for (const type of outputTypes) {
      const op = paths[openApiPath(outputKinds[type].path)]?.['post'];
      expect(op, `POST …/${outputKinds[type].path}`).to.not.equal(undefined);
      expect(op?.summary, type).to.include(type);
      expect(op?.requestBody, type).to.not.equal(undefined);
    }
  });

  it('has a GET route by unique key for every kind recorded under one in a plain collection', () => {
    for (const type of outputTypes) {
      const kind = outputKinds[type] as OutputKindSpec;
      if (!kind.uniqueKey || pathFieldOf(kind)) continue;
      expect(paths[openApiPath(`${kind.path}/{${kind.uniqueKey.field}}`)]?.['get'], type).to.not.equal(undefined);
    }
  });
});
