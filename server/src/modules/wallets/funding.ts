// Money into wallets: top-ups (cash at a counter, an online channel) and the month's subsidy (补贴).
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/audit.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import { invalid } from '../../platform/errors.ts';
import { withIdempotency, type IdempotencyTables } from '../../platform/idempotency.ts';
import { enqueue } from '../../platform/outbox.ts';
import { movementMessage, type LedgerService, type PurseBalances } from '../ledger/index.ts';
import { assertAmount, type WalletsService } from './service.ts';

export interface TopUpInput {
  personId: number;
  amountFen: number;
  /**
   * Where the money came from: 'cash' (a counter's till, `counter` required) or the code of an online
   * payment channel ('test', 'wechat' …), whose clearing account the ledger keeps per code.
   */
  source: string;
  counter?: string | undefined;
  /** The receipt or payment order: one top-up per reference and source. */
  reference: string;
  memo?: string | undefined;
}

export interface MovementResult {
  entryId: number;
  personId: number;
  amountFen: number;
  balance: PurseBalances;
  createdAt: string;
}

export interface TopUpResult extends MovementResult {
  source: string;
  counter: string | null;
  reference: string;
}

export interface CashTopUpInput {
  /** The cashier's hospital, whose counters `counter` must be one of. */
  hospitalId: number;
  personId: number;
  amountFen: number;
  counter: string;
  memo?: string | undefined;
  /** One top-up per key and cashier: a retry returns the same receipt. */
  idempotencyKey: string;
}

export interface CashTopUpReceipt {
  receiptNo: string;
  entryId: number;
  personId: number;
  amountFen: number;
  counter: string;
  cashierId: number | null;
  balance: PurseBalances;
  createdAt: string;
  replayed: boolean;
}

export interface SubsidyGrantInput {
  batchId: number | string;
  /** YYYY-MM */
  month: string;
  lines: { personId: number; amountFen: number }[];
}

export interface SubsidyGrantResult {
  entryId: number;
  totalFen: number;
  lineCount: number;
  /** The batch had been granted before: nothing was granted now. */
  alreadyGranted: boolean;
}

export const SUBSIDY_GRANT = 'subsidy_grant';

export class FundingService {
  constructor(
    private readonly db: Kysely<IdempotencyTables>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletsService,
  ) {}

  /** Money in to own funds. Inside the caller's transaction when given (the payment notification's). */
  async topUp(trx: Tx | null | undefined, input: TopUpInput, actor: Actor): Promise<TopUpResult> {
    assertAmount(input.amountFen);
    if (input.source === 'cash' && !input.counter) {
      throw invalid('COUNTER_REQUIRED', 'A cash top-up names the counter that took the cash', [
        { path: '/counter', message: 'is required for cash' },
      ]);
    }
    return this.ledger.within(trx, async (t) => {
      const now = this.clock.now();
      const wallet = (await this.wallets.lockWallets(t, [input.personId])).get(input.personId)!;
      const from =
        input.source === 'cash'
          ? await this.ledger.hospitalAccount(t, wallet.hospitalId, 'counter_cash', input.counter!)
          : await this.ledger.hospitalAccount(t, wallet.hospitalId, 'topup_clearing', input.source);
      const where = { channel: input.source, counter: input.counter ?? null };
      const entryId = await this.ledger.post(
        t,
        {
          hospitalId: wallet.hospitalId,
          kind: 'top_up',
          memo: input.memo ?? '',
          reference: {
            type: input.source === 'cash' ? 'cash_receipt' : `payment:${input.source}`,
            id: input.reference,
          },
          details: where,
          lines: [
            { accountId: from, amountFen: -input.amountFen },
            { accountId: wallet.ownAccountId, amountFen: input.amountFen },
          ],
        },
        actor,
        now,
      );
      const balance = {
        subsidyFen: wallet.subsidyFen,
        ownFen: wallet.ownFen + input.amountFen,
        heldFen: wallet.heldFen,
      };
      await enqueue(
        t,
        [
          movementMessage({
            personId: input.personId,
            entryId,
            kind: 'top_up',
            amounts: { amountFen: input.amountFen, ownFen: input.amountFen },
            balance,
            where,
            now,
          }),
        ],
        now,
      );
      return {
        entryId,
        personId: input.personId,
        amountFen: input.amountFen,
        source: input.source,
        counter: input.counter ?? null,
        reference: input.reference,
        balance,
        createdAt: iso(now),
      };
    });
  }

  /** Cash at a counter, with a receipt; the same key from the same cashier returns the same receipt. */
  async cashTopUp(input: CashTopUpInput, cashier: Actor): Promise<CashTopUpReceipt> {
    const { idempotencyKey, hospitalId, ...request } = input;
    const { result, replayed } = await withIdempotency(
      this.db,
      { scope: `cash-top-up:${cashier.personId}`, key: idempotencyKey, request, now: this.clock.now() },
      async (trx) => {
        // Inside the key's transaction: a retry of a top-up taken before the counter was removed replays it.
        await this.wallets.assertCashCounter(hospitalId, input.counter, trx);
        const topUp = await this.topUp(
          trx,
          {
            personId: input.personId,
            amountFen: input.amountFen,
            source: 'cash',
            counter: input.counter,
            reference: `${cashier.personId}:${idempotencyKey}`,
            memo: input.memo,
          },
          cashier,
        );
        return {
          receiptNo: `CT${String(topUp.entryId).padStart(8, '0')}`,
          entryId: topUp.entryId,
          personId: topUp.personId,
          amountFen: topUp.amountFen,
          counter: input.counter,
          cashierId: cashier.personId,
          balance: topUp.balance,
          createdAt: topUp.createdAt,
        };
      },
    );
    return { ...result, replayed };
  }

  /**
   * A month's subsidy (补贴) batch as ONE entry: subsidy funding → each person's subsidy purse.
   * Granting the same batch again grants nothing and returns the first entry.
   */
  async grantSubsidies(
    trx: Tx | null | undefined,
    input: SubsidyGrantInput,
    actor: Actor,
  ): Promise<SubsidyGrantResult> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) {
      throw invalid('INVALID_MONTH', 'The month is written YYYY-MM', [{ path: '/month', message: 'must be YYYY-MM' }]);
    }
    if (!input.lines.length) throw invalid('EMPTY_BATCH', 'A subsidy batch needs at least one line');
    input.lines.forEach((l, i) => assertAmount(l.amountFen, `/lines/${i}/amountFen`));
    const personIds = input.lines.map((l) => l.personId);
    const duplicated = personIds.filter((id, i) => personIds.indexOf(id) !== i);
    if (duplicated.length) {
      throw invalid('DUPLICATE_LINE', 'A person appears twice in the batch', [
        { path: '/lines', message: `people ${[...new Set(duplicated)].join(', ')} appear more than once` },
      ]);
    }
    const totalFen = input.lines.reduce((sum, l) => sum + l.amountFen, 0);
    return this.ledger.within(trx, async (t) => {
      const now = this.clock.now();
      const wallets = await this.wallets.lockWallets(t, personIds);
      const hospitalId = wallets.get(personIds[0]!)!.hospitalId;
      const reference = { type: 'subsidy_batch', id: String(input.batchId) };
      const existing = await this.ledger.entryByReference(t, hospitalId, SUBSIDY_GRANT, reference);
      if (existing) return { entryId: existing, totalFen, lineCount: input.lines.length, alreadyGranted: true };
      const funding = await this.ledger.hospitalAccount(t, hospitalId, 'subsidy_funding', '');
      const entryId = await this.ledger.post(
        t,
        {
          hospitalId,
          kind: SUBSIDY_GRANT,
          memo: `${input.month} 补贴`,
          reference,
          details: { month: input.month, lines: input.lines.length },
          lines: [
            { accountId: funding, amountFen: -totalFen },
            ...input.lines.map((l) => ({
              accountId: wallets.get(l.personId)!.subsidyAccountId,
              amountFen: l.amountFen,
            })),
          ],
        },
        actor,
        now,
      );
      await enqueue(
        t,
        input.lines.map((l) => {
          const w = wallets.get(l.personId)!;
          return movementMessage({
            personId: l.personId,
            entryId,
            kind: SUBSIDY_GRANT,
            amounts: { amountFen: l.amountFen, subsidyFen: l.amountFen },
            balance: { subsidyFen: w.subsidyFen + l.amountFen, ownFen: w.ownFen, heldFen: w.heldFen },
            where: { month: input.month },
            now,
          });
        }),
        now,
      );
      return { entryId, totalFen, lineCount: input.lines.length, alreadyGranted: false };
    });
  }

  /** Subsidy credited per local month from the journal, whatever path granted it (finance reconciles on it). */
  subsidyGrantedByMonth(hospitalId: number) {
    return this.ledger.subsidyGrantedByMonth(hospitalId, SUBSIDY_GRANT);
  }
}
