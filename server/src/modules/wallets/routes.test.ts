import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { joinPerson, newHospital, newPerson, signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith } from '../../platform/auth/permissions.ts';
import { systemActor } from '../../platform/audit.ts';
import { closeAndSettle } from '../../../test/settle.ts';

describeApp('wallet routes', (get) => {
  afterAll(() => closeAndSettle(get().database));
  beforeAll(async () => {
    const hospital = await newHospital(get().database.db);
    await get().services.wallets.updateSettings(hospital.id, { cashCounters: ['C1', 'C2'] }, systemActor);
  });

  async function walletOwner(ownFen = 0) {
    const t = get();
    const session = await signIn(t, ['staff']);
    await t.services.wallets.openWallets(null, [session.person]);
    if (ownFen) {
      await t.services.funding.topUp(
        null,
        { personId: session.person.id, amountFen: ownFen, source: 'test', reference: randomUUID() },
        { personId: null, requestId: 'test', ip: '' },
      );
    }
    return session;
  }

  it('opens a wallet when a person joins through the org module and freezes it when they leave', async () => {
    const t = get();
    const person = await joinPerson(t);
    const hospital = await newHospital(t.database.db);
    expect(await t.services.wallets.balances(person.id)).toMatchObject({ status: 'open', availableFen: 0 });
    await t.database.db
      .transaction()
      .execute((trx) =>
        t.services.org.markPeopleLeft(trx, hospital.id, [person.id], { personId: null, requestId: 't', ip: '' }),
      );
    expect((await t.services.wallets.balances(person.id)).status).toBe('frozen');
  });

  it('shows me my wallet and statement, page by page', async () => {
    const { app, services } = get();
    const me = await walletOwner(1000);
    for (let i = 1; i <= 3; i++) {
      await services.wallets.spend(
        null,
        {
          personId: me.person.id,
          amountFen: i * 100,
          merchant: 'canteen-1',
          counter: 'W01',
          terminal: 'POS-1',
          idempotencyKey: randomUUID(),
        },
        { personId: null, requestId: 'test', ip: '' },
      );
    }
    const wallet = await app.inject({ url: '/api/me/wallet', headers: { cookie: me.cookie } });
    expect(wallet.statusCode).toBe(200);
    expect(wallet.json()).toEqual({
      personId: me.person.id,
      subsidyFen: 0,
      ownFen: 400,
      heldFen: 0,
      availableFen: 400,
      status: 'open',
    });
    const page1 = await app.inject({ url: '/api/me/statement?limit=2', headers: { cookie: me.cookie } });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items.map((i: { amountFen: number }) => i.amountFen)).toEqual([-300, -200]);
    const page2 = await app.inject({
      url: `/api/me/statement?limit=2&cursor=${page1.json().nextCursor}`,
      headers: { cookie: me.cookie },
    });
    expect(page2.json().items.map((i: { kind: string }) => i.kind)).toEqual(['spend', 'top_up']);
    const spends = await app.inject({ url: '/api/me/statement?kind=spend', headers: { cookie: me.cookie } });
    expect(spends.json().items).toHaveLength(3);
    const notes = await app.inject({ url: '/api/me/notifications?limit=1', headers: { cookie: me.cookie } });
    expect(notes.json().items[0].payload).toMatchObject({ kind: 'spend', amountFen: -300 });
    expect((await app.inject({ url: '/api/me/wallet' })).statusCode).toBe(401);
  });

  it('takes cash once per Idempotency-Key and returns the same receipt on a retry', async () => {
    const { app } = get();
    const cashier = await signIn(get(), ['cashier']);
    const customer = await walletOwner();
    const body = { personId: customer.person.id, amountFen: 5000, counter: 'C1' };
    const missing = await app.inject({
      method: 'POST',
      url: '/api/ledger/cash-top-ups',
      headers: { cookie: cashier.cookie },
      payload: body,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const key = randomUUID();
    const send = (payload: object) =>
      app.inject({
        method: 'POST',
        url: '/api/ledger/cash-top-ups',
        headers: { cookie: cashier.cookie, 'idempotency-key': key },
        payload,
      });
    const first = await send(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      personId: customer.person.id,
      amountFen: 5000,
      counter: 'C1',
      cashierId: cashier.person.id,
      balance: { ownFen: 5000 },
      replayed: false,
    });
    const retry = await send(body);
    expect(retry.json()).toEqual({ ...first.json(), replayed: true });
    const other = await send({ ...body, amountFen: 6000 });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const wallet = await app.inject({ url: '/api/me/wallet', headers: { cookie: customer.cookie } });
    expect(wallet.json().ownFen).toBe(5000);
  });

  it('refuses a counter the hospital has not set up (422 UNKNOWN_COUNTER) and takes no cash', async () => {
    const { app } = get();
    const cashier = await signIn(get(), ['cashier']);
    const customer = await walletOwner();
    const res = await app.inject({
      method: 'POST',
      url: '/api/ledger/cash-top-ups',
      headers: { cookie: cashier.cookie, 'idempotency-key': randomUUID() },
      payload: { personId: customer.person.id, amountFen: 5000, counter: 'C9' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'UNKNOWN_COUNTER', errors: [{ path: '/counter' }] });
    const wallet = await app.inject({ url: '/api/me/wallet', headers: { cookie: customer.cookie } });
    expect(wallet.json().ownFen).toBe(0);
  });

  it('lets only roles with topup.cash take cash', async () => {
    const { app } = get();
    const customer = await walletOwner();
    for (const role of ROLES) {
      const session = await signIn(get(), [role]);
      const res = await app.inject({
        method: 'POST',
        url: '/api/ledger/cash-top-ups',
        headers: { cookie: session.cookie, 'idempotency-key': randomUUID() },
        payload: { personId: customer.person.id, amountFen: 100, counter: 'C1' },
      });
      expect(res.statusCode, role).toBe(rolesWith('topup.cash').includes(role) ? 200 : 403);
    }
  });

  it("shows a person's wallet and statement to roles with accounts.read", async () => {
    const { app } = get();
    const customer = await walletOwner(700);
    for (const role of ROLES) {
      const session = await signIn(get(), [role]);
      const wallet = await app.inject({
        url: `/api/people/${customer.person.id}/wallet`,
        headers: { cookie: session.cookie },
      });
      const allowed = rolesWith('accounts.read').includes(role);
      expect(wallet.statusCode, role).toBe(allowed ? 200 : 403);
      if (allowed) expect(wallet.json().ownFen).toBe(700);
      const statement = await app.inject({
        url: `/api/people/${customer.person.id}/statement`,
        headers: { cookie: session.cookie },
      });
      expect(statement.statusCode, role).toBe(allowed ? 200 : 403);
    }
    const finance = await signIn(get(), ['finance']);
    const stranger = await newPerson(get().database.db);
    const none = await app.inject({ url: `/api/people/${stranger.id}/wallet`, headers: { cookie: finance.cookie } });
    expect(none.statusCode).toBe(404);
  });

  it('sends own funds to a colleague with the PIN, once per key, within the daily limit', async () => {
    const { app, services } = get();
    const system = { personId: null, requestId: 'test', ip: '' };
    const me = await walletOwner(150_000);
    const colleague = await walletOwner();
    await services.cards.setPin(me.person.id, '246810', undefined, system);
    const send = (payload: object, key = randomUUID()) =>
      app.inject({
        method: 'POST',
        url: '/api/me/transfers',
        headers: { cookie: me.cookie, 'idempotency-key': key },
        payload,
      });
    const wrongPin = await send({ toPersonId: colleague.person.id, amountFen: 100, pin: '000000' });
    expect(wrongPin.statusCode).toBeGreaterThanOrEqual(400);
    const key = randomUUID();
    const body = { toPersonId: colleague.person.id, amountFen: 60_000, pin: '246810', memo: '午饭AA' };
    const first = await send(body, key);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ amountFen: 60_000, balance: { ownFen: 90_000 }, replayed: false });
    const retry = await send(body, key);
    expect(retry.json()).toMatchObject({ entryId: first.json().entryId, replayed: true });
    const overLimit = await send({ ...body, amountFen: 40_001 });
    expect(overLimit.statusCode).toBe(409);
    expect(overLimit.json()).toMatchObject({ code: 'TRANSFER_DAILY_LIMIT', limitFen: 100_000, sentTodayFen: 60_000 });
    const theirs = await app.inject({ url: '/api/me/wallet', headers: { cookie: colleague.cookie } });
    expect(theirs.json().ownFen).toBe(60_000);
  });
});
