import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';

describeEachDatabase('column types as the code sees them', (get) => {
  it('reads a calendar day as text, so it never shifts with the server zone', async () => {
    const { rows } = await sql<{ day: unknown }>`SELECT DATE '2026-03-01' AS day`.execute(get().db);
    expect(rows[0]?.day).toBe('2026-03-01');
  });

  it('reads int8 as an exact number and refuses one past 2^53', async () => {
    const { rows } = await sql<{ n: unknown }>`SELECT 9007199254740991::int8 AS n`.execute(get().db);
    expect(rows[0]?.n).toBe(Number.MAX_SAFE_INTEGER);
    await expect(sql`SELECT 9007199254740993::int8 AS n`.execute(get().db)).rejects.toThrow(/safe integer/);
  });

  it('reads timestamptz as a Date at the same instant', async () => {
    const { rows } = await sql<{ at: Date }>`SELECT TIMESTAMPTZ '2026-03-01 09:59:59+08' AS at`.execute(get().db);
    expect(rows[0]?.at.toISOString()).toBe('2026-03-01T01:59:59.000Z');
  });
});
