import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPerson } from '../../../test/factories.ts';
import { describeEachDatabase, type TestDatabase } from '../../../test/harness.ts';
import { cashier, moneyServices, sale, walletWith, type MoneyServices } from '../../../test/money.ts';
import { closeAndSettle } from '../../../test/settle.ts';

async function journalSize(database: TestDatabase) {
  const { rows } = await sql<{ entries: number; postings: number; outbox: number }>`
    SELECT (SELECT count(*) FROM journal_entries)::int AS entries, (SELECT count(*) FROM postings)::int AS postings,
           (SELECT count(*) FROM outbox_messages)::int AS outbox`.execute(database.db);
  return rows[0]!;
}

describeEachDatabase('ledger core', (get, kind) => {
  let s: MoneyServices;
  beforeAll(() => {
    s = moneyServices(get());
  });
  afterAll(() => closeAndSettle(get()));

  /** ledger_post called directly, as a module that got its lines wrong would call it. */
  const post = (hospitalId: number, accountIds: number[], amounts: number[]) =>
    sql`SELECT ledger_post(${hospitalId}, 'top_up', '', NULL, NULL, '{}', NULL, false, NULL, now(), NULL,
          ${`{${accountIds.join(',')}}`}::bigint[], ${`{${amounts.join(',')}}`}::bigint[])`.execute(get().db);

  const walletOf = async (personId: number) =>
    get().db.selectFrom('wallets').selectAll().where('personId', '=', personId).executeTakeFirstOrThrow();

  describe('the journal', () => {
    it('refuses an unbalanced entry at the write path and in the database', async () => {
      const person = await walletWith(get(), s, { ownFen: 100 });
      const [wallet] = await get().db.selectFrom('wallets').selectAll().where('personId', '=', person.id).execute();
      await expect(
        post(person.hospitalId, [wallet!.ownAccountId, wallet!.subsidyAccountId], [100, -99]),
      ).rejects.toMatchObject({ code: 'LDG00', message: 'LEDGER_UNBALANCED' });
      // Around the function: a raw posting that leaves its entry unbalanced is refused by the trigger.
      const [entry] = (await sql<{ id: number }>`SELECT max(id) AS id FROM journal_entries`.execute(get().db)).rows;
      await expect(
        sql`INSERT INTO postings (entry_id, account_id, amount_fen) VALUES (${entry!.id}, ${wallet!.holdAccountId}, 1)`.execute(
          get().db,
        ),
      ).rejects.toMatchObject({ message: 'LEDGER_UNBALANCED' });
    });

    it('refuses to edit or delete history', async () => {
      await expect(sql`UPDATE postings SET amount_fen = amount_fen * 2`.execute(get().db)).rejects.toMatchObject({
        message: 'LEDGER_APPEND_ONLY',
      });
      await expect(sql`DELETE FROM journal_entries`.execute(get().db)).rejects.toMatchObject({
        message: 'LEDGER_APPEND_ONLY',
      });
    });

    it('reverses an entry once, with negated postings pointing at it', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 200 });
      const spent = await s.wallets.spend(null, sale(person.id, 500), cashier);
      const reversal = await s.ledger.reverseEntry(null, { entryId: spent.entryId, reason: '误扣' }, cashier);
      expect(await s.wallets.balances(person.id)).toMatchObject({ subsidyFen: 200, ownFen: 1000 });
      const postings = await get()
        .db.selectFrom('postings')
        .select(['entryId', 'accountId', 'amountFen'])
        .where('entryId', 'in', [spent.entryId, reversal.entryId])
        .execute();
      const original = postings.filter((p) => p.entryId === spent.entryId);
      const negated = postings.filter((p) => p.entryId === reversal.entryId);
      expect(negated.map((p) => [p.accountId, -p.amountFen]).sort()).toEqual(
        original.map((p) => [p.accountId, p.amountFen]).sort(),
      );
      await expect(
        s.ledger.reverseEntry(null, { entryId: spent.entryId, reason: 'again' }, cashier),
      ).rejects.toMatchObject({ code: 'ENTRY_ALREADY_REVERSED' });
      await expect(
        s.ledger.reverseEntry(null, { entryId: reversal.entryId, reason: 'undo' }, cashier),
      ).rejects.toMatchObject({ code: 'CANNOT_REVERSE_REVERSAL' });
    });

    it('refuses to reverse a top-up whose money is already spent', async () => {
      const person = await walletWith(get(), s);
      const topUp = await s.funding.topUp(
        null,
        { personId: person.id, amountFen: 300, source: 'test', reference: randomUUID() },
        cashier,
      );
      await s.wallets.spend(null, sale(person.id, 200), cashier);
      await expect(
        s.ledger.reverseEntry(null, { entryId: topUp.entryId, reason: 'bounced' }, cashier),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    });

    it('leaves nothing when the business transaction fails after the entry', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      const before = await journalSize(get());
      await expect(
        get()
          .db.transaction()
          .execute(async (trx) => {
            await s.wallets.spend(trx, sale(person.id, 100), cashier);
            await s.funding.topUp(
              trx,
              { personId: person.id, amountFen: 5, source: 'test', reference: randomUUID() },
              cashier,
            );
            throw new Error('the till crashed before the sale row was written');
          }),
      ).rejects.toThrow(/till crashed/);
      expect(await journalSize(get())).toEqual(before);
      expect((await s.wallets.balances(person.id)).ownFen).toBe(1000);
    });
  });

  describe('the one write path', () => {
    it('refuses lines that cancel on one account, and writes nothing', async () => {
      const person = await walletWith(get(), s, { ownFen: 100 });
      const wallet = await walletOf(person.id);
      const before = await journalSize(get());
      await expect(
        post(person.hospitalId, [wallet.ownAccountId, wallet.ownAccountId], [100, -100]),
      ).rejects.toMatchObject({ code: 'LDG00', message: 'LEDGER_UNBALANCED' });
      // Three lines where one account nets to nothing: money moves between two accounts, but the entry lies.
      await expect(
        post(
          person.hospitalId,
          [wallet.ownAccountId, wallet.ownAccountId, wallet.subsidyAccountId, wallet.holdAccountId],
          [100, -100, 50, -50],
        ),
      ).rejects.toMatchObject({ message: 'LEDGER_UNBALANCED' });
      await expect(post(person.hospitalId, [wallet.ownAccountId], [0])).rejects.toMatchObject({
        message: 'LEDGER_UNBALANCED',
      });
      expect(await journalSize(get())).toEqual(before);
      expect((await s.ledger.verify()).breaches).toEqual([]);
    });

    it('always takes a credit, even to a purse below zero, but no debit deeper into it', async () => {
      const person = await walletWith(get(), s);
      await s.wallets.spend(null, sale(person.id, 300, { allowArrears: true }), cashier);
      const wallet = await walletOf(person.id);
      const clearing = await s.ledger.hospitalAccount(null, person.hospitalId, 'topup_clearing', 'test');
      await post(person.hospitalId, [clearing, wallet.ownAccountId], [-100, 100]);
      expect((await s.wallets.balances(person.id)).ownFen).toBe(-200);
      // Moving own funds out of a purse in arrears is a debit: refused without the arrears flag.
      await expect(post(person.hospitalId, [wallet.ownAccountId, wallet.holdAccountId], [-1, 1])).rejects.toMatchObject(
        {
          message: 'INSUFFICIENT_FUNDS',
        },
      );
      expect((await s.ledger.verify()).breaches).toEqual([]);
    });
  });

  describe('verify', () => {
    it('finds nothing wrong in a healthy ledger', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 500 });
      for (let i = 0; i < 10; i++) await s.wallets.spend(null, sale(person.id, 100), cashier);
      const report = await s.ledger.verify();
      expect(report.breaches).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.entries).toBeGreaterThan(10);
    });

    it('reports a cached balance that drifted, an unbalanced entry and a negative purse', async () => {
      const person = await walletWith(get(), s, { ownFen: 100 });
      const [wallet] = await get().db.selectFrom('wallets').selectAll().where('personId', '=', person.id).execute();
      // Injected around every guard: a superuser's raw SQL with triggers off, in a transaction rolled back.
      await get()
        .db.transaction()
        .execute(async (trx) => {
          await sql`UPDATE ledger_accounts SET balance_fen = balance_fen + 7 WHERE id = ${wallet!.ownAccountId}`.execute(
            trx,
          );
          await sql`SET LOCAL session_replication_role = replica`.execute(trx);
          const { rows } = await sql<{ id: number }>`
            INSERT INTO journal_entries (hospital_id, kind, created_at) VALUES (${person.hospitalId}, 'top_up', now())
            RETURNING id`.execute(trx);
          await sql`INSERT INTO postings (entry_id, account_id, amount_fen)
                    VALUES (${rows[0]!.id}, ${wallet!.subsidyAccountId}, -5)`.execute(trx);
          await sql`UPDATE ledger_accounts SET balance_fen = balance_fen - 5 WHERE id = ${wallet!.subsidyAccountId}`.execute(
            trx,
          );
          const report = await s.ledger.verify(trx);
          expect(report.ok).toBe(false);
          expect(report.breaches.map((b) => b.kind).sort()).toEqual([
            'balance_mismatch',
            'negative_purse',
            'unbalanced_entry',
          ]);
          expect(report.breaches.find((b) => b.kind === 'balance_mismatch')?.details).toMatchObject({
            accountId: wallet!.ownAccountId,
            cachedFen: 107,
            postedFen: 100,
          });
          throw new Error('rollback');
        })
        .catch((error: Error) => {
          if (error.message !== 'rollback') throw error;
        });
      expect((await s.ledger.verify()).ok).toBe(true);
    });

    it('alerts finance and the administrators through the outbox', async () => {
      const finance = await newPerson(get().db, { roles: ['finance'] });
      const person = await walletWith(get(), s, { ownFen: 100 });
      const [wallet] = await get().db.selectFrom('wallets').selectAll().where('personId', '=', person.id).execute();
      await sql`UPDATE ledger_accounts SET balance_fen = balance_fen + 1 WHERE id = ${wallet!.ownAccountId}`.execute(
        get().db,
      );
      try {
        const report = await s.ledger.runNightlyCheck();
        expect(report.ok).toBe(false);
        const alerts = await get()
          .db.selectFrom('outboxMessages')
          .select(['personId', 'payload'])
          .where('topic', '=', 'ledger.alert')
          .execute();
        expect(alerts.map((a) => a.personId)).toContain(finance.id);
      } finally {
        await sql`UPDATE ledger_accounts SET balance_fen = balance_fen - 1 WHERE id = ${wallet!.ownAccountId}`.execute(
          get().db,
        );
      }
    });
  });

  it(`runs on ${kind}`, () => {
    expect(kind === 'pglite' || kind === 'postgres').toBe(true);
  });
});
