import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DB } from '../tables.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Where the data lives, for logs: a folder, ':memory:' or the server URL without its password. */
  location: string;
  /** Runs a multi-statement SQL script in one transaction (migrations); Kysely sends one statement at a time. */
  runScript(script: string): Promise<void>;
  /** PGlite only: the whole data folder as a tarball, to open copies of it with `loadDataDir`. */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… to use a PostgreSQL server; unset for the embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder, or ':memory:' for a throwaway database (tests). */
  dataDir: string;
  /** PGlite only: start from a tarball made by `dumpDataDir` instead of an empty cluster (tests copy one). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
  /** Told when an idle PostgreSQL connection breaks (the app logs it). */
  onIdleError?: (error: Error) => void;
}

const INT8 = 20;
const DATE = 1082;

// Identities and fen amounts are int8. They stay far below 2^53, so a JS number is exact;
// refusing anything larger turns a silent rounding into a loud error.
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`int8 value ${text} is outside the safe integer range`);
  return value;
}
// A calendar day must not pass through a Date in the server's zone.
const parseDay = (text: string): string => text;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const plugins = [new CamelCasePlugin()];
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8) return parseInt8;
          if (oid === DATE) return parseDay;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection that the server drops (a restart, a failover, DROP DATABASE in tests) emits
    // 'error' on the pool; unheard, it would crash the process. The pool replaces the connection, and
    // the next query that fails reports the problem where it happens.
    pool.on('error', (error) => options.onIdleError?.(error));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
    const url = new URL(options.databaseUrl);
    url.password = '';
    const runScript = async (script: string): Promise<void> => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // No parameters: pg uses the simple query protocol, which accepts many statements.
        await client.query(script);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    return { db, kind: 'postgres', location: url.toString(), runScript, close: () => db.destroy() };
  }
  const memory = options.dataDir === ':memory:';
  const pgliteOptions = { parsers: { [INT8]: parseInt8, [DATE]: parseDay }, loadDataDir: options.loadDataDir };
  // PGlite.create(undefined, options) drops the parsers; an in-memory database takes options alone.
  const pglite = await (memory ? PGlite.create(pgliteOptions) : PGlite.create(options.dataDir, pgliteOptions));
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), plugins });
  // Kysely's destroy closes PGlite, which flushes its data folder: never skip it on shutdown.
  const runScript = async (script: string): Promise<void> => {
    await pglite.transaction(async (tx) => {
      await tx.exec(script);
    });
  };
  return {
    db,
    kind: 'pglite',
    location: options.dataDir,
    runScript,
    dumpDataDir: () => pglite.dumpDataDir('none'),
    close: () => db.destroy(),
  };
}
