import { startEmbeddedPostgres, type RunningPostgres } from './embedded/embeddedPostgres.js';

export interface DatabaseConfig {
  /** A PostgreSQL 14+ server; when absent, an embedded one is started on `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  onLog?: (line: string) => void;
}

export interface Database {
  connectionString: string;
  embedded: boolean;
  /** Stops the embedded server; a no-op for an external one. */
  stop(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.databaseUrl) return { connectionString: config.databaseUrl, embedded: false, stop: async () => undefined };
  const running: RunningPostgres = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    ...(config.onLog ? { onLog: config.onLog } : {}),
  });
  return { connectionString: running.connectionString, embedded: true, stop: () => running.stop() };
}
