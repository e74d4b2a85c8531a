// Property: whatever sequence of top-ups, grants, sales, transfers, withdrawals and reversals happens,
// every wallet matches a simple model of purses, no purse goes below zero, and verify finds nothing.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/harness.ts';
import { newPerson } from '../../../test/factories.ts';
import { moneyServices, type MoneyServices } from '../../../test/money.ts';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/audit.ts';
import { closeAndSettle } from '../../../test/settle.ts';

const actor: Actor = { personId: null, requestId: 'property', ip: '' };

type Purse = 'subsidy' | 'own' | 'held';
type Delta = { person: number; purse: Purse; fen: number }[];

const amount = fc.integer({ min: 1, max: 3000 });
const who = fc.integer({ min: 0, max: 2 });
const operation = fc.oneof(
  fc.record({ op: fc.constant('topUp' as const), who, amount }),
  fc.record({ op: fc.constant('grant' as const), who, amount }),
  fc.record({ op: fc.constant('spend' as const), who, amount }),
  fc.record({ op: fc.constant('transfer' as const), who, to: who, amount }),
  fc.record({ op: fc.constant('hold' as const), who, amount }),
  fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
);

describeEachDatabase('wallet invariants under random operations', (get) => {
  let s: MoneyServices;
  beforeAll(() => {
    s = moneyServices(get());
  });
  const inTx = <T>(work: (trx: Tx) => Promise<T>) => get().db.transaction().execute(work);
  afterAll(() => closeAndSettle(get()));

  it('keeps every purse equal to the model and never below zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 25 }), async (ops) => {
        const people = [];
        for (let i = 0; i < 3; i++) people.push(await newPerson(get().db));
        const ids = people.map((p) => p.id);
        await s.wallets.openWallets(null, people);
        const model = ids.map(() => ({ subsidy: 0, own: 0, held: 0 }));
        const entries: { id: number; delta: Delta; reversed: boolean }[] = [];
        const apply = (delta: Delta, sign = 1) => {
          for (const d of delta) model[d.person]![d.purse] += sign * d.fen;
        };
        const canApply = (delta: Delta, sign = 1) => {
          const next = model.map((m) => ({ ...m }));
          for (const d of delta) next[d.person]![d.purse] += sign * d.fen;
          return next.every((m) => m.subsidy >= 0 && m.own >= 0 && m.held >= 0);
        };
        const refused = async (work: Promise<unknown>, code: string) => {
          await expect(work).rejects.toMatchObject({ code });
        };

        for (const o of ops) {
          if (o.op === 'topUp') {
            const r = await s.funding.topUp(
              null,
              { personId: ids[o.who]!, amountFen: o.amount, source: 'test', reference: randomUUID() },
              actor,
            );
            const delta: Delta = [{ person: o.who, purse: 'own', fen: o.amount }];
            apply(delta);
            entries.push({ id: r.entryId, delta, reversed: false });
          } else if (o.op === 'grant') {
            const r = await s.funding.grantSubsidies(
              null,
              { batchId: randomUUID(), month: '2026-03', lines: [{ personId: ids[o.who]!, amountFen: o.amount }] },
              actor,
            );
            const delta: Delta = [{ person: o.who, purse: 'subsidy', fen: o.amount }];
            apply(delta);
            entries.push({ id: r.entryId, delta, reversed: false });
          } else if (o.op === 'spend') {
            const m = model[o.who]!;
            const input = {
              personId: ids[o.who]!,
              amountFen: o.amount,
              merchant: 'canteen-1',
              counter: 'W01',
              terminal: 'POS-1',
              idempotencyKey: randomUUID(),
            };
            if (m.subsidy + m.own < o.amount) {
              await refused(s.wallets.spend(null, input, actor), 'INSUFFICIENT_FUNDS');
              continue;
            }
            const r = await s.wallets.spend(null, input, actor);
            const fromSubsidy = Math.min(m.subsidy, o.amount);
            const delta: Delta = [
              { person: o.who, purse: 'subsidy', fen: -fromSubsidy },
              { person: o.who, purse: 'own', fen: -(o.amount - fromSubsidy) },
            ];
            expect(r).toMatchObject({ subsidyFen: fromSubsidy, ownFen: o.amount - fromSubsidy });
            apply(delta);
            entries.push({ id: r.entryId, delta, reversed: false });
          } else if (o.op === 'transfer') {
            const input = { fromPersonId: ids[o.who]!, toPersonId: ids[o.to]!, amountFen: o.amount };
            if (o.who === o.to) {
              await refused(s.transfers.transfer(null, input, actor), 'TRANSFER_TO_SELF');
              continue;
            }
            const delta: Delta = [
              { person: o.who, purse: 'own', fen: -o.amount },
              { person: o.to, purse: 'own', fen: o.amount },
            ];
            if (!canApply(delta)) {
              await refused(s.transfers.transfer(null, input, actor), 'INSUFFICIENT_FUNDS');
              continue;
            }
            const r = await s.transfers.transfer(null, input, actor);
            apply(delta);
            entries.push({ id: r.entryId, delta, reversed: false });
          } else if (o.op === 'hold') {
            const input = {
              personId: ids[o.who]!,
              amountFen: o.amount,
              reference: { type: 'withdrawal', id: randomUUID() },
            };
            const delta: Delta = [
              { person: o.who, purse: 'own', fen: -o.amount },
              { person: o.who, purse: 'held', fen: o.amount },
            ];
            if (!canApply(delta)) {
              await refused(
                inTx((trx) => s.holds.hold(trx, input, actor)),
                'INSUFFICIENT_FUNDS',
              );
              continue;
            }
            const r = await inTx((trx) => s.holds.hold(trx, input, actor));
            apply(delta);
            entries.push({ id: r.entryId, delta, reversed: false });
          } else if (entries.length) {
            const target = entries[o.pick % entries.length]!;
            const work = s.ledger.reverseEntry(null, { entryId: target.id, reason: 'property' }, actor);
            if (target.reversed) await refused(work, 'ENTRY_ALREADY_REVERSED');
            else if (!canApply(target.delta, -1)) await refused(work, 'INSUFFICIENT_FUNDS');
            else {
              await work;
              apply(target.delta, -1);
              target.reversed = true;
            }
          }
        }
        for (const [i, id] of ids.entries()) {
          const b = await s.wallets.balances(id);
          expect({ subsidy: b.subsidyFen, own: b.ownFen, held: b.heldFen }).toEqual(model[i]);
        }
      }),
      { numRuns: 25 },
    );
    const report = await s.ledger.verify();
    expect(report.breaches).toEqual([]);
  }, 60_000);
});
