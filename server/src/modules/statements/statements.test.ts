import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/harness.ts';
import { cashier, moneyServices, sale, walletWith, type MoneyServices } from '../../../test/money.ts';
import { closeAndSettle } from '../../../test/settle.ts';

describeEachDatabase('statements', (get) => {
  let s: MoneyServices;
  beforeAll(() => {
    s = moneyServices(get());
  });
  afterAll(() => closeAndSettle(get()));

  describe('statement', () => {
    it('pages newest first and filters by kind and local day', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000, subsidyFen: 100 });
      s.clock.set('2026-03-02T16:30:00Z'); // 00:30 on 3 March in Shanghai
      for (let i = 0; i < 5; i++) await s.wallets.spend(null, sale(person.id, 10 + i), cashier);
      s.clock.set('2026-03-02T04:00:00Z');
      const page1 = await s.statements.statement(person.id, { limit: 4 });
      expect(page1.items.map((i) => i.amountFen)).toEqual([-14, -13, -12, -11]);
      const page2 = await s.statements.statement(person.id, { limit: 4 }, page1.nextCursor);
      expect(page2.items.map((i) => i.kind)).toEqual(['spend', 'subsidy_grant', 'top_up']);
      expect(page2.nextCursor).toBeNull();
      const grants = await s.statements.statement(person.id, { kinds: ['subsidy_grant'] });
      expect(grants.items).toHaveLength(1);
      expect(grants.items[0]).toMatchObject({ amountFen: 100, subsidyFen: 100, ownFen: 0 });
      const march3 = await s.statements.statement(person.id, { from: '2026-03-03', to: '2026-03-03' });
      expect(march3.items).toHaveLength(5);
      const march2 = await s.statements.statement(person.id, { from: '2026-03-02', to: '2026-03-02' });
      expect(march2.items.map((i) => i.kind).sort()).toEqual(['subsidy_grant', 'top_up']);
    });
  });

  describe('order and colleagues', () => {
    it('lists strictly newest first by time, whatever order the entries were written in', async () => {
      const person = await walletWith(get(), s, { ownFen: 1000 });
      // An offline sale at 07:32 synced after an 08:07 top-up: written later, happened earlier.
      s.clock.set('2026-03-04T00:07:00Z');
      await s.funding.topUp(
        null,
        { personId: person.id, amountFen: 500, source: 'test', reference: 'late-1' },
        cashier,
      );
      s.clock.set('2026-03-03T23:32:00Z');
      await s.wallets.spend(null, sale(person.id, 700, { allowArrears: true }), cashier);
      s.clock.set('2026-03-02T04:00:00Z');
      const page = await s.statements.statement(person.id, { from: '2026-03-04', to: '2026-03-04', limit: 1 });
      expect(page.items.map((i) => i.kind)).toEqual(['top_up']);
      const next = await s.statements.statement(person.id, { from: '2026-03-04', to: '2026-03-04' }, page.nextCursor);
      expect(next.items.map((i) => i.kind)).toEqual(['spend']);
    });

    it('names the colleague of a transfer, masked, on both sides', async () => {
      const a = await walletWith(get(), s, { ownFen: 1000 });
      const b = await walletWith(get(), s);
      await s.transfers.transfer(null, { fromPersonId: a.id, toPersonId: b.id, amountFen: 100 }, cashier);
      const [sent] = (await s.statements.statement(a.id, { kinds: ['transfer'] })).items;
      const [received] = (await s.statements.statement(b.id, { kinds: ['transfer'] })).items;
      // The test people are all called 张三: two characters show as 张*.
      expect(sent?.counterpart).toEqual({ personId: b.id, maskedName: '张*' });
      expect(received?.counterpart).toEqual({ personId: a.id, maskedName: '张*' });
      expect(sent?.amountFen).toBe(-100);
    });
  });
});
