import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';
import { closeAndSettle } from '../../../test/settle.ts';

describeApp('withdrawal routes', (get) => {
  afterAll(() => closeAndSettle(get().database));

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
});
