import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '@il/event-store/contract';
import { engineUrl } from '@il/event-store/testing';
import { createKurrentEventStore } from '../src/index.js';

const { url, skipReason } = engineUrl('KURRENTDB_URL');

// Each run writes under its own stream prefix, so a shared server is an "empty database" for the suite.
describeEventStoreContract(
  'kurrentdb',
  async () => {
    const store = createKurrentEventStore({ connectionString: url!, namespace: `t${randomUUID().slice(0, 8)}-` });
    return { store, dispose: () => store.close() };
  },
  { skipReason },
);
