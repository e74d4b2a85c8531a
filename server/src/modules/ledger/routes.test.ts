import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith } from '../../platform/auth/permissions.ts';
import { closeAndSettle } from '../../../test/settle.ts';

describeApp('ledger routes', (get) => {
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
    expect((await services.wallets.balances(customer.person.id)).ownFen).toBe(0);
  });
});
