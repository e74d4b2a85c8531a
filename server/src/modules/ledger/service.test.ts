import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../../../test/harness.ts';
import { newPerson } from '../../../test/factories.ts';
import type { Actor } from '../../platform/audit.ts';
import { FixedClock } from '../../platform/clock.ts';
import { claimBatch, drainOnce, markFailed, WALLET_MOVEMENT } from '../../platform/outbox.ts';
import { LedgerService } from './service.ts';
import { closeAndSettle } from './testing.ts';

const cashier: Actor = { personId: null, requestId: 'test', ip: '' };

async function setup(database: TestDatabase) {
  const clock = new FixedClock(new Date('2026-03-02T04:00:00Z'));
  const ledger = new LedgerService(database.db, clock, { timeZone: 'Asia/Shanghai' });
  return { ledger, clock };
}

/** A person with an open wallet, optionally funded. */
async function walletWith(
  database: TestDatabase,
  ledger: LedgerService,
  funds: { ownFen?: number; subsidyFen?: number } = {},
) {
  const person = await newPerson(database.db);
  await ledger.openWallets(null, [person.id]);
  if (funds.ownFen) {
    await ledger.topUp(
      null,
      { personId: person.id, amountFen: funds.ownFen, channel: 'test', reference: randomUUID() },
      cashier,
    );
  }
  if (funds.subsidyFen) {
    await ledger.grantSubsidies(
      null,
      { batchId: randomUUID(), month: '2026-03', lines: [{ personId: person.id, amountFen: funds.subsidyFen }] },
      cashier,
    );
  }
  return person;
}

const sale = (personId: number, amountFen: number, extra: Record<string, unknown> = {}) => ({
  personId,
  amountFen,
  merchant: 'canteen-1',
  counter: 'W01',
  terminal: 'POS-1',
  idempotencyKey: randomUUID(),
  ...extra,
});

async function journalSize(database: TestDatabase) {
  const { rows } = await sql<{ entries: number; postings: number; outbox: number }>`
    SELECT (SELECT count(*) FROM journal_entries)::int AS entries, (SELECT count(*) FROM postings)::int AS postings,
           (SELECT count(*) FROM outbox_messages)::int AS outbox`.execute(database.db);
  return rows[0]!;
}

describeEachDatabase('ledger', (get, kind) => {
  let ledger: LedgerService;
  let clock: FixedClock;
  beforeAll(async () => {
    ({ ledger, clock } = await setup(get()));
  });
  afterAll(() => closeAndSettle(get()));

  describe('wallets', () => {
    it('opens wallets in bulk, once, and freezes and reopens them', async () => {
      const a = await newPerson(get().db);
      const b = await newPerson(get().db);
      await ledger.openWallets(null, [a.id, b.id, a.id]);
      await ledger.openWallets(null, [a.id, b.id]);
      const accounts = await get()
        .db.selectFrom('ledgerAccounts')
        .select(['kind'])
        .where('personId', 'in', [a.id, b.id])
        .execute();
      expect(accounts).toHaveLength(6);
      expect(await ledger.balances(a.id)).toEqual({
        subsidyFen: 0,
        ownFen: 0,
        heldFen: 0,
        availableFen: 0,
        status: 'open',
      });
      await get()
        .db.transaction()
        .execute((trx) => ledger.peopleLeft(trx, [{ id: a.id, hospitalId: a.hospitalId, employeeNo: a.employeeNo }]));
      expect((await ledger.balances(a.id)).status).toBe('frozen');
      await get()
        .db.transaction()
        .execute((trx) =>
          ledger.peopleActivated(trx, [{ id: a.id, hospitalId: a.hospitalId, employeeNo: a.employeeNo }]),
        );
      expect((await ledger.balances(a.id)).status).toBe('open');
    });

    it('answers NO_WALLET for a person without one', async () => {
      const person = await newPerson(get().db);
      await expect(ledger.balances(person.id)).rejects.toMatchObject({ code: 'NO_WALLET', status: 404 });
    });
  });

  describe('spending', () => {
    it('takes the subsidy purse first, then own funds, by default', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000, subsidyFen: 300 });
      const result = await ledger.spend(null, sale(person.id, 500), cashier);
      expect(result).toMatchObject({ subsidyFen: 300, ownFen: 200, balance: { subsidyFen: 0, ownFen: 800 } });
      expect(await ledger.balances(person.id)).toMatchObject({ subsidyFen: 0, ownFen: 800, availableFen: 800 });
      const postings = await get()
        .db.selectFrom('postings')
        .select('amountFen')
        .where('entryId', '=', result.entryId)
        .execute();
      expect(postings.reduce((s, p) => s + p.amountFen, 0)).toBe(0);
      expect(postings.map((p) => p.amountFen).sort((x, y) => x - y)).toEqual([-300, -200, 500]);
    });

    it('takes own funds first when the hospital says so', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 400, subsidyFen: 300 });
      await ledger.setSpendOrder(person.hospitalId, 'own_first', cashier);
      try {
        const result = await ledger.spend(null, sale(person.id, 500), cashier);
        expect(result).toMatchObject({ subsidyFen: 100, ownFen: 400 });
      } finally {
        await ledger.setSpendOrder(person.hospitalId, 'subsidy_first', cashier);
      }
    });

    it('refuses a sale larger than the wallet and writes nothing', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 100, subsidyFen: 100 });
      const before = await journalSize(get());
      await expect(ledger.spend(null, sale(person.id, 201), cashier)).rejects.toMatchObject({
        code: 'INSUFFICIENT_FUNDS',
        status: 409,
        details: { amountFen: 201, availableFen: 200 },
      });
      expect(await journalSize(get())).toEqual(before);
      expect((await ledger.balances(person.id)).availableFen).toBe(200);
    });

    it('refuses a sale on a frozen wallet', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000 });
      await ledger.freezeWallets(null, [person.id]);
      await expect(ledger.spend(null, sale(person.id, 10), cashier)).rejects.toMatchObject({
        code: 'WALLET_FROZEN',
      });
      await expect(
        ledger.topUp(null, { personId: person.id, amountFen: 5, channel: 'test', reference: randomUUID() }, cashier),
      ).rejects.toMatchObject({ code: 'WALLET_FROZEN' });
    });

    it('refuses a zero or fractional amount', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000 });
      await expect(ledger.spend(null, sale(person.id, 0), cashier)).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
      await expect(ledger.spend(null, sale(person.id, 1.5), cashier)).rejects.toMatchObject({
        code: 'INVALID_AMOUNT',
      });
    });

    it('returns the first result for a retried key and refuses the key for another sale', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000 });
      const first = sale(person.id, 300);
      const a = await ledger.spend(null, first, cashier);
      const b = await ledger.spend(null, first, cashier);
      expect(b).toEqual({ ...a, replayed: true });
      expect((await ledger.balances(person.id)).ownFen).toBe(700);
      await expect(ledger.spend(null, { ...first, amountFen: 301 }, cashier)).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        status: 409,
      });
    });

    it('lets concurrent duplicates of one key charge once', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000 });
      const request = sale(person.id, 100);
      const results = await Promise.all(Array.from({ length: 8 }, () => ledger.spend(null, request, cashier)));
      expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect((await ledger.balances(person.id)).ownFen).toBe(900);
    });

    it('refuses one key reused at once for sales on two wallets, charging only one', async () => {
      const a = await walletWith(get(), ledger, { ownFen: 1000 });
      const b = await walletWith(get(), ledger, { ownFen: 1000 });
      const key = randomUUID();
      const results = await Promise.allSettled([
        ledger.spend(null, sale(a.id, 100, { idempotencyKey: key }), cashier),
        ledger.spend(null, sale(b.id, 100, { idempotencyKey: key }), cashier),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refusal.reason).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      const total = (await ledger.balances(a.id)).ownFen + (await ledger.balances(b.id)).ownFen;
      expect(total).toBe(1900);
    });

    it('records an offline sale synced late as arrears, flagged, and verify accepts it', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 100, subsidyFen: 50 });
      const result = await ledger.spend(null, sale(person.id, 400, { allowArrears: true }), cashier);
      expect(result).toMatchObject({ subsidyFen: 50, ownFen: 350, arrearsFen: 250 });
      expect(await ledger.balances(person.id)).toMatchObject({ subsidyFen: 0, ownFen: -250 });
      const entry = await get()
        .db.selectFrom('journalEntries')
        .select('allowsArrears')
        .where('id', '=', result.entryId)
        .executeTakeFirstOrThrow();
      expect(entry.allowsArrears).toBe(true);
      // The next top-up repays the debt first.
      await ledger.topUp(
        null,
        { personId: person.id, amountFen: 300, channel: 'test', reference: randomUUID() },
        cashier,
      );
      expect((await ledger.balances(person.id)).ownFen).toBe(50);
    });

    it('writes a notification per movement with the balance after', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000 });
      const result = await ledger.spend(null, sale(person.id, 250, { memo: '午餐' }), cashier);
      const [latest] = await ledger.notifications(person.id, { limit: 1 });
      expect(latest?.payload).toMatchObject({
        entryId: result.entryId,
        kind: 'spend',
        amountFen: -250,
        merchant: 'canteen-1',
        counter: 'W01',
        memo: '午餐',
        balance: { subsidyFen: 0, ownFen: 750 },
      });
    });
  });

  describe('the journal', () => {
    it('refuses an unbalanced entry at the write path and in the database', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 100 });
      const [wallet] = await get().db.selectFrom('wallets').selectAll().where('personId', '=', person.id).execute();
      await expect(
        sql`SELECT ledger_post(${person.hospitalId}, 'top_up', '', NULL, NULL, '{}', NULL, false, NULL, now(), NULL,
              ARRAY[${wallet!.ownAccountId}, ${wallet!.subsidyAccountId}]::bigint[], ARRAY[100, -99]::bigint[])`.execute(
          get().db,
        ),
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
      const person = await walletWith(get(), ledger, { ownFen: 1000, subsidyFen: 200 });
      const spent = await ledger.spend(null, sale(person.id, 500), cashier);
      const reversal = await ledger.reverseEntry(null, { entryId: spent.entryId, reason: '误扣' }, cashier);
      expect(await ledger.balances(person.id)).toMatchObject({ subsidyFen: 200, ownFen: 1000 });
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
        ledger.reverseEntry(null, { entryId: spent.entryId, reason: 'again' }, cashier),
      ).rejects.toMatchObject({ code: 'ENTRY_ALREADY_REVERSED' });
      await expect(
        ledger.reverseEntry(null, { entryId: reversal.entryId, reason: 'undo' }, cashier),
      ).rejects.toMatchObject({ code: 'CANNOT_REVERSE_REVERSAL' });
    });

    it('refuses to reverse a top-up whose money is already spent', async () => {
      const person = await walletWith(get(), ledger);
      const topUp = await ledger.topUp(
        null,
        { personId: person.id, amountFen: 300, channel: 'test', reference: randomUUID() },
        cashier,
      );
      await ledger.spend(null, sale(person.id, 200), cashier);
      await expect(
        ledger.reverseEntry(null, { entryId: topUp.entryId, reason: 'bounced' }, cashier),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    });

    it('leaves nothing when the business transaction fails after the entry', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000 });
      const before = await journalSize(get());
      await expect(
        get()
          .db.transaction()
          .execute(async (trx) => {
            await ledger.spend(trx, sale(person.id, 100), cashier);
            await ledger.topUp(
              trx,
              { personId: person.id, amountFen: 5, channel: 'test', reference: randomUUID() },
              cashier,
            );
            throw new Error('the till crashed before the sale row was written');
          }),
      ).rejects.toThrow(/till crashed/);
      expect(await journalSize(get())).toEqual(before);
      expect((await ledger.balances(person.id)).ownFen).toBe(1000);
    });
  });

  describe('money in and out', () => {
    it('grants a subsidy batch as one entry, and only once', async () => {
      const a = await walletWith(get(), ledger);
      const b = await walletWith(get(), ledger);
      const batch = {
        batchId: 9001,
        month: '2026-03',
        lines: [
          { personId: a.id, amountFen: 30000 },
          { personId: b.id, amountFen: 25000 },
        ],
      };
      const first = await ledger.grantSubsidies(null, batch, cashier);
      expect(first).toMatchObject({ totalFen: 55000, lineCount: 2, alreadyGranted: false });
      const again = await ledger.grantSubsidies(null, batch, cashier);
      expect(again).toMatchObject({ entryId: first.entryId, alreadyGranted: true });
      expect((await ledger.balances(a.id)).subsidyFen).toBe(30000);
      expect((await ledger.balances(b.id)).subsidyFen).toBe(25000);
      const postings = await get()
        .db.selectFrom('postings')
        .select('amountFen')
        .where('entryId', '=', first.entryId)
        .execute();
      expect(postings).toHaveLength(3);
    });

    it('refuses a batch with a frozen wallet or a person twice', async () => {
      const a = await walletWith(get(), ledger);
      const b = await walletWith(get(), ledger);
      await ledger.freezeWallets(null, [b.id]);
      const lines = [
        { personId: a.id, amountFen: 100 },
        { personId: b.id, amountFen: 100 },
      ];
      await expect(
        ledger.grantSubsidies(null, { batchId: randomUUID(), month: '2026-03', lines }, cashier),
      ).rejects.toMatchObject({ code: 'WALLET_FROZEN', details: { personIds: [b.id] } });
      await expect(
        ledger.grantSubsidies(
          null,
          { batchId: randomUUID(), month: '2026-03', lines: [lines[0]!, lines[0]!] },
          cashier,
        ),
      ).rejects.toMatchObject({ code: 'DUPLICATE_LINE' });
    });

    it('takes cash at a counter into own funds', async () => {
      const person = await walletWith(get(), ledger);
      const receipt = await ledger.topUp(
        null,
        { personId: person.id, amountFen: 5000, channel: 'cash', counter: 'C1', reference: randomUUID() },
        cashier,
      );
      expect(receipt.balance).toEqual({ subsidyFen: 0, ownFen: 5000, heldFen: 0 });
      await expect(
        ledger.topUp(null, { personId: person.id, amountFen: 5000, channel: 'cash', reference: randomUUID() }, cashier),
      ).rejects.toMatchObject({ code: 'COUNTER_REQUIRED' });
    });

    it('transfers own funds only, never subsidy', async () => {
      const a = await walletWith(get(), ledger, { ownFen: 100, subsidyFen: 1000 });
      const b = await walletWith(get(), ledger);
      await expect(
        ledger.transfer(null, { fromPersonId: a.id, toPersonId: b.id, amountFen: 101 }, cashier),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      const result = await ledger.transfer(null, { fromPersonId: a.id, toPersonId: b.id, amountFen: 100 }, cashier);
      expect(result.from).toEqual({ subsidyFen: 1000, ownFen: 0, heldFen: 0 });
      expect(result.to).toEqual({ subsidyFen: 0, ownFen: 100, heldFen: 0 });
      const notes = await ledger.notifications(b.id, { limit: 1 });
      expect(notes[0]?.payload).toMatchObject({ kind: 'transfer', amountFen: 100, fromPersonId: a.id });
    });

    it('holds a withdrawal, then settles it or releases it', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000, subsidyFen: 500 });
      await expect(
        ledger.holdForWithdrawal(null, { personId: person.id, amountFen: 1001, withdrawalId: 'w-x' }, cashier),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      const w1 = `w-${randomUUID()}`;
      const w2 = `w-${randomUUID()}`;
      await ledger.holdForWithdrawal(null, { personId: person.id, amountFen: 600, withdrawalId: w1 }, cashier);
      expect(await ledger.balances(person.id)).toMatchObject({ ownFen: 400, heldFen: 600, availableFen: 900 });
      await ledger.settleWithdrawal(null, { withdrawalId: w1 }, cashier);
      expect(await ledger.balances(person.id)).toMatchObject({ ownFen: 400, heldFen: 0 });
      await expect(ledger.releaseWithdrawal(null, { withdrawalId: w1 }, cashier)).rejects.toMatchObject({
        code: 'WITHDRAWAL_ALREADY_CLOSED',
      });
      await ledger.holdForWithdrawal(null, { personId: person.id, amountFen: 400, withdrawalId: w2 }, cashier);
      await ledger.releaseWithdrawal(null, { withdrawalId: w2 }, cashier);
      expect(await ledger.balances(person.id)).toMatchObject({ ownFen: 400, heldFen: 0, subsidyFen: 500 });
    });
  });

  describe('concurrency', () => {
    it('never overspends with 50 parallel sales on one wallet', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000, subsidyFen: 500 });
      const attempts = await Promise.allSettled(
        Array.from({ length: 50 }, () => ledger.spend(null, sale(person.id, 70), cashier)),
      );
      const ok = attempts.filter((a) => a.status === 'fulfilled').length;
      const refused = attempts.filter(
        (a) => a.status === 'rejected' && (a.reason as { code?: string }).code === 'INSUFFICIENT_FUNDS',
      ).length;
      expect(ok + refused).toBe(50);
      expect(ok).toBe(Math.floor(1500 / 70));
      const balances = await ledger.balances(person.id);
      expect(balances.availableFen).toBe(1500 - ok * 70);
      expect(balances.subsidyFen).toBeGreaterThanOrEqual(0);
      expect(balances.ownFen).toBeGreaterThanOrEqual(0);
      expect((await ledger.verify()).breaches).toEqual([]);
    });

    it('keeps a transfer and sales racing on one wallet correct', async () => {
      const a = await walletWith(get(), ledger, { ownFen: 1000 });
      const b = await walletWith(get(), ledger, { ownFen: 10 });
      const work = [
        ledger.transfer(null, { fromPersonId: a.id, toPersonId: b.id, amountFen: 600 }, cashier),
        ...Array.from({ length: 6 }, () => ledger.spend(null, sale(a.id, 100), cashier)),
        ledger.transfer(null, { fromPersonId: b.id, toPersonId: a.id, amountFen: 10 }, cashier),
      ];
      const results = await Promise.allSettled(work);
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('INSUFFICIENT_FUNDS');
      }
      const transferred = results[0]!.status === 'fulfilled' ? 600 : 0;
      const back = results[7]!.status === 'fulfilled' ? 10 : 0;
      const spent = results.slice(1, 7).filter((r) => r.status === 'fulfilled').length * 100;
      expect((await ledger.balances(a.id)).ownFen).toBe(1000 - transferred - spent + back);
      expect((await ledger.balances(b.id)).ownFen).toBe(10 + transferred - back);
      expect((await ledger.balances(a.id)).ownFen).toBeGreaterThanOrEqual(0);
      expect((await ledger.verify()).breaches).toEqual([]);
    });
  });

  describe('verify', () => {
    it('finds nothing wrong in a healthy ledger', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000, subsidyFen: 500 });
      for (let i = 0; i < 10; i++) await ledger.spend(null, sale(person.id, 100), cashier);
      const report = await ledger.verify();
      expect(report.breaches).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.entries).toBeGreaterThan(10);
    });

    it('reports a cached balance that drifted, an unbalanced entry and a negative purse', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 100 });
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
          const report = await ledger.verify(trx);
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
      expect((await ledger.verify()).ok).toBe(true);
    });

    it('alerts finance and the administrators through the outbox', async () => {
      const finance = await newPerson(get().db, { roles: ['finance'] });
      const person = await walletWith(get(), ledger, { ownFen: 100 });
      const [wallet] = await get().db.selectFrom('wallets').selectAll().where('personId', '=', person.id).execute();
      await sql`UPDATE ledger_accounts SET balance_fen = balance_fen + 1 WHERE id = ${wallet!.ownAccountId}`.execute(
        get().db,
      );
      try {
        const report = await ledger.runNightlyCheck();
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

  describe('statement', () => {
    it('pages newest first and filters by kind and local day', async () => {
      const person = await walletWith(get(), ledger, { ownFen: 1000, subsidyFen: 100 });
      clock.set('2026-03-02T16:30:00Z'); // 00:30 on 3 March in Shanghai
      for (let i = 0; i < 5; i++) await ledger.spend(null, sale(person.id, 10 + i), cashier);
      clock.set('2026-03-02T04:00:00Z');
      const page1 = await ledger.statement(person.id, { limit: 4 });
      expect(page1.items.map((i) => i.amountFen)).toEqual([-14, -13, -12, -11]);
      const page2 = await ledger.statement(person.id, { limit: 4 }, page1.nextCursor);
      expect(page2.items.map((i) => i.kind)).toEqual(['spend', 'subsidy_grant', 'top_up']);
      expect(page2.nextCursor).toBeNull();
      const grants = await ledger.statement(person.id, { kinds: ['subsidy_grant'] });
      expect(grants.items).toHaveLength(1);
      expect(grants.items[0]).toMatchObject({ amountFen: 100, subsidyFen: 100, ownFen: 0 });
      const march3 = await ledger.statement(person.id, { from: '2026-03-03', to: '2026-03-03' });
      expect(march3.items).toHaveLength(5);
      const march2 = await ledger.statement(person.id, { from: '2026-03-02', to: '2026-03-02' });
      expect(march2.items.map((i) => i.kind).sort()).toEqual(['subsidy_grant', 'top_up']);
    });
  });

  describe('outbox', () => {
    it('drains movements with SKIP LOCKED claims and retries failures later', async () => {
      clock.set('2026-03-09T04:00:00Z'); // after every message the other tests wrote
      const person = await walletWith(get(), ledger, { ownFen: 10 });
      const now = () => clock.now();
      const delivered: number[] = [];
      const deliver = async (m: { id: number }) => {
        delivered.push(m.id);
      };
      while ((await drainOnce(get().db, { topic: WALLET_MOVEMENT, now, limit: 500 }, deliver)) > 0);
      await ledger.spend(null, sale(person.id, 5), cashier);
      await ledger.spend(null, sale(person.id, 3), cashier);
      const [failing] = await claimBatch(get().db, { topic: WALLET_MOVEMENT, limit: 1, leaseMs: 60_000, now: now() });
      expect(failing?.payload).toMatchObject({ kind: 'spend', amountFen: -5 });
      // Another drainer skips the claimed message and sends the next one.
      expect(await drainOnce(get().db, { topic: WALLET_MOVEMENT, now }, deliver)).toBe(1);
      await markFailed(get().db, failing!, 'WeCom said 45009', now());
      const retry = await get()
        .db.selectFrom('outboxMessages')
        .select(['sentAt', 'attempts', 'lastError', 'availableAt'])
        .where('id', '=', failing!.id)
        .executeTakeFirstOrThrow();
      expect(retry).toMatchObject({ sentAt: null, attempts: 1, lastError: 'WeCom said 45009' });
      expect(retry.availableAt.getTime()).toBe(now().getTime() + 10_000);
      expect(await drainOnce(get().db, { topic: WALLET_MOVEMENT, now }, deliver)).toBe(0);
      clock.advance(10_000);
      expect(await drainOnce(get().db, { topic: WALLET_MOVEMENT, now }, deliver)).toBe(1);
      expect(delivered.at(-1)).toBe(failing!.id);
      clock.set('2026-03-02T04:00:00Z');
    });
  });

  describe('subsidy expiry and closing (runs last: it empties every subsidy purse of the hospital)', () => {
    it('closes a settled wallet, returning its subsidy to the hospital, and refuses one with own funds', async () => {
      const settled = await walletWith(get(), ledger, { subsidyFen: 800 });
      const owed = await walletWith(get(), ledger, { ownFen: 5 });
      await expect(ledger.closeWallets(null, [owed.id], cashier)).rejects.toMatchObject({
        code: 'WALLET_NOT_SETTLED',
      });
      await ledger.closeWallets(null, [settled.id], cashier);
      expect(await ledger.balances(settled.id)).toMatchObject({ subsidyFen: 0, status: 'closed' });
      await expect(ledger.spend(null, sale(settled.id, 1), cashier)).rejects.toMatchObject({ code: 'WALLET_CLOSED' });
    });

    it('expires unspent subsidy at month end in one entry, once, unless the hospital rolls it over', async () => {
      const a = await walletWith(get(), ledger, { subsidyFen: 300, ownFen: 100 });
      const b = await walletWith(get(), ledger, { subsidyFen: 200 });
      await sql`INSERT INTO ledger_policies (hospital_id, subsidy_expiry) VALUES (${a.hospitalId}, 'roll_over')
                ON CONFLICT (hospital_id) DO UPDATE SET subsidy_expiry = 'roll_over'`.execute(get().db);
      expect(await ledger.expireSubsidies(null, { hospitalId: a.hospitalId, month: '2026-02' }, cashier)).toEqual({
        entryId: null,
        totalFen: 0,
        purses: 0,
      });
      await sql`UPDATE ledger_policies SET subsidy_expiry = 'month_end' WHERE hospital_id = ${a.hospitalId}`.execute(
        get().db,
      );
      const first = await ledger.expireSubsidies(null, { hospitalId: a.hospitalId, month: '2026-03' }, cashier);
      expect(first.entryId).not.toBeNull();
      expect(first.purses).toBeGreaterThanOrEqual(2);
      expect(await ledger.balances(a.id)).toMatchObject({ subsidyFen: 0, ownFen: 100 });
      expect((await ledger.balances(b.id)).subsidyFen).toBe(0);
      const again = await ledger.expireSubsidies(null, { hospitalId: a.hospitalId, month: '2026-03' }, cashier);
      expect(again).toMatchObject({ entryId: first.entryId, totalFen: 0 });
      expect((await ledger.verify()).breaches).toEqual([]);
    });
  });

  it(`runs on ${kind}`, () => {
    expect(kind === 'pglite' || kind === 'postgres').toBe(true);
  });
});
