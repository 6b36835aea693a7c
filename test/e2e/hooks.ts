import { mochaHooks as database } from '@il/event-store-postgres/testing';
import { installResponseCheck, responseCheckReport } from './documentedResponses.js';

installResponseCheck();

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    await database.afterAll.call(this);
    const { checked, violations } = responseCheckReport();
    console.log(`\nresponses checked against the documents the systems serve: ${checked}`);
    if (violations.length > 0)
      throw new Error(`${violations.length} kinds of response outside the document:\n${violations.join('\n')}`);
  },
};
