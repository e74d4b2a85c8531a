// 同事间转账: a person sends own funds to a colleague (never subsidy), with the payment PIN and a daily limit.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/audit.ts';
import { iso, localDay, localMidnight, type Clock } from '../../platform/clock.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { withIdempotency, type IdempotencyTables } from '../../platform/idempotency.ts';
import { enqueue } from '../../platform/outbox.ts';
import { movementMessage, type LedgerService, type PurseBalances } from '../ledger/index.ts';
import { assertAmount, type WalletsService } from './service.ts';

export const TRANSFER = 'transfer';

/** Checks a person's payment PIN; throws PIN_WRONG, PIN_LOCKED or PIN_NOT_SET (the cards module owns PINs). */
export type PinVerifier = (personId: number, pin: string, actor: Actor) => Promise<void>;

export interface TransferInput {
  fromPersonId: number;
  toPersonId: number;
  amountFen: number;
  memo?: string | undefined;
  reference?: { type: string; id: string } | undefined;
}

export interface TransferResult {
  entryId: number;
  amountFen: number;
  from: PurseBalances;
  to: PurseBalances;
  createdAt: string;
}

export interface TransferRequest {
  toPersonId: number;
  amountFen: number;
  pin: string;
  memo?: string | undefined;
  idempotencyKey: string;
}

export interface TransferReceipt {
  entryId: number;
  toPersonId: number;
  amountFen: number;
  balance: PurseBalances;
  createdAt: string;
  replayed: boolean;
}

export class TransfersService {
  constructor(
    private readonly db: Kysely<IdempotencyTables>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletsService,
    private readonly options: { timeZone: string; verifyPin: PinVerifier },
  ) {}

  /**
   * A person sends own funds from /m. The PIN is checked first, outside any transaction and holding no
   * lock (a wrong PIN's failure count must stick, and a slow hash must not hold a connection); then the
   * transfer runs once per Idempotency-Key.
   */
  async send(
    sender: Actor & { personId: number; hospitalId: number },
    request: TransferRequest,
  ): Promise<TransferReceipt> {
    // A colleague of another hospital is "not found", as everywhere else.
    await this.wallets.assertWalletInHospital(request.toPersonId, sender.hospitalId);
    await this.options.verifyPin(sender.personId, request.pin, sender);
    const { pin: _pin, idempotencyKey, ...hashed } = request;
    const { result, replayed } = await withIdempotency(
      this.db,
      { scope: `transfer:${sender.personId}`, key: idempotencyKey, request: hashed, now: this.clock.now() },
      async (trx) => {
        const transfer = await this.transfer(
          trx,
          {
            fromPersonId: sender.personId,
            toPersonId: request.toPersonId,
            amountFen: request.amountFen,
            memo: request.memo,
            reference: { type: 'transfer_request', id: `${sender.personId}:${idempotencyKey}` },
          },
          { personId: sender.personId, requestId: sender.requestId, ip: sender.ip },
        );
        return {
          entryId: transfer.entryId,
          toPersonId: request.toPersonId,
          amountFen: transfer.amountFen,
          balance: transfer.from,
          createdAt: transfer.createdAt,
        };
      },
    );
    return { ...result, replayed };
  }

  /** The movement itself, in the caller's transaction: own funds only; the daily limit is checked here. */
  async transfer(trx: Tx | null | undefined, input: TransferInput, actor: Actor): Promise<TransferResult> {
    assertAmount(input.amountFen);
    if (input.fromPersonId === input.toPersonId) {
      throw invalid('TRANSFER_TO_SELF', 'A transfer goes to someone else');
    }
    return this.ledger.within(trx, async (t) => {
      const now = this.clock.now();
      // Both purses are locked before the day's total is read, so two transfers at once cannot both slip
      // under the limit, and a freeze of either wallet is seen.
      const wallets = await this.wallets.lockWallets(t, [input.fromPersonId, input.toPersonId]);
      const from = wallets.get(input.fromPersonId)!;
      const to = wallets.get(input.toPersonId)!;
      if (from.hospitalId !== to.hospitalId) throw invalid('OTHER_HOSPITAL', 'Transfers stay within one hospital');
      const { transferDailyLimitFen: limit } = await this.wallets.settings(from.hospitalId, t);
      const today = localMidnight(localDay(now, this.options.timeZone), this.options.timeZone);
      const sent = await this.ledger.debitsSince(t, from.ownAccountId, TRANSFER, today);
      if (sent + input.amountFen > limit) {
        throw conflict('TRANSFER_DAILY_LIMIT', 'This transfer would pass the daily transfer limit', {
          limitFen: limit,
          sentTodayFen: sent,
        });
      }
      const entryId = await this.ledger.post(
        t,
        {
          hospitalId: from.hospitalId,
          kind: TRANSFER,
          memo: input.memo ?? '',
          reference: input.reference ?? null,
          details: { fromPersonId: input.fromPersonId, toPersonId: input.toPersonId },
          lines: [
            { accountId: from.ownAccountId, amountFen: -input.amountFen },
            { accountId: to.ownAccountId, amountFen: input.amountFen },
          ],
        },
        actor,
        now,
      );
      const fromAfter = { subsidyFen: from.subsidyFen, ownFen: from.ownFen - input.amountFen, heldFen: from.heldFen };
      const toAfter = { subsidyFen: to.subsidyFen, ownFen: to.ownFen + input.amountFen, heldFen: to.heldFen };
      const where = { fromPersonId: input.fromPersonId, toPersonId: input.toPersonId, memo: input.memo ?? '' };
      await enqueue(
        t,
        [
          movementMessage({
            personId: input.fromPersonId,
            entryId,
            kind: TRANSFER,
            amounts: { amountFen: -input.amountFen, ownFen: -input.amountFen },
            balance: fromAfter,
            where,
            now,
          }),
          movementMessage({
            personId: input.toPersonId,
            entryId,
            kind: TRANSFER,
            amounts: { amountFen: input.amountFen, ownFen: input.amountFen },
            balance: toAfter,
            where,
            now,
          }),
        ],
        now,
      );
      return { entryId, amountFen: input.amountFen, from: fromAfter, to: toAfter, createdAt: iso(now) };
    });
  }
}
