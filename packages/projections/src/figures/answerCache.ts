import { LRUCache } from 'lru-cache';
import type { ViewQueries, ViewVersion } from '../port/readModels.js';

const sameVersion = (a: ViewVersion, b: ViewVersion) =>
  a.revision === b.revision && a.generation === b.generation && a.format === b.format;

/**
 * The project and programme questions answered once per view version: a question asked again while its project's
 * (or programme's) views are at the version its scope read gives the answer computed then, without reading the
 * cells again. Valid by construction, not by timing: an entry is used only for exactly the version it was computed
 * at (see ViewVersion), and an answer computed from views newer than the scope's version is still an answer for a
 * state current during the request. Questions without a version (engines that do not version their views) pass
 * through. Bounded: the least recently used answers go first.
 *
 * An answer is kept as its JSON text and parsed again when reused: the text is one heap object where the answer's
 * tree is hundreds, and every full garbage collection marks what the cache holds; after a write burst, when every
 * project's answer is replaced, the replaced trees were also most of what was promoted and collected (the
 * benchmark row "project, right after the writes"). Parsing a reused answer costs tens of microseconds, and what it
 * allocates dies young. Answers are plain JSON data, so the text gives back what was put in, as a response shows it.
 */
export function cachedAnswers(inner: ViewQueries, capacity = 4000): ViewQueries {
  const answers = new LRUCache<string, { version: ViewVersion; text: string }>({ max: capacity });
  async function cached<T extends object>(
    key: string,
    version: ViewVersion | undefined,
    compute: () => Promise<T>,
  ): Promise<T> {
    if (!version) return compute();
    const hit = answers.get(key);
    if (hit && sameVersion(hit.version, version)) return JSON.parse(hit.text) as T;
    const answer = await compute();
    answers.set(key, { version, text: JSON.stringify(answer) });
    return answer;
  }
  return {
    ...inner,
    projectIndicators: (projectId, q) =>
      cached(JSON.stringify(['project', projectId, q.periodId, q.partner, q.basis, q.asOf, q.today]), q.version, () =>
        inner.projectIndicators(projectId, q),
      ),
    programmeIndicators: (programmeId, q) =>
      cached(
        JSON.stringify(['programme', programmeId, q.groupBy, q.from, q.to, q.asOf, q.granularity, q.basis]),
        q.version,
        () => inner.programmeIndicators(programmeId, q),
      ),
  };
}
