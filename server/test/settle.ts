// For suites that open many pool connections at once (the money suites).
import pg from 'pg';
import { POSTGRES_ADMIN_URL, type TestDatabase } from './harness.ts';

/**
 * These suites open many pool connections at once. Closing the pool resolves before every socket is gone,
 * and the harness's DROP DATABASE … WITH (FORCE) then kills the stragglers, which pg reports as unhandled
 * errors; so close first and wait until the server has let every connection go.
 */
export async function closeAndSettle(database: TestDatabase): Promise<void> {
  if (database.kind !== 'postgres') return;
  await database.close();
  const name = new URL(database.location).pathname.slice(1);
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (!rows[0]?.n) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
}
