// The databases of one test run. global-setup.ts migrates a PostgreSQL template database and a PGlite
// snapshot once per run; the harness gives each suite a copy of one of them (README.md in this folder).
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/index.ts';
import { migrate } from '../src/db/migrate.ts';

export const POSTGRES_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** What global setup hands to the test workers. */
export interface RunDatabases {
  /** Pid of the vitest process: every database of the run is named after it (see `runDatabaseName`). */
  runPid: number;
  /** The migrated template on the PostgreSQL server, or null when there is no server (never in CI). */
  postgresTemplate: string | null;
  /** File holding a migrated PGlite data folder (a `dumpDataDir` tarball). */
  pgliteSnapshot: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    testDatabases: RunDatabases;
  }
}

const PREFIX = 'canteen_test_';

/**
 * `canteen_test_<pid of the run>_<suffix>`: the pid lets a later run tell a database whose run crashed
 * from one whose run is still going (other checkouts share the server), and lets teardown drop the lot.
 */
export function runDatabaseName(runPid: number, suffix: string): string {
  return `${PREFIX}${runPid}_${suffix}`;
}

export function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on a short-lived connection to the server's maintenance database. */
export async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether the PostgreSQL server answers. In CI its absence is a failure, never a quiet skip. */
export async function isPostgresAvailable(): Promise<boolean> {
  try {
    await withPostgresAdmin(async () => undefined);
    return true;
  } catch (error) {
    if (process.env['CI'])
      throw new Error(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} in CI`, { cause: error });
    return false;
  }
}

/** Migrates a fresh database on the server and closes it to connections, so suites can copy it. */
export async function createPostgresTemplate(runPid: number): Promise<string> {
  const name = runDatabaseName(runPid, 'template');
  await withPostgresAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const database = await openDatabase({ databaseUrl: postgresUrl(name), dataDir: ':memory:', poolSize: 1 });
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
  // CREATE DATABASE … TEMPLATE refuses a source with open connections: no one may connect to it by mistake.
  await withPostgresAdmin((admin) => admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
  return name;
}

/**
 * Migrates an in-memory PGlite, lets `fill` add to it, and writes its data folder to `file`: whole, then
 * renamed, so a file that exists is complete.
 */
export async function writePgliteSnapshot(
  file: string,
  fill: (database: Database) => Promise<void> = async () => {},
): Promise<void> {
  const database = await openDatabase({ dataDir: ':memory:' });
  try {
    await migrate(database);
    await fill(database);
    if (!database.dumpDataDir) throw new Error('PGlite gave no way to dump its data folder');
    const tarball = await database.dumpDataDir();
    await writeFile(`${file}.${process.pid}`, new Uint8Array(await tarball.arrayBuffer()));
    await rename(`${file}.${process.pid}`, file);
  } finally {
    await database.close();
  }
}

/** Drops every database of the run `runPid` (teardown; and leftovers of a run that crashed). */
export async function dropRunDatabases(runPid: number): Promise<void> {
  await withPostgresAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [runDatabaseName(runPid, '')],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}

/**
 * Drops the databases that crashed runs left behind: named `canteen_test_<pid>_…` for a process that no
 * longer exists, with nobody connected. Pids only mean something on this machine, so this runs only
 * when the server is local; a run that ends normally drops its own in teardown.
 */
export async function dropStaleDatabases(): Promise<void> {
  const host = new URL(POSTGRES_ADMIN_URL).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', ''].includes(host)) return;
  await withPostgresAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database d
        WHERE starts_with(datname, $1)
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
      [PREFIX],
    );
    for (const { datname } of rows) {
      const pid = Number(/^canteen_test_(\d+)_/.exec(datname)?.[1]);
      if (!pid || isProcessAlive(pid)) continue;
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${datname}`);
      } catch {
        // Someone connected in the meantime: it is not stale after all.
      }
    }
  });
}

/**
 * A temporary folder for the files of this run, `<prefix>-<pid>-…`. Teardown removes it; the folders of
 * runs that crashed (their process is gone) are removed here first.
 */
export async function createRunFolder(prefix: string): Promise<string> {
  for (const entry of await readdir(tmpdir())) {
    const pid = Number(new RegExp(`^${prefix}-(\\d+)-`).exec(entry)?.[1]);
    if (pid && !isProcessAlive(pid)) await rm(path.join(tmpdir(), entry), { recursive: true, force: true });
  }
  return mkdtemp(path.join(tmpdir(), `${prefix}-${process.pid}-`));
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
