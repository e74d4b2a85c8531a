// The hospital's ledger settings (purse order, subsidy expiry, transfer daily limit): finance changes them.
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { joinPerson, newHospital, signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith } from '../../platform/auth/permissions.ts';
import { systemActor } from '../../platform/audit.ts';
import { closeAndSettle } from '../../../test/settle.ts';

describeApp('ledger settings', (get) => {
  afterAll(() => closeAndSettle(get().database));

  const put = (cookie: string, payload: Record<string, unknown>) =>
    get().app.inject({ method: 'PUT', url: '/api/ledger/settings', headers: { cookie }, payload });

  it('starts with the defaults: subsidy first, 清零 at month end, ¥1,000 a day of transfers', async () => {
    const finance = await signIn(get(), ['finance']);
    const response = await get().app.inject({ url: '/api/ledger/settings', headers: { cookie: finance.cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      spendOrder: 'subsidy_first',
      subsidyExpiry: 'month_end',
      transferDailyLimitFen: 100_000,
      cashCounters: [],
      updatedAt: null,
    });
  });

  it('lets roles with accounts.read read them and refuses the others', async () => {
    for (const role of ROLES) {
      const session = await signIn(get(), [role]);
      const response = await get().app.inject({ url: '/api/ledger/settings', headers: { cookie: session.cookie } });
      expect(response.statusCode, role).toBe(rolesWith('accounts.read').includes(role) ? 200 : 403);
    }
    expect((await get().app.inject({ url: '/api/ledger/settings' })).statusCode).toBe(401);
  });

  it('lets finance and admin change them (ledger.settings) and refuses everyone else', async () => {
    expect(rolesWith('ledger.settings').sort()).toEqual(['admin', 'finance']);
    for (const role of ROLES) {
      const session = await signIn(get(), [role]);
      const response = await put(session.cookie, { transferDailyLimitFen: 50_000 });
      expect(response.statusCode, role).toBe(rolesWith('ledger.settings').includes(role) ? 200 : 403);
    }
  });

  it('changes only what is sent, audits before and after, and the rules follow at once', async () => {
    const t = get();
    const finance = await signIn(t, ['finance']);
    const hospital = await newHospital(t.database.db);
    await put(finance.cookie, { transferDailyLimitFen: 100_000 });
    const response = await put(finance.cookie, { spendOrder: 'own_first', subsidyExpiry: 'roll_over' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      spendOrder: 'own_first',
      subsidyExpiry: 'roll_over',
      transferDailyLimitFen: 100_000,
      cashCounters: [],
      updatedAt: t.clock.now().toISOString(),
    });
    const [audit] = await t.database.db
      .selectFrom('auditLog')
      .select(['actorId', 'before', 'after'])
      .where('action', '=', 'ledger.settings')
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(audit).toMatchObject({
      actorId: finance.person.id,
      before: { spendOrder: 'subsidy_first', subsidyExpiry: 'month_end' },
      after: { spendOrder: 'own_first', subsidyExpiry: 'roll_over', transferDailyLimitFen: 100_000 },
    });

    // Own funds first: a sale takes the top-up before the subsidy.
    const person = await joinPerson(t);
    await t.services.funding.grantSubsidies(
      null,
      { batchId: randomUUID(), month: '2026-03', lines: [{ personId: person.id, amountFen: 1_000 }] },
      systemActor,
    );
    await t.services.funding.topUp(
      null,
      { personId: person.id, amountFen: 500, source: 'test', reference: randomUUID() },
      systemActor,
    );
    const sale = await t.services.wallets.spend(
      null,
      {
        personId: person.id,
        amountFen: 300,
        merchant: 'canteen-1',
        counter: 'W01',
        terminal: 'POS-1',
        idempotencyKey: randomUUID(),
      },
      systemActor,
    );
    expect(sale).toMatchObject({ ownFen: 300, subsidyFen: 0 });
    // Roll over: the month-end job expires nothing.
    expect(
      await t.services.closing.expireSubsidies(null, { hospitalId: hospital.id, month: '2026-03' }, systemActor),
    ).toEqual({ entryId: null, totalFen: 0, purses: 0 });

    await put(finance.cookie, { spendOrder: 'subsidy_first', subsidyExpiry: 'month_end' });
  });

  it.each([
    [{}, 'an empty change'],
    [{ transferDailyLimitFen: -1 }, 'a negative limit'],
    [{ transferDailyLimitFen: 12.5 }, 'a limit in fractions of a fen'],
    [{ spendOrder: 'newest_first' }, 'an unknown purse order'],
    [{ colour: 'red' }, 'an unknown setting'],
    [{ cashCounters: ['C 1'] }, 'a counter code with a space'],
    [{ cashCounters: [''] }, 'an empty counter code'],
  ] as [Record<string, unknown>, string][])('refuses %j (%s) with 400', async (payload) => {
    const finance = await signIn(get(), ['finance']);
    expect((await put(finance.cookie, payload)).statusCode).toBe(400);
  });

  it('keeps the cash counters finance sets up, once each, and a cashier reads them', async () => {
    const finance = await signIn(get(), ['finance']);
    const saved = await put(finance.cookie, { cashCounters: ['HB-CASH', 'XC-CASH', 'HB-CASH'] });
    expect(saved.json().cashCounters).toEqual(['HB-CASH', 'XC-CASH']);
    const cashier = await signIn(get(), ['cashier']);
    const read = await get().app.inject({ url: '/api/ledger/settings', headers: { cookie: cashier.cookie } });
    expect(read.json()).toMatchObject({ cashCounters: ['HB-CASH', 'XC-CASH'], transferDailyLimitFen: 100_000 });
    await put(finance.cookie, { cashCounters: [] });
  });
});
