import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { joinPerson, newHospital, newPerson, signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith } from '../../platform/auth/permissions.ts';
import { closeAndSettle } from './testing.ts';

describeApp('ledger routes', (get) => {
  afterAll(() => closeAndSettle(get().database));

  async function walletOwner(ownFen = 0) {
    const t = get();
    const session = await signIn(t, ['staff']);
    await t.services.ledger.openWallets(null, [session.person.id]);
    if (ownFen) {
      await t.services.ledger.topUp(
        null,
        { personId: session.person.id, amountFen: ownFen, channel: 'test', reference: randomUUID() },
        { personId: null, requestId: 'test', ip: '' },
      );
    }
    return session;
  }

  it('opens a wallet when a person joins through the org module and freezes it when they leave', async () => {
    const t = get();
    const person = await joinPerson(t);
    const hospital = await newHospital(t.database.db);
    expect(await t.services.ledger.balances(person.id)).toMatchObject({ status: 'open', availableFen: 0 });
    await t.database.db
      .transaction()
      .execute((trx) =>
        t.services.org.markPeopleLeft(trx, hospital.id, [person.id], { personId: null, requestId: 't', ip: '' }),
      );
    expect((await t.services.ledger.balances(person.id)).status).toBe('frozen');
  });

  it('shows me my wallet and statement, page by page', async () => {
    const { app, services } = get();
    const me = await walletOwner(1000);
    for (let i = 1; i <= 3; i++) {
      await services.ledger.spend(
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

  it('opens the journal, with postings, to roles with ledger.read', async () => {
    const { app } = get();
    const customer = await walletOwner(300);
    for (const role of ROLES) {
      const session = await signIn(get(), [role]);
      const res = await app.inject({
        url: `/api/ledger/entries?personId=${customer.person.id}`,
        headers: { cookie: session.cookie },
      });
      const allowed = rolesWith('ledger.read').includes(role);
      expect(res.statusCode, role).toBe(allowed ? 200 : 403);
      if (allowed) {
        const [entry] = res.json().items;
        expect(entry.kind).toBe('top_up');
        expect(entry.postings.reduce((s: number, p: { amountFen: number }) => s + p.amountFen, 0)).toBe(0);
        expect(entry.postings).toContainEqual(
          expect.objectContaining({ accountKind: 'own_purse', personId: customer.person.id, amountFen: 300 }),
        );
      }
    }
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

  it('holds a withdrawal request until finance pays or rejects it', async () => {
    const { app } = get();
    const me = await walletOwner(10_000);
    const finance = await signIn(get(), ['finance']);
    const ask = (amountFen: number) =>
      app.inject({
        method: 'POST',
        url: '/api/me/withdrawals',
        headers: { cookie: me.cookie, 'idempotency-key': randomUUID() },
        payload: { amountFen, note: '离职' },
      });
    const tooMuch = await ask(10_001);
    expect(tooMuch.json().code).toBe('INSUFFICIENT_FUNDS');
    const first = (await ask(4_000)).json();
    const second = (await ask(3_000)).json();
    expect(first).toMatchObject({ status: 'pending', amountFen: 4_000 });
    const wallet = async () => (await app.inject({ url: '/api/me/wallet', headers: { cookie: me.cookie } })).json();
    expect(await wallet()).toMatchObject({ ownFen: 3_000, heldFen: 7_000 });
    const pending = await app.inject({
      url: '/api/ledger/withdrawals?status=pending',
      headers: { cookie: finance.cookie },
    });
    expect(pending.json().items.map((w: { id: number }) => w.id)).toEqual(
      expect.arrayContaining([first.id, second.id]),
    );
    const decide = (id: number, action: string) =>
      app.inject({
        method: 'POST',
        url: `/api/ledger/withdrawals/${id}/${action}`,
        headers: { cookie: finance.cookie },
        payload: { note: 'ok' },
      });
    expect((await decide(first.id, 'pay')).json()).toMatchObject({ status: 'paid', decidedBy: finance.person.id });
    expect((await decide(second.id, 'reject')).json().status).toBe('rejected');
    expect((await decide(second.id, 'pay')).json().code).toBe('WITHDRAWAL_ALREADY_DECIDED');
    expect(await wallet()).toMatchObject({ ownFen: 6_000, heldFen: 0 });
    const staff = await signIn(get(), ['staff']);
    expect((await app.inject({ url: '/api/ledger/withdrawals', headers: { cookie: staff.cookie } })).statusCode).toBe(
      403,
    );
  });

  it('lets finance reverse an entry once, with a reason', async () => {
    const { app, services } = get();
    const customer = await walletOwner(900);
    const [entry] = (await services.ledger.journal({ personId: customer.person.id })).items;
    for (const role of ROLES) {
      const session = await signIn(get(), [role]);
      if (rolesWith('ledger.reverse').includes(role)) continue;
      const res = await app.inject({
        method: 'POST',
        url: `/api/ledger/entries/${entry!.id}/reversal`,
        headers: { cookie: session.cookie, 'idempotency-key': randomUUID() },
        payload: { reason: '重复充值' },
      });
      expect(res.statusCode, role).toBe(403);
    }
    const finance = await signIn(get(), ['finance']);
    const reverse = () =>
      app.inject({
        method: 'POST',
        url: `/api/ledger/entries/${entry!.id}/reversal`,
        headers: { cookie: finance.cookie, 'idempotency-key': randomUUID() },
        payload: { reason: '重复充值' },
      });
    const first = await reverse();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ reversesEntryId: entry!.id, replayed: false });
    expect((await reverse()).json().code).toBe('ENTRY_ALREADY_REVERSED');
    expect((await services.ledger.balances(customer.person.id)).ownFen).toBe(0);
  });

  it('streams my notifications live', async () => {
    const { app, services } = get();
    const me = await walletOwner();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    try {
      const res = await fetch(`${address}/api/me/notifications/stream`, {
        headers: { cookie: me.cookie },
        signal: controller.signal,
      });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      await services.ledger.topUp(
        null,
        { personId: me.person.id, amountFen: 1234, channel: 'test', reference: randomUUID() },
        { personId: null, requestId: 'test', ip: '' },
      );
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('event: wallet.movement')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      expect(text).toContain('"amountFen":1234');
    } finally {
      controller.abort();
    }
  });
});
