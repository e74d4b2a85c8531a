// Money leaving wallets for good: unspent subsidy at month end (清零), and the wallet of a person who
// leaves (退卡): own funds paid out in cash at a counter, subsidy returned, the wallet closed.
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import { iso, localMidnight, type Clock } from '../../platform/clock.ts';
import { conflict } from '../../platform/errors.ts';
import { enqueue } from '../../platform/outbox.ts';
import { movementMessage, type LedgerService, type LockedPurse, type PurseBalances } from '../ledger/index.ts';
import type { WalletsService } from './service.ts';

const SUBSIDY_EXPIRY = 'subsidy_expiry';

/** The month after YYYY-MM. */
function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

export interface AccountReturnInput {
  personId: number;
  /** The counter whose cash pays the own funds out. */
  counter: string;
  /** The return's business reference (one payout per reference). */
  reference: string;
}

export interface AccountReturnResult {
  personId: number;
  /** Own funds paid out in cash (0 when there were none). */
  ownPaidOutFen: number;
  /** Unspent subsidy returned to the hospital. */
  subsidyReturnedFen: number;
  payoutEntryId: number | null;
  subsidyEntryId: number | null;
  counter: string;
  /** After the return: every purse at zero. */
  balance: PurseBalances;
  closedAt: string;
}

/** Whether a withdrawal of this person waits for finance (the withdrawals module answers). */
export type PendingWithdrawalCheck = (trx: Tx, personId: number) => Promise<number | null>;

export class ClosingService {
  constructor(
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletsService,
    private readonly pendingWithdrawal: PendingWithdrawalCheck,
    private readonly timeZone: string,
  ) {}

  /**
   * 清零: at month end, every unspent subsidy of the hospital moves to the expired-subsidy account, in ONE
   * entry per hospital and month (running it twice for a month expires nothing more). Does nothing when
   * the hospital lets subsidy roll over. What came into a purse after the month ended (next month's grant,
   * a refund) is not the month's and stays: the job may run late (after downtime, a retry), and spending
   * takes the oldest subsidy first, so what is left of the month is the balance less those credits.
   */
  async expireSubsidies(
    trx: Tx | null | undefined,
    input: { hospitalId: number; month: string },
    actor: Actor,
  ): Promise<{ entryId: number | null; totalFen: number; purses: number }> {
    return this.ledger.within(trx, async (t) => {
      if ((await this.wallets.settings(input.hospitalId, t)).subsidyExpiry === 'roll_over') {
        return { entryId: null, totalFen: 0, purses: 0 };
      }
      const reference = { type: 'subsidy_month', id: input.month };
      const done = await this.ledger.entryByReference(t, input.hospitalId, SUBSIDY_EXPIRY, reference);
      if (done) return { entryId: done, totalFen: 0, purses: 0 };
      const listed = await this.ledger.pursesWithMoney(t, 'subsidy_purse', { hospitalId: input.hospitalId });
      if (!listed.length) return { entryId: null, totalFen: 0, purses: 0 };
      // Locked, then read again: a sale in flight finishes first and takes what it takes.
      const people = listed.map((p) => p.personId);
      await this.ledger.lockPurses(t, people);
      const funded = await this.ledger.pursesWithMoney(t, 'subsidy_purse', { personIds: people });
      const monthEnded = localMidnight(`${nextMonth(input.month)}-01`, this.timeZone);
      const since = await this.ledger.creditsSince(
        t,
        input.hospitalId,
        funded.map((p) => p.accountId),
        monthEnded,
      );
      const purses = funded
        .map((p) => ({ ...p, balanceFen: p.balanceFen - (since.get(p.accountId) ?? 0) }))
        .filter((p) => p.balanceFen > 0);
      if (!purses.length) return { entryId: null, totalFen: 0, purses: 0 };
      const entryId = await this.returnSubsidy(t, input.hospitalId, purses, reference, actor);
      return { entryId, totalFen: purses.reduce((sum, p) => sum + p.balanceFen, 0), purses: purses.length };
    });
  }

  /**
   * 退卡 on leaving: the wallets close for good. Own funds and holds must be paid out first; unspent
   * subsidy goes back to the hospital in the same transaction.
   */
  async closeWallets(
    trx: Tx | null | undefined,
    personIds: number[],
    actor: Actor,
  ): Promise<{ subsidyEntryIds: number[]; subsidyReturnedFen: number }> {
    if (!personIds.length) return { subsidyEntryIds: [], subsidyReturnedFen: 0 };
    return this.ledger.within(trx, async (t) => {
      const ids = [...new Set(personIds)];
      const wallets = await this.wallets.lockWallets(t, ids, ['open', 'frozen', 'closed']);
      const unsettled = [...wallets.values()].filter((w) => w.ownFen !== 0 || w.heldFen !== 0);
      if (unsettled.length) {
        throw conflict('WALLET_NOT_SETTLED', 'Pay out own funds and pending withdrawals before closing', {
          personIds: unsettled.map((w) => w.personId),
        });
      }
      const purses = await this.ledger.pursesWithMoney(t, 'subsidy_purse', { personIds: ids });
      const byHospital = new Map<number, LockedPurse[]>();
      for (const p of purses) byHospital.set(p.hospitalId, [...(byHospital.get(p.hospitalId) ?? []), p]);
      const subsidyEntryIds: number[] = [];
      for (const [hospitalId, list] of byHospital) {
        subsidyEntryIds.push(await this.returnSubsidy(t, hospitalId, list, null, actor));
      }
      await this.wallets.markClosed(t, ids);
      await recordAudit(t, actor, { action: 'ledger.close_wallets', entity: 'wallet', entityId: ids.join(',') });
      return { subsidyEntryIds, subsidyReturnedFen: purses.reduce((sum, p) => sum + p.balanceFen, 0) };
    });
  }

  /**
   * 退卡, the money side, in the caller's transaction: own funds are paid out in cash at `counter` (one
   * entry: own purse → the counter's cash, kind withdrawal_settle, reference `account_return`), unspent
   * subsidy goes back to the hospital and the wallet closes (closeWallets). Refused at a counter that is not
   * one of the hospital's cash counters (UNKNOWN_COUNTER), while a withdrawal is pending (WITHDRAWAL_PENDING:
   * finance decides it first) or own funds are in arrears (WALLET_IN_ARREARS).
   */
  async settleAccountReturn(
    trx: Tx | null | undefined,
    input: AccountReturnInput,
    actor: Actor,
  ): Promise<AccountReturnResult> {
    return this.ledger.within(trx, async (t) => {
      const now = this.clock.now();
      // The purses are locked before they are read: a sale in flight finishes first, none after it.
      const wallet = (await this.wallets.lockWallets(t, [input.personId], ['open', 'frozen'])).get(input.personId)!;
      // The receipt names the counter whose cash pays out: a made-up code is a typo, refused as for a top-up.
      await this.wallets.assertCashCounter(wallet.hospitalId, input.counter, t);
      const pending = await this.pendingWithdrawal(t, input.personId);
      if (pending !== null || wallet.heldFen !== 0) {
        throw conflict('WITHDRAWAL_PENDING', 'A withdrawal is pending: finance pays or rejects it before the return', {
          personId: input.personId,
          withdrawalId: pending,
          heldFen: wallet.heldFen,
        });
      }
      if (wallet.ownFen < 0) {
        throw conflict('WALLET_IN_ARREARS', 'Own funds are below zero: the arrears are paid before the return', {
          personId: input.personId,
          ownFen: wallet.ownFen,
        });
      }
      let payoutEntryId: number | null = null;
      if (wallet.ownFen > 0) {
        const cash = await this.ledger.hospitalAccount(t, wallet.hospitalId, 'counter_cash', input.counter);
        const where = { counter: input.counter, accountReturn: true };
        payoutEntryId = await this.ledger.post(
          t,
          {
            hospitalId: wallet.hospitalId,
            kind: 'withdrawal_settle',
            memo: '退卡: 个人充值余额退现',
            reference: { type: 'account_return', id: input.reference },
            details: where,
            lines: [
              { accountId: wallet.ownAccountId, amountFen: -wallet.ownFen },
              { accountId: cash, amountFen: wallet.ownFen },
            ],
          },
          actor,
          now,
        );
        await enqueue(
          t,
          [
            movementMessage({
              personId: input.personId,
              entryId: payoutEntryId,
              kind: 'withdrawal_settle',
              amounts: { amountFen: -wallet.ownFen, ownFen: -wallet.ownFen },
              balance: { subsidyFen: wallet.subsidyFen, ownFen: 0, heldFen: 0 },
              where,
              now,
            }),
          ],
          now,
        );
      }
      const closed = await this.closeWallets(t, [input.personId], actor);
      return {
        personId: input.personId,
        ownPaidOutFen: wallet.ownFen,
        subsidyReturnedFen: closed.subsidyReturnedFen,
        payoutEntryId,
        subsidyEntryId: closed.subsidyEntryIds[0] ?? null,
        counter: input.counter,
        balance: { subsidyFen: 0, ownFen: 0, heldFen: 0 },
        closedAt: iso(now),
      };
    });
  }

  private async returnSubsidy(
    t: Tx,
    hospitalId: number,
    purses: LockedPurse[],
    reference: { type: string; id: string } | null,
    actor: Actor,
  ): Promise<number> {
    const now = this.clock.now();
    const expired = await this.ledger.hospitalAccount(t, hospitalId, 'expired_subsidy', '');
    const totalFen = purses.reduce((sum, p) => sum + p.balanceFen, 0);
    const entryId = await this.ledger.post(
      t,
      {
        hospitalId,
        kind: SUBSIDY_EXPIRY,
        memo: reference ? `${reference.id} 补贴清零` : '退卡: 补贴退回',
        reference,
        lines: [
          ...purses.map((p) => ({ accountId: p.accountId, amountFen: -p.balanceFen })),
          { accountId: expired, amountFen: totalFen },
        ],
      },
      actor,
      now,
    );
    const after = await this.wallets.purses(
      t,
      purses.map((p) => p.personId),
    );
    await enqueue(
      t,
      purses.map((p) =>
        movementMessage({
          personId: p.personId,
          entryId,
          kind: SUBSIDY_EXPIRY,
          amounts: { amountFen: -p.balanceFen, subsidyFen: -p.balanceFen },
          balance: after.get(p.personId),
          where: {},
          now,
        }),
      ),
      now,
    );
    return entryId;
  }
}
