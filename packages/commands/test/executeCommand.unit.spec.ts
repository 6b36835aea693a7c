import { createInMemoryEventStore } from '@il/event-store';
import { describeExecuteCommand } from './executeCommandSpec.js';

describeExecuteCommand('the in-memory event store', async () => {
  const store = createInMemoryEventStore();
  return { store, dispose: () => store.close() };
});
