import type { BackgroundErrors, ReadModels } from '@il/projections';
import { createPostgresReadModels } from '@il/projections-postgres';
import type { ServiceContext } from '@il/runtime';

/** The read models the configuration selects; MongoDB's driver is loaded only when selected. */
export async function openReadModels({
  config,
  store,
  connectionString,
  log,
}: Pick<ServiceContext, 'config' | 'store' | 'connectionString' | 'log'>): Promise<ReadModels> {
  const onError: BackgroundErrors = (source, e) =>
    log({ level: 'error', msg: `${source} failed; retrying`, error: e instanceof Error ? e.message : String(e) });
  if (config.READ_MODELS === 'mongodb') {
    const { createMongoReadModels } = await import('@il/projections-mongodb');
    return createMongoReadModels({ url: config.MONGODB_URL!, database: config.MONGODB_DATABASE, store, onError });
  }
  return createPostgresReadModels({ connectionString, store, onError });
}
