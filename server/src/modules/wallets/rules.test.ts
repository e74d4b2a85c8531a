// The sale's purse rule lives in ledger_spend() (the source) and in rules.ts (a mirror for tills that are
// offline). Both run here on the same random wallets; any disagreement fails.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/harness.ts';
import { cashier, moneyServices, sale, walletWith, type MoneyServices } from '../../../test/money.ts';
import { closeAndSettle } from '../../../test/settle.ts';
import { splitSale } from './rules.ts';

describeEachDatabase('the sale rule in SQL and in TypeScript', (get) => {
  let s: MoneyServices;
  beforeAll(() => {
    s = moneyServices(get());
  });
  afterAll(() => closeAndSettle(get()));

  it('splits every sale between the purses the same way, refuses the same sales, owes the same arrears', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          subsidyFen: fc.integer({ min: 0, max: 2000 }),
          ownFen: fc.integer({ min: 0, max: 2000 }),
          /** Own funds already in arrears before this sale (an earlier offline sale). */
          debtFen: fc.integer({ min: 0, max: 500 }),
          amountFen: fc.integer({ min: 1, max: 5000 }),
          order: fc.constantFrom('subsidy_first' as const, 'own_first' as const),
          allowArrears: fc.boolean(),
        }),
        async (c) => {
          const person = await walletWith(get(), s, { subsidyFen: c.subsidyFen, ownFen: c.ownFen });
          if (c.debtFen) {
            // Take own funds below zero the way it happens: an offline sale larger than the wallet.
            await s.wallets.spend(
              null,
              sale(person.id, c.subsidyFen + c.ownFen + c.debtFen, { allowArrears: true }),
              cashier,
            );
          }
          const purses = await s.wallets.balances(person.id);
          await s.wallets.updateSettings(person.hospitalId, { spendOrder: c.order }, cashier);
          const expected = splitSale(purses, c.amountFen, c.order, c.allowArrears);
          const actual = await s.wallets
            .spend(null, sale(person.id, c.amountFen, { allowArrears: c.allowArrears }), cashier)
            .then(
              (r) => ({ subsidyFen: r.subsidyFen, ownFen: r.ownFen, arrearsFen: r.arrearsFen }),
              (error: { code?: string }) => {
                expect(error.code).toBe('INSUFFICIENT_FUNDS');
                return null;
              },
            );
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
