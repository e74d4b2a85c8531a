// Wallets: a person's purses (subsidy 补贴, own funds 个人充值, hold), whether they pay (open, frozen, closed),
// the hospital's wallet policies, and the sale. Money moves through the ledger core (LedgerService.post);
// every flow that moves a person's money first calls lockWallets(), which locks the purses and only then
// reads the wallet's status, so a freeze that commits meanwhile is never missed.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor, type AuditTables } from '../../platform/audit.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { requestHash } from '../../platform/idempotency.ts';
import type { PersonLifecycleListener, PersonRef } from '../../platform/lifecycle.ts';
import { isFen } from '../../platform/money.ts';
import { refusalsAsAppErrors, type LedgerService, type PurseBalances } from '../ledger/index.ts';
import * as q from './queries.ts';
import type { SpendOrder, SubsidyExpiry, WalletStatus, WalletTables } from './tables.ts';

export interface Balances extends PurseBalances {
  /** What a sale can take: subsidy + own funds. */
  availableFen: number;
  status: WalletStatus;
}

/** A wallet whose purses this transaction holds locked, with their balances under the lock. */
export interface LockedWallet extends q.WalletRow, PurseBalances {}

export interface SpendInput {
  personId: number;
  amountFen: number;
  /** Whose revenue the sale is (a canteen, the shop): one revenue account per merchant code. */
  merchant: string;
  /** The counter (窗口) and terminal that took the payment, for the statement and reports. */
  counter: string;
  terminal: string;
  /** Unique per payment attempt, made by the terminal; a retry sends the same key. */
  idempotencyKey: string;
  /** The sale (or order) that caused the spend. */
  reference?: { type: string; id: string } | undefined;
  memo?: string | undefined;
  /**
   * The arrears rule: a sale the till took OFFLINE (the card was on no deny-list, the till could not reach
   * the server) and syncs later must be recorded even if the wallet no longer holds enough; the shortfall
   * then goes on the own-funds purse as a negative balance, repaid by the next top-up, and the entry is
   * flagged so `canteen verify` accepts it. Never set it for an online sale.
   */
  allowArrears?: boolean | undefined;
}

export type SpendResult = q.SpendReply;

export interface WalletSettingsValues {
  /** Which purse a sale takes from first. */
  spendOrder: SpendOrder;
  /** 清零 at month end, or roll over. */
  subsidyExpiry: SubsidyExpiry;
  /** Own funds a person may send to colleagues per local day. */
  transferDailyLimitFen: number;
  /** Codes of the counters that take cash (收银窗口): a cash top-up names one of them. */
  cashCounters: string[];
}

export interface WalletSettings extends WalletSettingsValues {
  /** When finance last saved them; null while the defaults apply. */
  updatedAt: string | null;
}

const toSettings = (row: q.PoliciesRow): WalletSettings => ({
  spendOrder: row.spendOrder,
  subsidyExpiry: row.subsidyExpiry,
  transferDailyLimitFen: row.transferDailyLimitFen,
  cashCounters: row.cashCounters,
  updatedAt: row.updatedAt ? iso(row.updatedAt) : null,
});

/** 400 INVALID_AMOUNT unless a positive whole number of fen. */
export function assertAmount(amountFen: number, path = '/amountFen'): void {
  if (!isFen(amountFen) || amountFen <= 0) {
    throw invalid('INVALID_AMOUNT', 'The amount must be a positive whole number of fen', [
      { path, message: 'must be a positive whole number of fen' },
    ]);
  }
}

export class WalletsService implements PersonLifecycleListener {
  constructor(
    private readonly db: Kysely<WalletTables & AuditTables>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {}

  // --- lifecycle ---------------------------------------------------------------------------------

  /** The org module calls this inside the transaction that activates people. */
  async peopleActivated(trx: Tx, people: PersonRef[]): Promise<void> {
    await this.openWallets(trx, people);
  }

  async peopleLeft(trx: Tx, people: PersonRef[]): Promise<void> {
    await this.freezeWallets(
      trx,
      people.map((p) => p.id),
    );
  }

  /** Opens a wallet for each person without one, and reopens frozen ones; safe to repeat. */
  async openWallets(trx: Tx | null | undefined, people: { id: number; hospitalId: number }[]): Promise<void> {
    if (!people.length) return;
    await this.ledger.within(trx, async (t) => {
      const now = this.clock.now();
      const unique = [...new Map(people.map((p) => [p.id, p])).values()];
      const accounts = await this.ledger.openPersonAccounts(
        t,
        unique.map((p) => ({ personId: p.id, hospitalId: p.hospitalId })),
      );
      await q.insertWallets(
        t,
        [...accounts.values()].map((a) => ({ ...a, status: 'open' as const })),
        now,
      );
      await q.setWalletStatus(
        t,
        unique.map((p) => p.id),
        'open',
        now,
      );
    });
  }

  /** Freezes wallets (a leaver, a lost card …): the purses are locked first, so no sale slips past it. */
  async freezeWallets(trx: Tx | null | undefined, personIds: number[]): Promise<void> {
    if (!personIds.length) return;
    await this.ledger.within(trx, async (t) => {
      await this.ledger.lockPurses(t, personIds);
      // A wallet closed by 退卡 (the account was returned before HR recorded the leaving) stays closed.
      const open = (await q.findWallets(t, [...new Set(personIds)])).filter((w) => w.status !== 'closed');
      await q.setWalletStatus(
        t,
        open.map((w) => w.personId),
        'frozen',
        this.clock.now(),
      );
    });
  }

  /** Closes wallets for good (退卡); the caller has emptied the purses. */
  async markClosed(trx: Tx, personIds: number[]): Promise<void> {
    await q.setWalletStatus(trx, personIds, 'closed', this.clock.now());
  }

  // --- reading and locking -----------------------------------------------------------------------

  async balances(personId: number, trx?: Tx): Promise<Balances> {
    const [wallet] = await q.findWallets(trx ?? this.db, [personId]);
    if (!wallet) throw new AppError('NO_WALLET', 404, 'This person has no wallet', { personId });
    const purses = (await this.ledger.purseBalances([personId], trx)).get(personId)!;
    return { ...purses, availableFen: purses.subsidyFen + purses.ownFen, status: wallet.status };
  }

  /** Whether each of these people has a wallet, and its status (a subsidy file's rows are checked by it). */
  async statuses(personIds: number[], trx?: Tx): Promise<Map<number, WalletStatus>> {
    const wallets = await q.findWallets(trx ?? this.db, [...new Set(personIds)]);
    return new Map(wallets.map((w) => [w.personId, w.status]));
  }

  /** Purse balances after a movement, for receipts and notices. */
  async purses(trx: Tx, personIds: number[]): Promise<Map<number, PurseBalances>> {
    return this.ledger.purseBalances(personIds, trx);
  }

  /** Refuses (404) a person whose wallet is not in this hospital: staff of one hospital see only its people. */
  async assertWalletInHospital(personId: number, hospitalId: number): Promise<void> {
    const [wallet] = await q.findWallets(this.db, [personId]);
    if (!wallet || wallet.hospitalId !== hospitalId) throw notFound('wallet of person', personId);
  }

  /**
   * Locks the purses of these people for the rest of the transaction, THEN reads their wallets: the one
   * way every money flow starts. Refuses NO_WALLET (404) and a wallet whose status is not `allowed`
   * (WALLET_FROZEN / WALLET_CLOSED, 409).
   */
  async lockWallets(
    trx: Tx,
    personIds: number[],
    allowed: WalletStatus[] = ['open'],
  ): Promise<Map<number, LockedWallet>> {
    const balances = await this.ledger.lockPurses(trx, personIds);
    const wallets = await q.findWallets(trx, [...new Set(personIds)]);
    const byPerson = new Map(wallets.map((w) => [w.personId, { ...w, ...balances.get(w.personId)! }]));
    const missing = personIds.filter((id) => !byPerson.has(id));
    if (missing.length) throw new AppError('NO_WALLET', 404, 'Some people have no wallet', { personIds: missing });
    const blocked = wallets.filter((w) => !allowed.includes(w.status));
    if (blocked.length) {
      const frozen = blocked.some((w) => w.status === 'frozen');
      throw conflict(
        frozen ? 'WALLET_FROZEN' : 'WALLET_CLOSED',
        frozen ? 'This wallet is frozen' : 'This wallet is closed',
        { personIds: blocked.map((w) => w.personId) },
      );
    }
    return byPerson;
  }

  // --- the sale --------------------------------------------------------------------------------

  /**
   * A sale: takes `amountFen` from the purses in the hospital's order, in ONE round trip to the database
   * (ledger_spend: the source of the purse order and the arrears rule; rules.ts mirrors it for tills that
   * are offline, and a test holds the two together). Refuses INSUFFICIENT_FUNDS, WALLET_FROZEN, NO_WALLET;
   * a retry with the same idempotency key returns the first result (`replayed: true`) and charges nothing.
   */
  async spend(trx: Tx | null | undefined, input: SpendInput, actor: Actor): Promise<SpendResult> {
    const row = this.spendRow(input, actor);
    // The reply is already camelCase JSON: skipping the plugins saves walking it on the hot path.
    const attempt = () => q.spend((trx ?? this.db).withoutPlugins(), row);
    const result = await refusalsAsAppErrors(attempt).catch((error: unknown) => {
      // A concurrent duplicate of this key committed first: this attempt was rolled back whole; asked
      // again, the database answers with the first reply (or refuses a different request).
      if (!trx && error instanceof AppError && error.code === 'IDEMPOTENCY_KEY_IN_USE') {
        return refusalsAsAppErrors(attempt);
      }
      throw error;
    });
    return { ...result, createdAt: iso(result.createdAt) };
  }

  /**
   * Many sales in one round trip, each exactly as `spend` would record it (the same ledger_spend, the
   * same idempotency key and reply), in the order given: for loading a history (the demo hospital), where
   * a round trip per sale costs more than the sale. `at`, when given, is when the sale happened (the
   * service's clock otherwise). All or nothing: the first refusal refuses the batch, and the transaction
   * is then unusable, as after any failed statement.
   */
  async spendMany(trx: Tx, inputs: (SpendInput & { at?: Date })[], actor: Actor): Promise<SpendResult[]> {
    const rows = inputs.map((input) => this.spendRow(input, actor, input.at));
    const results = await refusalsAsAppErrors(() => q.spendMany(trx.withoutPlugins(), rows));
    return results.map((result) => ({ ...result, createdAt: iso(result.createdAt) }));
  }

  private spendRow(input: SpendInput, actor: Actor, at: Date = this.clock.now()): q.SpendRow {
    assertAmount(input.amountFen);
    const request = {
      personId: input.personId,
      amountFen: input.amountFen,
      merchant: input.merchant,
      counter: input.counter,
      terminal: input.terminal,
      reference: input.reference ?? null,
      allowArrears: input.allowArrears ?? false,
    };
    return {
      personId: input.personId,
      amountFen: input.amountFen,
      merchant: input.merchant,
      counter: input.counter,
      terminal: input.terminal,
      referenceType: input.reference?.type ?? null,
      referenceId: input.reference?.id ?? null,
      memo: input.memo ?? '',
      allowArrears: input.allowArrears ?? false,
      idempotencyScope: 'ledger.spend',
      idempotencyKey: input.idempotencyKey,
      requestHash: requestHash(request),
      createdAt: at,
      createdBy: actor.personId,
    };
  }

  // --- settings ----------------------------------------------------------------------------------

  /** 422 UNKNOWN_COUNTER unless `counter` is one of the hospital's cash counters (a made-up code is a typo). */
  async assertCashCounter(hospitalId: number, counter: string, trx?: Tx): Promise<void> {
    const { cashCounters } = await this.settings(hospitalId, trx);
    if (!cashCounters.includes(counter)) {
      throw invalid('UNKNOWN_COUNTER', `${counter} is not one of the hospital's cash counters`, [
        {
          path: '/counter',
          message: cashCounters.length ? `is not one of ${cashCounters.join(', ')}` : 'no counters are set up',
        },
      ]);
    }
  }

  /** The hospital's wallet settings: purse order for sales, subsidy expiry (清零) and the transfer limit. */
  async settings(hospitalId: number, trx?: Tx): Promise<WalletSettings> {
    return toSettings(await q.policiesOf(trx ?? this.db, hospitalId));
  }

  /** Finance changes some of the settings; the rest stay. Audited with before and after. */
  async updateSettings(
    hospitalId: number,
    changes: Partial<WalletSettingsValues>,
    actor: Actor,
  ): Promise<WalletSettings> {
    if (
      changes.transferDailyLimitFen !== undefined &&
      (!isFen(changes.transferDailyLimitFen) || changes.transferDailyLimitFen < 0)
    ) {
      throw invalid('INVALID_AMOUNT', 'The transfer limit is a whole number of fen, zero or more', [
        { path: '/transferDailyLimitFen', message: 'must be a whole number of fen, zero or more' },
      ]);
    }
    return this.db.transaction().execute(async (trx) => {
      // Locked when it exists: two finance officers saving at once each see the other's change in "before".
      const before = await q.policiesOf(trx, hospitalId, { forUpdate: true });
      const after: WalletSettingsValues = {
        spendOrder: changes.spendOrder ?? before.spendOrder,
        subsidyExpiry: changes.subsidyExpiry ?? before.subsidyExpiry,
        transferDailyLimitFen: changes.transferDailyLimitFen ?? before.transferDailyLimitFen,
        cashCounters: changes.cashCounters ? [...new Set(changes.cashCounters)] : before.cashCounters,
      };
      const now = this.clock.now();
      await q.savePolicies(trx, hospitalId, after, now);
      await recordAudit(trx, actor, {
        action: 'ledger.settings',
        entity: 'hospital',
        entityId: hospitalId,
        before: toSettings(before),
        after,
      });
      return toSettings({ ...after, updatedAt: now });
    });
  }
}
