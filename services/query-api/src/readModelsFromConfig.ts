import { createPostgresReadModels, type ReadModels } from '@il/projections';
import type { ServiceContext } from '@il/runtime';

/** The read models the configuration selects; MongoDB's driver is loaded only when selected. */
export async function openReadModels({ config, store, connectionString }: Pick<ServiceContext, 'config' | 'store' | 'connectionString'>): Promise<ReadModels> {
  if (config.READ_MODELS === 'mongodb') {
    const { createMongoReadModels } = await import('@il/projections-mongodb');
    return createMongoReadModels({ url: config.MONGODB_URL!, database: config.MONGODB_DATABASE, store });
  }
  return createPostgresReadModels({ connectionString, store });
}
