import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPerson } from '../../../test/factories.ts';
import { describeEachDatabase, type TestDatabase } from '../../../test/harness.ts';
import { cashier, moneyServices, sale, walletWith, type MoneyServices } from '../../../test/money.ts';
import type { Tx } from '../../db/database.ts';
import { closeAndSettle } from '../../../test/settle.ts';

async function journalSize(database: TestDatabase) {
  const { rows } = await sql<{ entries: number; postings: number; outbox: number }>`
    SELECT (SELECT count(*) FROM journal_entries)::int AS entries, (SELECT count(*) FROM postings)::int AS postings,
           (SELECT count(*) FROM outbox_messages)::int AS outbox`.execute(database.db);
  return rows[0]!;
}

describeEachDatabase('wallets', (get, kind) => {
  let s: MoneyServices;
  beforeAll(() => {
    s = moneyServices(get());
  });
  afterAll(() => closeAndSettle(get()));

  describe('wallets', () => {
    it('opens wallets in bulk, once, and freezes and reopens them', async () => {
      const a = await newPerson(get().db);
      const b = await newPerson(get().db);
      await s.wallets.openWallets(null, [a, b, a]);
      await s.wallets.openWallets(null, [a, b]);
      const accounts = await get()
        .db.selectFrom('ledgerAccounts')
        .select(['kind'])
        .where('personId', 'in', [a.id, b.id])
        .execute();
      expect(accounts).toHaveLength(6);
      expect(await s.wallets.balances(a.id)).toEqual({
        subsidyFen: 0,
        ownFen: 0,
        heldFen: 0,
        availableFen: 0,
        status: 'open',
      });
      await get()
        .db.transaction()
        .execute((trx) =>
          s.wallets.peopleLeft(trx, [{ id: a.id, hospitalId: a.hospitalId, employeeNo: a.employeeNo }]),
        );
      expect((await s.wallets.balances(a.id)).status).toBe('frozen');
      await get()
        .db.transaction()
        .execute((trx) =>
          s.wallets.peopleActivated(trx, [{ id: a.id, hospitalId: a.hospitalId, employeeNo: a.employeeNo }]),
        );
      expect((await s.wallets.balances(a.id)).status).toBe('open');
    });

    it('answers NO_WALLET for a person without one', async () => {
      const person = await newPerson(get().db);
      await expect(s.wallets.balances(person.id)).rejects.toMatchObject({ code: 'NO_WALLET', status: 404 });
    });
  });

  describe('spending', () => {
    it('takes the subsidy purse first, then own funds, by default', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 300 });
      const result = await s.wallets.spend(null, sale(person.id, 500), cashier);
      expect(result).toMatchObject({ subsidyFen: 300, ownFen: 200, balance: { subsidyFen: 0, ownFen: 800 } });
      expect(await s.wallets.balances(person.id)).toMatchObject({ subsidyFen: 0, ownFen: 800, availableFen: 800 });
      const postings = await get()
        .db.selectFrom('postings')
        .select('amountFen')
        .where('entryId', '=', result.entryId)
        .execute();
      expect(postings.reduce((s, p) => s + p.amountFen, 0)).toBe(0);
      expect(postings.map((p) => p.amountFen).sort((x, y) => x - y)).toEqual([-300, -200, 500]);
    });

    it('takes own funds first when the hospital says so', async () => {
      const person = await walletWith(get(), s, { ownFen: 400, subsidyFen: 300 });
      await s.wallets.updateSettings(person.hospitalId, { spendOrder: 'own_first' }, cashier);
      try {
        const result = await s.wallets.spend(null, sale(person.id, 500), cashier);
        expect(result).toMatchObject({ subsidyFen: 100, ownFen: 400 });
      } finally {
        await s.wallets.updateSettings(person.hospitalId, { spendOrder: 'subsidy_first' }, cashier);
      }
    });

    it('refuses a sale larger than the wallet and writes nothing', async () => {
      const person = await walletWith(get(), s, { ownFen: 100, subsidyFen: 100 });
      const before = await journalSize(get());
      await expect(s.wallets.spend(null, sale(person.id, 201), cashier)).rejects.toMatchObject({
        code: 'INSUFFICIENT_FUNDS',
        status: 409,
        details: { amountFen: 201, availableFen: 200 },
      });
      expect(await journalSize(get())).toEqual(before);
      expect((await s.wallets.balances(person.id)).availableFen).toBe(200);
    });

    it('refuses a sale on a frozen wallet', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      await s.wallets.freezeWallets(null, [person.id]);
      await expect(s.wallets.spend(null, sale(person.id, 10), cashier)).rejects.toMatchObject({
        code: 'WALLET_FROZEN',
      });
      await expect(
        s.funding.topUp(null, { personId: person.id, amountFen: 5, source: 'test', reference: randomUUID() }, cashier),
      ).rejects.toMatchObject({ code: 'WALLET_FROZEN' });
    });

    it('refuses a zero or fractional amount', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      await expect(s.wallets.spend(null, sale(person.id, 0), cashier)).rejects.toMatchObject({
        code: 'INVALID_AMOUNT',
      });
      await expect(s.wallets.spend(null, sale(person.id, 1.5), cashier)).rejects.toMatchObject({
        code: 'INVALID_AMOUNT',
      });
    });

    it('returns the first result for a retried key and refuses the key for another sale', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      const first = sale(person.id, 300);
      const a = await s.wallets.spend(null, first, cashier);
      const b = await s.wallets.spend(null, first, cashier);
      expect(b).toEqual({ ...a, replayed: true });
      expect((await s.wallets.balances(person.id)).ownFen).toBe(700);
      await expect(s.wallets.spend(null, { ...first, amountFen: 301 }, cashier)).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        status: 409,
      });
    });

    it('lets concurrent duplicates of one key charge once', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      const request = sale(person.id, 100);
      const results = await Promise.all(Array.from({ length: 8 }, () => s.wallets.spend(null, request, cashier)));
      expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect((await s.wallets.balances(person.id)).ownFen).toBe(900);
    });

    it('refuses one key reused at once for sales on two wallets, charging only one', async () => {
      const a = await walletWith(get(), s, { ownFen: 1000 });
      const b = await walletWith(get(), s, { ownFen: 1000 });
      const key = randomUUID();
      const results = await Promise.allSettled([
        s.wallets.spend(null, sale(a.id, 100, { idempotencyKey: key }), cashier),
        s.wallets.spend(null, sale(b.id, 100, { idempotencyKey: key }), cashier),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refusal.reason).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      const total = (await s.wallets.balances(a.id)).ownFen + (await s.wallets.balances(b.id)).ownFen;
      expect(total).toBe(1900);
    });

    it('answers a retry after later sales with the first reply, balances as they were after it', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 200 });
      const first = sale(person.id, 300);
      const a = await s.wallets.spend(null, first, cashier);
      await s.wallets.spend(null, sale(person.id, 450), cashier);
      expect(await s.wallets.spend(null, first, cashier)).toEqual({ ...a, replayed: true });
      expect(a.balance).toEqual({ subsidyFen: 0, ownFen: 900 });
      const arrears = sale(person.id, 1000, { allowArrears: true });
      const c = await s.wallets.spend(null, arrears, cashier);
      expect(c).toMatchObject({ ownFen: 1000, arrearsFen: 550, balance: { subsidyFen: 0, ownFen: -550 } });
      await s.funding.topUp(
        null,
        { personId: person.id, amountFen: 800, source: 'test', reference: randomUUID() },
        cashier,
      );
      expect(await s.wallets.spend(null, arrears, cashier)).toEqual({ ...c, replayed: true });
      expect((await s.wallets.balances(person.id)).ownFen).toBe(250);
    });

    it('answers a sale whose key was stored before 0012 (idempotency_keys) from there, charging nothing', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      const served = await s.wallets.spend(null, sale(person.id, 300), cashier);
      // What the sale function wrote before 0012: the key and the reply in a row of their own.
      const key = randomUUID();
      await sql`INSERT INTO idempotency_keys (scope, key, request_hash, response, created_at)
        SELECT 'ledger.spend', ${key}, request_hash, ${JSON.stringify(served)}::jsonb, now()
          FROM journal_entries WHERE id = ${served.entryId}`.execute(get().db);
      const again = await s.wallets.spend(null, sale(person.id, 300, { idempotencyKey: key }), cashier);
      expect(again).toEqual({ ...served, replayed: true });
      await expect(s.wallets.spend(null, sale(person.id, 301, { idempotencyKey: key }), cashier)).rejects.toMatchObject(
        { code: 'IDEMPOTENCY_KEY_REUSED' },
      );
      expect((await s.wallets.balances(person.id)).ownFen).toBe(700);
    });

    it('records many sales in one call, in order, each as spend would, and a retry of them charges nothing', async () => {
      const a = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 300 });
      const b = await walletWith(get(), s, { ownFen: 500 });
      const at = new Date('2026-03-02T04:05:06.000Z');
      const sales = [sale(a.id, 200), { ...sale(b.id, 100), at }, sale(a.id, 400)];
      const results = await get()
        .db.transaction()
        .execute((trx) => s.wallets.spendMany(trx, sales, cashier));
      // The second sale of `a` sees what the first left: the subsidy's last 100 fen, then own funds.
      expect(results).toMatchObject([
        { personId: a.id, subsidyFen: 200, ownFen: 0, balance: { subsidyFen: 100, ownFen: 1000 }, replayed: false },
        { personId: b.id, ownFen: 100, createdAt: at.toISOString(), replayed: false },
        { personId: a.id, subsidyFen: 100, ownFen: 300, balance: { subsidyFen: 0, ownFen: 700 }, replayed: false },
      ]);
      expect(results[0]!.entryId).toBeLessThan(results[2]!.entryId);
      // The same keys through the one-sale path: the stored replies, nothing charged again.
      expect(await s.wallets.spend(null, sales[2]!, cashier)).toEqual({ ...results[2], replayed: true });
      expect(await s.wallets.balances(a.id)).toMatchObject({ subsidyFen: 0, ownFen: 700 });
      expect(await s.wallets.balances(b.id)).toMatchObject({ ownFen: 400 });
    });

    it('refuses the whole batch when one sale is refused, and writes none of it', async () => {
      const a = await walletWith(get(), s, { ownFen: 1000 });
      const b = await walletWith(get(), s, { ownFen: 100 });
      const before = await journalSize(get());
      await expect(
        get()
          .db.transaction()
          .execute((trx) => s.wallets.spendMany(trx, [sale(a.id, 300), sale(b.id, 101)], cashier)),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS', status: 409, details: { amountFen: 101 } });
      expect(await journalSize(get())).toEqual(before);
      expect((await s.wallets.balances(a.id)).ownFen).toBe(1000);
    });

    it('records an offline sale synced late as arrears, flagged, and verify accepts it', async () => {
      const person = await walletWith(get(), s, { ownFen: 100, subsidyFen: 50 });
      const result = await s.wallets.spend(null, sale(person.id, 400, { allowArrears: true }), cashier);
      expect(result).toMatchObject({ subsidyFen: 50, ownFen: 350, arrearsFen: 250 });
      expect(await s.wallets.balances(person.id)).toMatchObject({ subsidyFen: 0, ownFen: -250 });
      const entry = await get()
        .db.selectFrom('journalEntries')
        .select('allowsArrears')
        .where('id', '=', result.entryId)
        .executeTakeFirstOrThrow();
      expect(entry.allowsArrears).toBe(true);
      // The next top-up repays the debt first.
      await s.funding.topUp(
        null,
        { personId: person.id, amountFen: 300, source: 'test', reference: randomUUID() },
        cashier,
      );
      expect((await s.wallets.balances(person.id)).ownFen).toBe(50);
    });

    it('takes a top-up smaller than the debt of a wallet in arrears: own funds −300, top up 100, −200', async () => {
      const person = await walletWith(get(), s);
      await s.wallets.spend(null, sale(person.id, 300, { allowArrears: true }), cashier);
      expect((await s.wallets.balances(person.id)).ownFen).toBe(-300);
      const topUp = await s.funding.topUp(
        null,
        { personId: person.id, amountFen: 100, source: 'test', reference: randomUUID() },
        cashier,
      );
      expect(topUp.balance.ownFen).toBe(-200);
      expect((await s.wallets.balances(person.id)).ownFen).toBe(-200);
      // A debit still may not go deeper into arrears online.
      await expect(s.wallets.spend(null, sale(person.id, 1), cashier)).rejects.toMatchObject({
        code: 'INSUFFICIENT_FUNDS',
      });
      expect((await s.ledger.verify()).breaches).toEqual([]);
    });

    it('writes a notification per movement with the balance after', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      const result = await s.wallets.spend(null, sale(person.id, 250, { memo: '午餐' }), cashier);
      const [latest] = await s.notifications.list(person.id, { limit: 1 });
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

  describe('money in and out', () => {
    it('grants a subsidy batch as one entry, and only once', async () => {
      const a = await walletWith(get(), s);
      const b = await walletWith(get(), s);
      const batch = {
        batchId: 9001,
        month: '2026-03',
        lines: [
          { personId: a.id, amountFen: 30000 },
          { personId: b.id, amountFen: 25000 },
        ],
      };
      const first = await s.funding.grantSubsidies(null, batch, cashier);
      expect(first).toMatchObject({ totalFen: 55000, lineCount: 2, alreadyGranted: false });
      const again = await s.funding.grantSubsidies(null, batch, cashier);
      expect(again).toMatchObject({ entryId: first.entryId, alreadyGranted: true });
      expect((await s.wallets.balances(a.id)).subsidyFen).toBe(30000);
      expect((await s.wallets.balances(b.id)).subsidyFen).toBe(25000);
      const postings = await get()
        .db.selectFrom('postings')
        .select('amountFen')
        .where('entryId', '=', first.entryId)
        .execute();
      expect(postings).toHaveLength(3);
    });

    it('refuses a batch with a frozen wallet or a person twice', async () => {
      const a = await walletWith(get(), s);
      const b = await walletWith(get(), s);
      await s.wallets.freezeWallets(null, [b.id]);
      const lines = [
        { personId: a.id, amountFen: 100 },
        { personId: b.id, amountFen: 100 },
      ];
      await expect(
        s.funding.grantSubsidies(null, { batchId: randomUUID(), month: '2026-03', lines }, cashier),
      ).rejects.toMatchObject({ code: 'WALLET_FROZEN', details: { personIds: [b.id] } });
      await expect(
        s.funding.grantSubsidies(
          null,
          { batchId: randomUUID(), month: '2026-03', lines: [lines[0]!, lines[0]!] },
          cashier,
        ),
      ).rejects.toMatchObject({ code: 'DUPLICATE_LINE' });
    });

    it('takes cash at a counter into own funds', async () => {
      const person = await walletWith(get(), s);
      const receipt = await s.funding.topUp(
        null,
        { personId: person.id, amountFen: 5000, source: 'cash', counter: 'C1', reference: randomUUID() },
        cashier,
      );
      expect(receipt.balance).toEqual({ subsidyFen: 0, ownFen: 5000, heldFen: 0 });
      await expect(
        s.funding.topUp(
          null,
          { personId: person.id, amountFen: 5000, source: 'cash', reference: randomUUID() },
          cashier,
        ),
      ).rejects.toMatchObject({ code: 'COUNTER_REQUIRED' });
    });

    it('transfers own funds only, never subsidy', async () => {
      const a = await walletWith(get(), s, { ownFen: 100, subsidyFen: 1000 });
      const b = await walletWith(get(), s);
      await expect(
        s.transfers.transfer(null, { fromPersonId: a.id, toPersonId: b.id, amountFen: 101 }, cashier),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      const result = await s.transfers.transfer(
        null,
        { fromPersonId: a.id, toPersonId: b.id, amountFen: 100 },
        cashier,
      );
      expect(result.from).toEqual({ subsidyFen: 1000, ownFen: 0, heldFen: 0 });
      expect(result.to).toEqual({ subsidyFen: 0, ownFen: 100, heldFen: 0 });
      const notes = await s.notifications.list(b.id, { limit: 1 });
      expect(notes[0]?.payload).toMatchObject({ kind: 'transfer', amountFen: 100, fromPersonId: a.id });
    });

    it('holds a withdrawal, then settles it or releases it', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 500 });
      const inTx = <T>(work: (trx: Tx) => Promise<T>) => get().db.transaction().execute(work);
      const ref = (id: string) => ({ type: 'withdrawal', id });
      await expect(
        inTx((trx) => s.holds.hold(trx, { personId: person.id, amountFen: 1001, reference: ref('w-x') }, cashier)),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      const w1 = `w-${randomUUID()}`;
      const w2 = `w-${randomUUID()}`;
      await inTx((trx) => s.holds.hold(trx, { personId: person.id, amountFen: 600, reference: ref(w1) }, cashier));
      expect(await s.wallets.balances(person.id)).toMatchObject({ ownFen: 400, heldFen: 600, availableFen: 900 });
      await inTx((trx) => s.holds.settle(trx, ref(w1), cashier));
      expect(await s.wallets.balances(person.id)).toMatchObject({ ownFen: 400, heldFen: 0 });
      await expect(inTx((trx) => s.holds.release(trx, ref(w1), cashier))).rejects.toMatchObject({
        code: 'WITHDRAWAL_ALREADY_CLOSED',
      });
      await inTx((trx) => s.holds.hold(trx, { personId: person.id, amountFen: 400, reference: ref(w2) }, cashier));
      await inTx((trx) => s.holds.release(trx, ref(w2), cashier));
      expect(await s.wallets.balances(person.id)).toMatchObject({ ownFen: 400, heldFen: 0, subsidyFen: 500 });
    });
  });

  describe('concurrency', () => {
    it('never overspends with 50 parallel sales on one wallet', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 500 });
      const attempts = await Promise.allSettled(
        Array.from({ length: 50 }, () => s.wallets.spend(null, sale(person.id, 70), cashier)),
      );
      const ok = attempts.filter((a) => a.status === 'fulfilled').length;
      const refused = attempts.filter(
        (a) => a.status === 'rejected' && (a.reason as { code?: string }).code === 'INSUFFICIENT_FUNDS',
      ).length;
      expect(ok + refused).toBe(50);
      expect(ok).toBe(Math.floor(1500 / 70));
      const balances = await s.wallets.balances(person.id);
      expect(balances.availableFen).toBe(1500 - ok * 70);
      expect(balances.subsidyFen).toBeGreaterThanOrEqual(0);
      expect(balances.ownFen).toBeGreaterThanOrEqual(0);
      expect((await s.ledger.verify()).breaches).toEqual([]);
    });

    it('keeps a transfer and sales racing on one wallet correct', async () => {
      const a = await walletWith(get(), s, { ownFen: 1000 });
      const b = await walletWith(get(), s, { ownFen: 10 });
      const work = [
        s.transfers.transfer(null, { fromPersonId: a.id, toPersonId: b.id, amountFen: 600 }, cashier),
        ...Array.from({ length: 6 }, () => s.wallets.spend(null, sale(a.id, 100), cashier)),
        s.transfers.transfer(null, { fromPersonId: b.id, toPersonId: a.id, amountFen: 10 }, cashier),
      ];
      const results = await Promise.allSettled(work);
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('INSUFFICIENT_FUNDS');
      }
      const transferred = results[0]!.status === 'fulfilled' ? 600 : 0;
      const back = results[7]!.status === 'fulfilled' ? 10 : 0;
      const spent = results.slice(1, 7).filter((r) => r.status === 'fulfilled').length * 100;
      expect((await s.wallets.balances(a.id)).ownFen).toBe(1000 - transferred - spent + back);
      expect((await s.wallets.balances(b.id)).ownFen).toBe(10 + transferred - back);
      expect((await s.wallets.balances(a.id)).ownFen).toBeGreaterThanOrEqual(0);
      expect((await s.ledger.verify()).breaches).toEqual([]);
    });
  });

  describe('a freeze that commits while a flow waits', () => {
    // A flow that read the wallet's status before taking the purse lock would still credit a wallet that was
    // frozen meanwhile. Every flow locks first (lockWallets), then reads the status. Only PostgreSQL has two
    // connections to interleave; PGlite runs one transaction at a time, so the flow simply runs after it.
    it.each(['top-up', 'transfer'] as const)('refuses a %s once the freeze commits', async (flow) => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      const colleague = await walletWith(get(), s, { ownFen: 10 });
      const run = (): Promise<unknown> =>
        flow === 'top-up'
          ? s.funding.topUp(
              null,
              { personId: person.id, amountFen: 100, source: 'test', reference: randomUUID() },
              cashier,
            )
          : s.transfers.transfer(null, { fromPersonId: person.id, toPersonId: colleague.id, amountFen: 100 }, cashier);
      let attempt: Promise<unknown> | undefined;
      await get()
        .db.transaction()
        .execute(async (trx) => {
          await s.wallets.freezeWallets(trx, [person.id]);
          attempt = run().catch((error: unknown) => error);
          // Let the flow reach the purse lock (and block on it) before the freeze commits.
          await new Promise((resolve) => setTimeout(resolve, kind === 'postgres' ? 300 : 0));
        });
      expect(await attempt).toMatchObject({ code: 'WALLET_FROZEN' });
      expect(await s.wallets.balances(person.id)).toMatchObject({ status: 'frozen', ownFen: 1000 });
    });
  });

  describe('subsidy expiry and closing (runs last: it empties every subsidy purse of the hospital)', () => {
    it('closes a settled wallet, returning its subsidy to the hospital, and refuses one with own funds', async () => {
      const settled = await walletWith(get(), s, { subsidyFen: 800 });
      const owed = await walletWith(get(), s, { ownFen: 5 });
      await expect(s.closing.closeWallets(null, [owed.id], cashier)).rejects.toMatchObject({
        code: 'WALLET_NOT_SETTLED',
      });
      await s.closing.closeWallets(null, [settled.id], cashier);
      expect(await s.wallets.balances(settled.id)).toMatchObject({ subsidyFen: 0, status: 'closed' });
      await expect(s.wallets.spend(null, sale(settled.id, 1), cashier)).rejects.toMatchObject({
        code: 'WALLET_CLOSED',
      });
    });

    it('expires unspent subsidy at month end in one entry, once, unless the hospital rolls it over', async () => {
      const a = await walletWith(get(), s, { subsidyFen: 300, ownFen: 100 });
      const b = await walletWith(get(), s, { subsidyFen: 200 });
      await sql`INSERT INTO ledger_policies (hospital_id, subsidy_expiry) VALUES (${a.hospitalId}, 'roll_over')
                ON CONFLICT (hospital_id) DO UPDATE SET subsidy_expiry = 'roll_over'`.execute(get().db);
      expect(await s.closing.expireSubsidies(null, { hospitalId: a.hospitalId, month: '2026-02' }, cashier)).toEqual({
        entryId: null,
        totalFen: 0,
        purses: 0,
      });
      await sql`UPDATE ledger_policies SET subsidy_expiry = 'month_end' WHERE hospital_id = ${a.hospitalId}`.execute(
        get().db,
      );
      const first = await s.closing.expireSubsidies(null, { hospitalId: a.hospitalId, month: '2026-03' }, cashier);
      expect(first.entryId).not.toBeNull();
      expect(first.purses).toBeGreaterThanOrEqual(2);
      expect(await s.wallets.balances(a.id)).toMatchObject({ subsidyFen: 0, ownFen: 100 });
      expect((await s.wallets.balances(b.id)).subsidyFen).toBe(0);
      const again = await s.closing.expireSubsidies(null, { hospitalId: a.hospitalId, month: '2026-03' }, cashier);
      expect(again).toMatchObject({ entryId: first.entryId, totalFen: 0 });
      expect((await s.ledger.verify()).breaches).toEqual([]);
    });
  });

  it(`runs on ${kind}`, () => {
    expect(kind === 'pglite' || kind === 'postgres').toBe(true);
  });
});
