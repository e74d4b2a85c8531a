import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Database } from './index.ts';

// Forward-only: a migration, once applied anywhere, is never edited or undone. A fix is a new file.
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
// Any constant works; it only has to be the same for every instance of this application.
const MIGRATION_LOCK = 7_263_541;

export interface Migration {
  name: string;
  checksum: string;
  script: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const script = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8');
      return { name: file.replace(/\.sql$/, ''), checksum: sha256(script), script };
    }),
  );
}

async function ensureLedgerTable(database: Database): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(database.db);
}

async function readApplied(database: Database): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; checksum: string }>`SELECT name, checksum FROM schema_migrations`.execute(
    database.db,
  );
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

export async function migrationStatus(database: Database): Promise<MigrationStatus> {
  const all = await loadMigrations();
  const { rows } = await sql<{
    exists: boolean;
  }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`.execute(database.db);
  const applied = rows[0]?.exists ? await readApplied(database) : new Map<string, string>();
  return {
    applied: all.filter((m) => applied.has(m.name)).map((m) => m.name),
    pending: all.filter((m) => !applied.has(m.name)).map((m) => m.name),
  };
}

/**
 * Applies every pending migration, each in its own transaction together with its bookkeeping row.
 * Several instances may start at once on one PostgreSQL: the advisory lock makes them take turns,
 * and the primary key on schema_migrations makes the loser roll back and find the work done.
 */
export async function migrate(database: Database, log: (line: string) => void = () => {}): Promise<string[]> {
  await ensureLedgerTable(database);
  // Read once: a restart finds everything applied in one query. One that another instance applies
  // meanwhile fails here on schema_migrations' primary key and is then found applied (below).
  const applied = await readApplied(database);
  const done: string[] = [];
  for (const migration of await loadMigrations()) {
    const known = applied.get(migration.name);
    if (known !== undefined) {
      if (known !== migration.checksum) {
        throw new Error(
          `migration ${migration.name} was changed after it was applied; migrations are forward-only: add a new file instead`,
        );
      }
      continue;
    }
    const lock = database.kind === 'postgres' ? `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK});\n` : '';
    const record = `INSERT INTO schema_migrations (name, checksum) VALUES ('${migration.name}', '${migration.checksum}');\n`;
    try {
      await database.runScript(lock + record + migration.script);
    } catch (error) {
      if ((await readApplied(database)).get(migration.name) === migration.checksum) continue;
      throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
    done.push(migration.name);
    log(`applied migration ${migration.name}`);
  }
  return done;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
