// Test harness: real databases, never mocks. Each suite gets its own database, a copy of the one that
// global-setup.ts migrated once for the run: a PGlite loaded from the migrated snapshot, and a database
// on the PostgreSQL server made with CREATE DATABASE … TEMPLATE. `drop()` removes it afterwards.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { buildApp, type Services } from '../src/app.ts';
import { testConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database, type DatabaseKind } from '../src/db/index.ts';
import { FixedClock } from '../src/platform/clock.ts';
import type { App } from '../src/platform/http.ts';
import { postgresUrl, runDatabaseName, withPostgresAdmin } from './databases.ts';

export { POSTGRES_ADMIN_URL } from './databases.ts';

const run = inject('testDatabases');
if (!run) throw new Error('the test databases are not set up: run the server tests through vitest.config.ts');

/** Whether suites run on PostgreSQL too. Without a server they run on PGlite only (never in CI). */
const POSTGRES_PRESENT = run.postgresTemplate !== null;

let pgliteSnapshot: Promise<Blob> | undefined;

export interface TestDatabase extends Database {
  /** Removes the database (PostgreSQL) and closes the connection. */
  drop(): Promise<void>;
}

/** A database of its own for a suite: migrated (a copy of the run's template) unless `migrated: false`. */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (kind === 'pglite') {
    pgliteSnapshot ??= readFile(run.pgliteSnapshot).then((bytes) => new Blob([bytes]));
    const database = await openDatabase({
      dataDir: ':memory:',
      loadDataDir: migrated ? await pgliteSnapshot : undefined,
    });
    return Object.assign(database, { drop: () => database.close() });
  }
  const template = run.postgresTemplate;
  if (template === null) throw new Error('no PostgreSQL server for the tests');
  const name = runDatabaseName(run.runPid, randomBytes(4).toString('hex'));
  await withPostgresAdmin((admin) => admin.query(`CREATE DATABASE ${name}${migrated ? ` TEMPLATE ${template}` : ''}`));
  const database = await openDatabase({ databaseUrl: postgresUrl(name), dataDir: ':memory:', poolSize: 20 });
  const drop = async (): Promise<void> => {
    await database.close();
    await withPostgresAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return Object.assign(database, { drop });
}

export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

/**
 * For a suite too costly to run twice whose SQL other suites run on both databases: PostgreSQL when
 * there is a server (always in CI), PGlite otherwise.
 */
export const ONE_DATABASE: DatabaseKind[] = [POSTGRES_PRESENT ? 'postgres' : 'pglite'];

/**
 * Runs the same suite on PGlite and on PostgreSQL (or on `kinds`). `get()` returns the suite's database
 * once `beforeAll` has run. Locally, without a PostgreSQL server, the PostgreSQL half is skipped.
 */
export function describeEachDatabase(
  name: string,
  suite: (get: () => TestDatabase, kind: DatabaseKind) => void,
  kinds: DatabaseKind[] = DATABASE_KINDS,
): void {
  for (const kind of kinds) {
    describe.skipIf(kind === 'postgres' && !POSTGRES_PRESENT)(`${name} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(kind);
      }, 60_000);
      afterAll(async () => {
        await database?.drop();
      });
      suite(() => {
        if (!database) throw new Error('the test database is not ready');
        return database;
      }, kind);
    });
  }
}

export interface TestApp {
  app: App;
  services: Services;
  config: Config;
  clock: FixedClock;
  database: TestDatabase;
}

export async function createTestApp(database: TestDatabase, overrides: Partial<Config> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const clock = new FixedClock(new Date('2026-03-02T01:30:00Z'));
  const { app, services } = await buildApp({ config, database, clock, logger: false });
  await app.ready();
  return { app, services, config, clock, database };
}

/** Runs a suite against an app on each database (or on `kinds`); `get()` gives the app once it is built. */
export function describeApp(
  name: string,
  suite: (get: () => TestApp, kind: DatabaseKind) => void,
  overrides: Partial<Config> = {},
  kinds: DatabaseKind[] = DATABASE_KINDS,
): void {
  describeEachDatabase(
    name,
    (getDb, kind) => {
      let testApp: TestApp | undefined;
      beforeAll(async () => {
        testApp = await createTestApp(getDb(), overrides);
      }, 60_000);
      afterAll(async () => {
        await testApp?.app.close();
      });
      suite(() => {
        if (!testApp) throw new Error('the test app is not ready');
        return testApp;
      }, kind);
    },
    kinds,
  );
}
