import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';
import { closeAndSettle } from '../../../test/settle.ts';
import { TEST_SIGNATURE_HEADER, signTestNotification } from './channels.ts';

async function walletOwner(t: TestApp) {
  const session = await signIn(t, ['staff']);
  await t.services.wallets.openWallets(null, [session.person]);
  return session;
}

async function order(t: TestApp, cookie: string, amountFen: number, key = randomUUID()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/me/top-ups',
    headers: { cookie, 'idempotency-key': key },
    payload: { amountFen, channel: 'test' },
  });
}

function notify(t: TestApp, body: Record<string, unknown>, signature?: string) {
  const raw = JSON.stringify(body);
  return t.app.inject({
    method: 'POST',
    url: '/api/payments/test/notify',
    headers: { 'content-type': 'application/json', [TEST_SIGNATURE_HEADER]: signature ?? signTestNotification(raw) },
    payload: raw,
  });
}

async function countOrders(t: TestApp) {
  const row = await t.database.db
    .selectFrom('paymentOrders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeApp(
  'online top-up (test channel)',
  (get) => {
    afterAll(() => closeAndSettle(get().database));

    it('creates an order, a signed notification credits the wallet once, replays credit nothing', async () => {
      const t = get();
      const me = await walletOwner(t);
      const created = await order(t, me.cookie, 2500);
      expect(created.statusCode).toBe(200);
      const { order: o, payment } = created.json();
      expect(o).toMatchObject({ status: 'created', amountFen: 2500, channel: 'test', paidAt: null });
      expect(payment).toMatchObject({ kind: 'test', token: o.outTradeNo });

      const body = { outTradeNo: o.outTradeNo, transactionId: 'TX1', amountFen: 2500, paid: true };
      const first = await notify(t, body);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ code: 'SUCCESS', alreadyPaid: false });
      const again = await notify(t, body);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ code: 'SUCCESS', alreadyPaid: true });

      expect((await t.services.wallets.balances(me.person.id)).ownFen).toBe(2500);
      const status = await t.app.inject({ url: `/api/me/top-ups/${o.id}`, headers: { cookie: me.cookie } });
      expect(status.json()).toMatchObject({ status: 'paid', entryId: expect.any(Number) });
    });

    it('credits once when the same notification arrives twice at the same time', async () => {
      const t = get();
      const me = await walletOwner(t);
      const { order: o } = (await order(t, me.cookie, 3300)).json();
      const body = { outTradeNo: o.outTradeNo, transactionId: 'TXC', amountFen: 3300, paid: true };
      const replies = await Promise.all([notify(t, body), notify(t, body), notify(t, body)]);
      expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      expect(replies.filter((r) => !r.json().alreadyPaid)).toHaveLength(1);
      expect((await t.services.wallets.balances(me.person.id)).ownFen).toBe(3300);
    });

    it('pays through the simulated payer (same signed path), once', async () => {
      const t = get();
      const me = await walletOwner(t);
      const { order: o, payment } = (await order(t, me.cookie, 100)).json();
      const pay = () => t.app.inject({ method: 'POST', url: payment.payUrl, headers: { cookie: me.cookie } });
      const paid = await pay();
      expect(paid.statusCode).toBe(200);
      expect(paid.json()).toMatchObject({ id: o.id, status: 'paid' });
      expect((await pay()).statusCode).toBe(200);
      expect((await t.services.wallets.balances(me.person.id)).ownFen).toBe(100);

      const other = await walletOwner(t);
      const stranger = await t.app.inject({ method: 'POST', url: payment.payUrl, headers: { cookie: other.cookie } });
      expect(stranger.statusCode).toBe(404);
      expect(
        (await t.app.inject({ url: `/api/me/top-ups/${o.id}`, headers: { cookie: other.cookie } })).statusCode,
      ).toBe(404);
    });

    it('refuses a bad signature and writes nothing', async () => {
      const t = get();
      const me = await walletOwner(t);
      const { order: o } = (await order(t, me.cookie, 1000)).json();
      const body = { outTradeNo: o.outTradeNo, transactionId: 'TX2', amountFen: 1000, paid: true };
      const forged = await notify(t, body, signTestNotification(JSON.stringify(body), 'wrong-secret'));
      expect(forged.statusCode).toBe(401);
      expect(forged.json().code).toBe('BAD_SIGNATURE');
      expect((await notify(t, body, 'nothex')).statusCode).toBe(401);
      expect((await t.services.wallets.balances(me.person.id)).ownFen).toBe(0);
      const status = await t.app.inject({ url: `/api/me/top-ups/${o.id}`, headers: { cookie: me.cookie } });
      expect(status.json().status).toBe('created');
    });

    it('refuses an amount that differs from the order, and an unknown order', async () => {
      const t = get();
      const me = await walletOwner(t);
      const { order: o } = (await order(t, me.cookie, 1000)).json();
      const wrong = await notify(t, { outTradeNo: o.outTradeNo, transactionId: 'TX3', amountFen: 999, paid: true });
      expect(wrong.statusCode).toBe(409);
      expect(wrong.json().code).toBe('AMOUNT_MISMATCH');
      expect((await t.services.wallets.balances(me.person.id)).ownFen).toBe(0);
      const unknown = await notify(t, { outTradeNo: 'TUNOSUCHORDER', transactionId: 'TX4', amountFen: 1, paid: true });
      expect(unknown.statusCode).toBe(404);
    });

    it('creates one order per Idempotency-Key and checks the limits', async () => {
      const t = get();
      const me = await walletOwner(t);
      const before = await countOrders(t);
      const key = randomUUID();
      const a = await order(t, me.cookie, 5000, key);
      const b = await order(t, me.cookie, 5000, key);
      expect(b.json()).toMatchObject({ replayed: true, order: { id: a.json().order.id } });
      expect((await order(t, me.cookie, 6000, key)).statusCode).toBe(409);
      expect(await countOrders(t)).toBe(before + 1);

      for (const amountFen of [99, 500_001]) {
        const refused = await order(t, me.cookie, amountFen);
        expect(refused.statusCode).toBe(422);
        expect(refused.json().code).toBe('TOP_UP_AMOUNT_OUT_OF_RANGE');
      }
      const noKey = await t.app.inject({
        method: 'POST',
        url: '/api/me/top-ups',
        headers: { cookie: me.cookie },
        payload: { amountFen: 1000, channel: 'test' },
      });
      expect(noKey.statusCode).toBe(400);
      expect((await order(t, '', 1000)).statusCode).toBe(401);
    });

    it('says test payments are on in the sign-in options', async () => {
      const options = await get().app.inject({ url: '/api/auth/options' });
      expect(options.json().testPayments).toBe(true);
    });

    it('leaves the ledger consistent (verify)', async () => {
      const report = await get().services.ledger.verify();
      expect(report.breaches).toEqual([]);
      expect(report.ok).toBe(true);
    });
  },
  { testPayments: true },
);

describeApp('online top-up when test payments are off', (get) => {
  it('offers no test channel', async () => {
    const t = get();
    const me = await walletOwner(t);
    const created = await order(t, me.cookie, 1000);
    expect(created.statusCode).toBe(404);
    expect(created.json().code).toBe('PAYMENT_CHANNEL_UNAVAILABLE');
    const note = await notify(t, { outTradeNo: 'TUX', transactionId: 'T', amountFen: 1000, paid: true });
    expect(note.statusCode).toBe(404);
    const pay = await t.app.inject({
      method: 'POST',
      url: '/api/payments/test/pay/TUABCDEFGH',
      headers: { cookie: me.cookie },
    });
    expect(pay.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/auth/options' })).json().testPayments).toBe(false);
    expect(await countOrders(t)).toBe(0);
  });
});
