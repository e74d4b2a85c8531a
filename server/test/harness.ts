// Test harness: real databases, never mocks. Each suite gets a fresh PGlite in memory and a fresh
// database on the PostgreSQL server, migrated, and drops it afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp, type Services } from '../src/app.ts';
import { testConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database, type DatabaseKind } from '../src/db/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { FixedClock } from '../src/platform/clock.ts';
import type { App } from '../src/platform/http.ts';

export const POSTGRES_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresAvailable: Promise<boolean> | undefined;

/** Whether the PostgreSQL server answers. In CI its absence is a failure, never a quiet skip. */
export function isPostgresAvailable(): Promise<boolean> {
  postgresAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      if (process.env['CI'])
        throw new Error(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} in CI`, { cause: error });
      return false;
    }
  })();
  return postgresAvailable;
}

export interface TestDatabase extends Database {
  /** Removes the database (PostgreSQL) and closes the connection. */
  drop(): Promise<void>;
}

export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  let database: Database;
  let drop: () => Promise<void>;
  if (kind === 'pglite') {
    database = await openDatabase({ dataDir: ':memory:' });
    drop = () => database.close();
  } else {
    const name = `canteen_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    database = await openDatabase({ databaseUrl: url.toString(), dataDir: ':memory:', poolSize: 20 });
    drop = async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  if (options.migrated ?? true) await migrate(database);
  return Object.assign(database, { drop });
}

export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

/**
 * Runs the same suite on PGlite and on PostgreSQL. `get()` returns the suite's database once
 * `beforeAll` has run. Locally, without a PostgreSQL server, the PostgreSQL half is skipped.
 */
export function describeEachDatabase(name: string, suite: (get: () => TestDatabase, kind: DatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) {
    const available = kind === 'postgres' ? process.env['CI'] || POSTGRES_PRESENT : true;
    describe.skipIf(!available)(`${name} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        if (kind === 'postgres') await isPostgresAvailable();
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

// Decided once per test file: vitest collects suites synchronously, so the check runs at import.
const POSTGRES_PRESENT = await isPostgresAvailable();

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

/** Runs a suite against an app on each database; `get()` gives the app once it is built. */
export function describeApp(
  name: string,
  suite: (get: () => TestApp, kind: DatabaseKind) => void,
  overrides: Partial<Config> = {},
): void {
  describeEachDatabase(name, (getDb, kind) => {
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
  });
}
