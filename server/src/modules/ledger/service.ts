// The ledger's rules: wallets, purses, the journal and its invariants. Every movement of money is one
// balanced entry written through ledger_post() (0002_ledger.sql) in the caller's transaction when
// there is one, together with the person's notification in the outbox.
import type { Kysely, Transaction } from 'kysely';
import type { DB, Db } from '../../db/database.ts';
import type { Actor } from '../../platform/audit.ts';
import { recordAudit } from '../../platform/audit.ts';
import { localDay, type Clock } from '../../platform/clock.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { keyReused, requestHash } from '../../platform/idempotency.ts';
import type { PersonLifecycleListener, PersonRef } from '../../platform/lifecycle.ts';
import { isFen } from '../../platform/money.ts';
import { enqueue, LEDGER_ALERT, messagesFor, WALLET_MOVEMENT, type OutboxMessage } from '../../platform/outbox.ts';
import * as q from './queries.ts';
import type { AccountKind, EntryKind, SpendOrder, SubsidyExpiry, WalletStatus, WithdrawalStatus } from './tables.ts';

export interface LedgerOptions {
  /** The hospital's zone: statement date filters are local days. */
  timeZone: string;
}

export interface Balances {
  subsidyFen: number;
  ownFen: number;
  /** Held for pending withdrawals: not spendable, not yet paid out. */
  heldFen: number;
  /** What a sale can take: subsidy + own funds. */
  availableFen: number;
  status: WalletStatus;
}

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

export type TopUpChannel = 'cash' | 'test';

export interface TopUpInput {
  personId: number;
  amountFen: number;
  channel: TopUpChannel;
  /** The counter that took the cash; required for cash. */
  counter?: string | undefined;
  /** The receipt or payment order: one top-up per reference and channel. */
  reference: string;
  memo?: string | undefined;
}

export interface MovementResult {
  entryId: number;
  personId: number;
  amountFen: number;
  balance: { subsidyFen: number; ownFen: number; heldFen: number };
  createdAt: string;
}

export interface TopUpResult extends MovementResult {
  channel: TopUpChannel;
  counter: string | null;
  reference: string;
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
  from: MovementResult['balance'];
  to: MovementResult['balance'];
  createdAt: string;
}

export interface WithdrawalHoldInput {
  personId: number;
  amountFen: number;
  withdrawalId: number | string;
}

export interface WithdrawalRef {
  withdrawalId: number | string;
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
  balance: MovementResult['balance'];
  closedAt: string;
}

export interface LedgerSettingsValues {
  /** Which purse a sale takes from first. */
  spendOrder: SpendOrder;
  /** 清零 at month end, or roll over. */
  subsidyExpiry: SubsidyExpiry;
  /** Own funds a person may send to colleagues per local day. */
  transferDailyLimitFen: number;
}

export interface LedgerSettings extends LedgerSettingsValues {
  /** When finance last saved them; null while the defaults apply. */
  updatedAt: string | null;
}

const toSettings = (row: q.PoliciesRow): LedgerSettings => ({
  spendOrder: row.spendOrder,
  subsidyExpiry: row.subsidyExpiry,
  transferDailyLimitFen: row.transferDailyLimitFen,
  updatedAt: row.updatedAt ? iso(row.updatedAt) : null,
});

export interface StatementFilters {
  /** Local days (YYYY-MM-DD), inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  kinds?: EntryKind[] | undefined;
  limit?: number | undefined;
}

export interface StatementItem {
  entryId: number;
  kind: EntryKind;
  memo: string;
  details: Record<string, unknown>;
  reference: { type: string; id: string } | null;
  reversesEntryId: number | null;
  /** The change to what the person can spend (subsidy + own funds). */
  amountFen: number;
  subsidyFen: number;
  ownFen: number;
  heldFen: number;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

export interface JournalFilters {
  /** Only this hospital's entries (the routes always pass the signed-in person's). */
  hospitalId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  kinds?: EntryKind[] | undefined;
  personId?: number | undefined;
  limit?: number | undefined;
}

export interface JournalPosting {
  accountId: number;
  accountKind: AccountKind;
  code: string;
  personId: number | null;
  amountFen: number;
}

export interface JournalEntry {
  id: number;
  kind: EntryKind;
  memo: string;
  reference: { type: string; id: string } | null;
  details: Record<string, unknown>;
  reversesEntryId: number | null;
  reversedByEntryId: number | null;
  allowsArrears: boolean;
  createdAt: string;
  createdBy: number | null;
  postings: JournalPosting[];
}

export type BreachKind = 'unbalanced_entry' | 'balance_mismatch' | 'negative_purse' | 'orphan_posting';

export interface Breach {
  kind: BreachKind;
  message: string;
  details: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  accounts: number;
  breaches: Breach[];
}

/** Refusals raised by the database functions (SQLSTATE LDG00), as the service's typed errors. */
const REFUSALS: Record<string, { status: number; message: string }> = {
  INSUFFICIENT_FUNDS: { status: 409, message: 'Not enough money in the wallet' },
  WALLET_FROZEN: { status: 409, message: 'This wallet is frozen' },
  WALLET_CLOSED: { status: 409, message: 'This wallet is closed' },
  NO_WALLET: { status: 404, message: 'This person has no wallet' },
  INVALID_AMOUNT: { status: 422, message: 'The amount must be a positive whole number of fen' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This Idempotency-Key was used for a different request' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, message: 'A request with this Idempotency-Key is in progress: retry' },
  LEDGER_UNBALANCED: { status: 422, message: 'The postings of an entry must sum to zero' },
  LEDGER_UNKNOWN_ACCOUNT: { status: 422, message: 'An entry posts to an account that does not exist' },
  LEDGER_APPEND_ONLY: { status: 409, message: 'The journal is append-only: reverse the entry instead' },
};

interface DatabaseErrorLike {
  code?: string;
  message?: string;
  detail?: string;
  constraint?: string;
}

/** Turns a refusal raised in SQL into an AppError; other errors pass through unchanged. */
export function ledgerError(error: unknown): unknown {
  const e = error as DatabaseErrorLike;
  if (e?.code === 'LDG00' && e.message && REFUSALS[e.message]) {
    let details: Record<string, unknown>;
    try {
      details = e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {};
    } catch {
      details = {};
    }
    const refusal = REFUSALS[e.message]!;
    return new AppError(e.message, refusal.status, refusal.message, details);
  }
  if (e?.code === '23505' && (e.message ?? '').includes('journal_entries_reference_idx')) {
    return conflict('DUPLICATE_REFERENCE', 'This business record already has its journal entry');
  }
  if (e?.code === '23505' && (e.message ?? '').includes('journal_entries_reverses_idx')) {
    return conflict('ENTRY_ALREADY_REVERSED', 'This entry has already been reversed');
  }
  return error;
}

async function refusalsAsAppErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw ledgerError(error);
  }
}

/** What a service method hands to `post`: the rest is filled in from the actor and the clock. */
type EntryDraft = Pick<q.PostEntryRow, 'hospitalId' | 'kind' | 'lines'> &
  Partial<
    Pick<
      q.PostEntryRow,
      'memo' | 'details' | 'allowArrears' | 'idempotencyKey' | 'reversesEntryId' | 'referenceType' | 'referenceId'
    >
  >;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_PAGE = 100;

function assertAmount(amountFen: number, path = '/amountFen'): void {
  if (!isFen(amountFen) || amountFen <= 0) {
    throw invalid('INVALID_AMOUNT', 'The amount must be a positive whole number of fen', [
      { path, message: 'must be a positive whole number of fen' },
    ]);
  }
}

function parseCursor(cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  if (!/^\d{1,15}$/.test(cursor)) throw invalid('INVALID_CURSOR', 'The cursor is not one this server gave out');
  return Number(cursor);
}

const iso = (at: Date | string): string => new Date(at).toISOString();

export interface WithdrawalView {
  id: number;
  personId: number;
  amountFen: number;
  status: WithdrawalStatus;
  note: string;
  decisionNote: string;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: number | null;
}

const toWithdrawalView = (row: {
  id: number;
  personId: number;
  amountFen: number;
  status: WithdrawalStatus;
  note: string;
  decisionNote: string;
  requestedAt: Date;
  decidedAt: Date | null;
  decidedBy: number | null;
}): WithdrawalView => ({
  id: row.id,
  personId: row.personId,
  amountFen: row.amountFen,
  status: row.status,
  note: row.note,
  decisionNote: row.decisionNote,
  requestedAt: iso(row.requestedAt),
  decidedAt: row.decidedAt ? iso(row.decidedAt) : null,
  decidedBy: row.decidedBy,
});

export class LedgerService implements PersonLifecycleListener {
  /** The same database without the camelCase plugin, for the sale's one statement. */
  private readonly plain: Kysely<DB>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {
    this.plain = db.withoutPlugins();
  }

  /** Runs `work` in the caller's transaction, or in a new one. */
  private within<T>(trx: Transaction<DB> | null | undefined, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return refusalsAsAppErrors(() => (trx ? work(trx) : this.db.transaction().execute(work)));
  }

  // --- wallets ---------------------------------------------------------------------------------

  /** The org module calls this inside the transaction that activates people. */
  async peopleActivated(trx: Transaction<DB>, people: PersonRef[]): Promise<void> {
    await this.openWallets(
      trx,
      people.map((p) => p.id),
    );
  }

  async peopleLeft(trx: Transaction<DB>, people: PersonRef[]): Promise<void> {
    await this.freezeWallets(
      trx,
      people.map((p) => p.id),
    );
  }

  /** Opens a wallet for each person without one, and reopens frozen ones; safe to repeat. */
  async openWallets(trx: Transaction<DB> | null | undefined, personIds: number[]): Promise<void> {
    if (!personIds.length) return;
    await this.within(trx, (t) => q.openWallets(t, [...new Set(personIds)], this.clock.now()));
  }

  async freezeWallets(trx: Transaction<DB> | null | undefined, personIds: number[]): Promise<void> {
    if (!personIds.length) return;
    await this.within(trx, async (t) => {
      // A wallet closed by 退卡 (the account was returned before HR recorded the leaving) stays closed.
      const open = (await q.findWallets(t, [...new Set(personIds)])).filter((w) => w.status !== 'closed');
      if (open.length)
        await q.setWalletStatus(
          t,
          open.map((w) => w.personId),
          'frozen',
          this.clock.now(),
        );
    });
  }

  async balances(personId: number, db: Db = this.db): Promise<Balances> {
    const [wallet] = await q.findWallets(db, [personId]);
    if (!wallet) throw new AppError('NO_WALLET', 404, 'This person has no wallet', { personId });
    return {
      subsidyFen: wallet.subsidyFen,
      ownFen: wallet.ownFen,
      heldFen: wallet.heldFen,
      availableFen: wallet.subsidyFen + wallet.ownFen,
      status: wallet.status,
    };
  }

  /** Refuses (404) a person whose wallet is not in this hospital: staff of one hospital see only its people. */
  async assertWalletInHospital(personId: number, hospitalId: number): Promise<void> {
    const [wallet] = await q.findWallets(this.db, [personId]);
    if (!wallet || wallet.hospitalId !== hospitalId) throw notFound('wallet of person', personId);
  }

  async assertEntryInHospital(db: Db, entryId: number, hospitalId: number): Promise<void> {
    const entry = await q.findEntryWithPostings(db, { id: entryId });
    if (!entry || entry.hospitalId !== hospitalId) throw notFound('journal entry', entryId);
  }

  async spendOrder(hospitalId: number): Promise<SpendOrder> {
    return q.spendOrderOf(this.db, hospitalId);
  }

  /** The hospital's purse order for sales (default subsidy first). */
  async setSpendOrder(hospitalId: number, order: SpendOrder, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const before = await q.spendOrderOf(trx, hospitalId);
      await q.setSpendOrder(trx, hospitalId, order, this.clock.now());
      await recordAudit(trx, actor, {
        action: 'ledger.spend_order',
        entity: 'hospital',
        entityId: hospitalId,
        before: { spendOrder: before },
        after: { spendOrder: order },
      });
    });
  }

  /** The hospital's ledger settings: purse order for sales, subsidy expiry (清零) and the transfer limit. */
  async settings(hospitalId: number): Promise<LedgerSettings> {
    return toSettings(await q.policiesOf(this.db, hospitalId));
  }

  /** Finance changes some of the settings; the rest stay. Audited with before and after. */
  async updateSettings(
    hospitalId: number,
    changes: Partial<LedgerSettingsValues>,
    actor: Actor,
  ): Promise<LedgerSettings> {
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
      const after: LedgerSettingsValues = {
        spendOrder: changes.spendOrder ?? before.spendOrder,
        subsidyExpiry: changes.subsidyExpiry ?? before.subsidyExpiry,
        transferDailyLimitFen: changes.transferDailyLimitFen ?? before.transferDailyLimitFen,
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

  private async requireWallets(db: Db, personIds: number[], allowed: WalletStatus[] = ['open']) {
    const wallets = await q.findWallets(db, personIds);
    const byPerson = new Map(wallets.map((w) => [w.personId, w]));
    const missing = personIds.filter((id) => !byPerson.has(id));
    if (missing.length) {
      throw new AppError('NO_WALLET', 404, 'Some people have no wallet', { personIds: missing });
    }
    const blocked = wallets.filter((w) => !allowed.includes(w.status));
    if (blocked.length) {
      const frozen = blocked.some((w) => w.status === 'frozen');
      throw conflict(
        frozen ? 'WALLET_FROZEN' : 'WALLET_CLOSED',
        frozen ? 'This wallet is frozen' : 'This wallet is closed',
        {
          personIds: blocked.map((w) => w.personId),
        },
      );
    }
    return byPerson;
  }

  private async balanceAfter(db: Db, personIds: number[]): Promise<Map<number, MovementResult['balance']>> {
    const wallets = await q.findWallets(db, personIds);
    return new Map(
      wallets.map((w) => [w.personId, { subsidyFen: w.subsidyFen, ownFen: w.ownFen, heldFen: w.heldFen }]),
    );
  }

  /** The one path from TypeScript into the journal; the database checks the same rules again. */
  private async post(db: Db, entry: EntryDraft, actor: Actor, now: Date): Promise<number> {
    const lines = entry.lines.filter((l) => l.amountFen !== 0);
    const sum = lines.reduce((total, l) => total + l.amountFen, 0);
    if (lines.length < 2 || sum !== 0 || lines.some((l) => !isFen(l.amountFen))) {
      throw invalid('LEDGER_UNBALANCED', 'The postings of an entry must sum to zero');
    }
    return q.postEntry(db, {
      memo: '',
      details: {},
      allowArrears: false,
      idempotencyKey: null,
      reversesEntryId: null,
      referenceType: null,
      referenceId: null,
      ...entry,
      lines,
      createdAt: now,
      createdBy: actor.personId,
    });
  }

  private movement(
    personId: number,
    entryId: number,
    kind: EntryKind,
    amounts: { amountFen: number; subsidyFen?: number; ownFen?: number; heldFen?: number },
    balance: MovementResult['balance'] | undefined,
    where: Record<string, unknown>,
    now: Date,
  ): OutboxMessage {
    return {
      topic: WALLET_MOVEMENT,
      personId,
      payload: { entryId, kind, ...amounts, ...where, balance: balance ?? null, at: iso(now) },
    };
  }

  // --- money in and out ------------------------------------------------------------------------

  /**
   * A sale: takes `amountFen` from the purses in the hospital's order, in ONE round trip to the
   * database (ledger_spend). Refuses INSUFFICIENT_FUNDS, WALLET_FROZEN, NO_WALLET; a retry with the
   * same idempotency key returns the first result (`replayed: true`) and charges nothing.
   */
  async spend(trx: Transaction<DB> | null | undefined, input: SpendInput, actor: Actor): Promise<SpendResult> {
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
    // The reply is already camelCase JSON: skipping the plugins saves walking it on the hot path.
    const attempt = () =>
      q.spend(trx ? trx.withoutPlugins() : this.plain, {
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
        createdAt: this.clock.now(),
        createdBy: actor.personId,
      });
    const result = await refusalsAsAppErrors(async () => {
      try {
        return await attempt();
      } catch (error) {
        // A concurrent duplicate of this key committed first: this attempt was rolled back whole; asked
        // again, the database answers with the stored reply (or refuses a different request).
        const inUse = (error as { message?: string }).message === 'IDEMPOTENCY_KEY_IN_USE';
        if (inUse && !trx) return attempt();
        throw error;
      }
    });
    return { ...result, createdAt: iso(result.createdAt) };
  }

  /** Money in: cash at a counter (receipt) or an online channel (the test channel for now). */
  async topUp(trx: Transaction<DB> | null | undefined, input: TopUpInput, actor: Actor): Promise<TopUpResult> {
    assertAmount(input.amountFen);
    if (input.channel === 'cash' && !input.counter) {
      throw invalid('COUNTER_REQUIRED', 'A cash top-up names the counter that took the cash', [
        { path: '/counter', message: 'is required for cash' },
      ]);
    }
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const wallet = (await this.requireWallets(t, [input.personId])).get(input.personId)!;
      const source =
        input.channel === 'cash'
          ? await q.hospitalAccount(t, wallet.hospitalId, 'counter_cash', input.counter!)
          : await q.hospitalAccount(t, wallet.hospitalId, 'topup_clearing', input.channel);
      const entryId = await this.post(
        t,
        {
          hospitalId: wallet.hospitalId,
          kind: 'top_up',
          memo: input.memo ?? '',
          referenceType: input.channel === 'cash' ? 'cash_receipt' : `payment:${input.channel}`,
          referenceId: input.reference,
          details: { channel: input.channel, counter: input.counter ?? null },
          lines: [
            { accountId: source, amountFen: -input.amountFen },
            { accountId: wallet.ownAccountId, amountFen: input.amountFen },
          ],
        },
        actor,
        now,
      );
      const balance = (await this.balanceAfter(t, [input.personId])).get(input.personId)!;
      await enqueue(
        t,
        [
          this.movement(
            input.personId,
            entryId,
            'top_up',
            { amountFen: input.amountFen, ownFen: input.amountFen },
            balance,
            { channel: input.channel, counter: input.counter ?? null },
            now,
          ),
        ],
        now,
      );
      return {
        entryId,
        personId: input.personId,
        amountFen: input.amountFen,
        channel: input.channel,
        counter: input.counter ?? null,
        reference: input.reference,
        balance,
        createdAt: iso(now),
      };
    });
  }

  /**
   * A month's subsidy (补贴) batch as ONE entry: subsidy funding → each person's subsidy purse.
   * Granting the same batch again grants nothing and returns the first entry.
   */
  async grantSubsidies(
    trx: Transaction<DB> | null | undefined,
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
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const wallets = await this.requireWallets(t, personIds);
      const hospitalId = wallets.get(personIds[0]!)!.hospitalId;
      const batch = String(input.batchId);
      const existing = await q.findEntryByReference(t, hospitalId, 'subsidy_grant', 'subsidy_batch', batch);
      if (existing) return { entryId: existing.id, totalFen, lineCount: input.lines.length, alreadyGranted: true };
      const funding = await q.hospitalAccount(t, hospitalId, 'subsidy_funding', '');
      const entryId = await this.post(
        t,
        {
          hospitalId,
          kind: 'subsidy_grant',
          memo: `${input.month} 补贴`,
          referenceType: 'subsidy_batch',
          referenceId: batch,
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
      const after = await this.balanceAfter(t, personIds);
      await enqueue(
        t,
        input.lines.map((l) =>
          this.movement(
            l.personId,
            entryId,
            'subsidy_grant',
            { amountFen: l.amountFen, subsidyFen: l.amountFen },
            after.get(l.personId),
            { month: input.month },
            now,
          ),
        ),
        now,
      );
      return { entryId, totalFen, lineCount: input.lines.length, alreadyGranted: false };
    });
  }

  /** 同事间转账: own funds only (subsidy is never transferred). PIN and daily limit are the caller's. */
  async transfer(trx: Transaction<DB> | null | undefined, input: TransferInput, actor: Actor): Promise<TransferResult> {
    assertAmount(input.amountFen);
    if (input.fromPersonId === input.toPersonId) {
      throw invalid('TRANSFER_TO_SELF', 'A transfer goes to someone else');
    }
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const wallets = await this.requireWallets(t, [input.fromPersonId, input.toPersonId]);
      const from = wallets.get(input.fromPersonId)!;
      const to = wallets.get(input.toPersonId)!;
      if (from.hospitalId !== to.hospitalId) throw invalid('OTHER_HOSPITAL', 'Transfers stay within one hospital');
      // The sender's purse is locked before the day's total is read, so two transfers at once cannot
      // both slip under the limit.
      await q.lockAccounts(t, [from.ownAccountId, to.ownAccountId]);
      const limit = await q.transferDailyLimitOf(t, from.hospitalId);
      const today = this.startOfDay(localDay(now, this.options.timeZone), '/');
      const sent = await q.transferredOutSince(t, from.ownAccountId, today);
      if (sent + input.amountFen > limit) {
        throw conflict('TRANSFER_DAILY_LIMIT', 'This transfer would pass the daily transfer limit', {
          limitFen: limit,
          sentTodayFen: sent,
        });
      }
      const entryId = await this.post(
        t,
        {
          hospitalId: from.hospitalId,
          kind: 'transfer',
          memo: input.memo ?? '',
          referenceType: input.reference?.type ?? null,
          referenceId: input.reference?.id ?? null,
          details: { fromPersonId: input.fromPersonId, toPersonId: input.toPersonId },
          lines: [
            { accountId: from.ownAccountId, amountFen: -input.amountFen },
            { accountId: to.ownAccountId, amountFen: input.amountFen },
          ],
        },
        actor,
        now,
      );
      const after = await this.balanceAfter(t, [input.fromPersonId, input.toPersonId]);
      const where = { fromPersonId: input.fromPersonId, toPersonId: input.toPersonId, memo: input.memo ?? '' };
      await enqueue(
        t,
        [
          this.movement(
            input.fromPersonId,
            entryId,
            'transfer',
            { amountFen: -input.amountFen, ownFen: -input.amountFen },
            after.get(input.fromPersonId),
            where,
            now,
          ),
          this.movement(
            input.toPersonId,
            entryId,
            'transfer',
            { amountFen: input.amountFen, ownFen: input.amountFen },
            after.get(input.toPersonId),
            where,
            now,
          ),
        ],
        now,
      );
      return {
        entryId,
        amountFen: input.amountFen,
        from: after.get(input.fromPersonId)!,
        to: after.get(input.toPersonId)!,
        createdAt: iso(now),
      };
    });
  }

  /** 提款 requested: own funds move to the person's hold until finance settles or rejects. */
  async holdForWithdrawal(
    trx: Transaction<DB> | null | undefined,
    input: WithdrawalHoldInput,
    actor: Actor,
  ): Promise<MovementResult> {
    assertAmount(input.amountFen);
    // A frozen wallet (the person left) may still be paid out: 退卡 pays own funds as a withdrawal.
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const wallet = (await this.requireWallets(t, [input.personId], ['open', 'frozen'])).get(input.personId)!;
      const entryId = await this.post(
        t,
        {
          hospitalId: wallet.hospitalId,
          kind: 'withdrawal_hold',
          referenceType: 'withdrawal',
          referenceId: String(input.withdrawalId),
          lines: [
            { accountId: wallet.ownAccountId, amountFen: -input.amountFen },
            { accountId: wallet.holdAccountId, amountFen: input.amountFen },
          ],
        },
        actor,
        now,
      );
      const balance = (await this.balanceAfter(t, [input.personId])).get(input.personId)!;
      await enqueue(
        t,
        [
          this.movement(
            input.personId,
            entryId,
            'withdrawal_hold',
            { amountFen: -input.amountFen, ownFen: -input.amountFen, heldFen: input.amountFen },
            balance,
            {},
            now,
          ),
        ],
        now,
      );
      return { entryId, personId: input.personId, amountFen: input.amountFen, balance, createdAt: iso(now) };
    });
  }

  /** Finance paid the withdrawal out: the hold becomes a payable of the hospital. */
  async settleWithdrawal(
    trx: Transaction<DB> | null | undefined,
    input: WithdrawalRef,
    actor: Actor,
  ): Promise<MovementResult> {
    return this.closeHold(trx, input, 'withdrawal_settle', actor);
  }

  /** The withdrawal was rejected or cancelled: the hold returns to own funds. */
  async releaseWithdrawal(
    trx: Transaction<DB> | null | undefined,
    input: WithdrawalRef,
    actor: Actor,
  ): Promise<MovementResult> {
    return this.closeHold(trx, input, 'withdrawal_release', actor);
  }

  private async closeHold(
    trx: Transaction<DB> | null | undefined,
    input: WithdrawalRef,
    kind: 'withdrawal_settle' | 'withdrawal_release',
    actor: Actor,
  ): Promise<MovementResult> {
    const reference: [string, string] = ['withdrawal', String(input.withdrawalId)];
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const hold = await q.findEntryWithPostings(t, { kind: 'withdrawal_hold', reference });
      const held = hold?.postings.find((p) => p.accountKind === 'hold');
      if (!hold || !held?.personId) throw notFound('withdrawal hold', reference[1]);
      for (const other of ['withdrawal_settle', 'withdrawal_release'] as const) {
        if (await q.findEntryWithPostings(t, { kind: other, reference })) {
          throw conflict('WITHDRAWAL_ALREADY_CLOSED', 'This withdrawal was already settled or released', {
            withdrawalId: reference[1],
            closedBy: other,
          });
        }
      }
      const personId = held.personId;
      const wallet = (await this.requireWallets(t, [personId], ['open', 'frozen', 'closed'])).get(personId)!;
      const target =
        kind === 'withdrawal_settle'
          ? await q.hospitalAccount(t, wallet.hospitalId, 'withdrawals_payable', '')
          : wallet.ownAccountId;
      const entryId = await this.post(
        t,
        {
          hospitalId: wallet.hospitalId,
          kind,
          referenceType: reference[0],
          referenceId: reference[1],
          lines: [
            { accountId: wallet.holdAccountId, amountFen: -held.amountFen },
            { accountId: target, amountFen: held.amountFen },
          ],
        },
        actor,
        now,
      );
      const balance = (await this.balanceAfter(t, [personId])).get(personId)!;
      const amounts =
        kind === 'withdrawal_settle'
          ? { amountFen: 0, heldFen: -held.amountFen }
          : { amountFen: held.amountFen, ownFen: held.amountFen, heldFen: -held.amountFen };
      await enqueue(t, [this.movement(personId, entryId, kind, amounts, balance, {}, now)], now);
      return { entryId, personId, amountFen: held.amountFen, balance, createdAt: iso(now) };
    });
  }

  /**
   * A correction: a new entry with every posting negated, pointing at the original. An entry is reversed
   * at most once; a reversal is not itself reversed (post the movement again instead). Refused with
   * INSUFFICIENT_FUNDS when the money has already been spent.
   */
  async reverseEntry(
    trx: Transaction<DB> | null | undefined,
    input: { entryId: number; reason: string },
    actor: Actor,
  ): Promise<{ entryId: number; reversesEntryId: number; createdAt: string }> {
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const original = await q.findEntryWithPostings(t, { id: input.entryId });
      if (!original) throw notFound('journal entry', input.entryId);
      if (original.kind === 'reversal') {
        throw conflict('CANNOT_REVERSE_REVERSAL', 'A reversal is not reversed: post the movement again instead');
      }
      if (await q.reversalOf(t, original.id)) {
        throw conflict('ENTRY_ALREADY_REVERSED', 'This entry has already been reversed', { entryId: original.id });
      }
      const entryId = await this.post(
        t,
        {
          hospitalId: original.hospitalId,
          kind: 'reversal',
          memo: input.reason,
          referenceType: original.referenceType,
          referenceId: original.referenceId,
          details: { reversedKind: original.kind, reason: input.reason },
          reversesEntryId: original.id,
          lines: original.postings.map((p) => ({ accountId: p.accountId, amountFen: -p.amountFen })),
        },
        actor,
        now,
      );
      const people = [...new Set(original.postings.flatMap((p) => (p.personId === null ? [] : [p.personId])))];
      const after = await this.balanceAfter(t, people);
      await enqueue(
        t,
        people.map((personId) => {
          const sumOf = (kind: AccountKind) =>
            -original.postings
              .filter((p) => p.personId === personId && p.accountKind === kind)
              .reduce((s, p) => s + p.amountFen, 0);
          const subsidyFen = sumOf('subsidy_purse');
          const ownFen = sumOf('own_purse');
          return this.movement(
            personId,
            entryId,
            'reversal',
            { amountFen: subsidyFen + ownFen, subsidyFen, ownFen, heldFen: sumOf('hold') },
            after.get(personId),
            { reversesEntryId: original.id, reason: input.reason },
            now,
          );
        }),
        now,
      );
      await recordAudit(t, actor, {
        action: 'ledger.reverse',
        entity: 'journal_entry',
        entityId: original.id,
        after: { reversalEntryId: entryId, reason: input.reason },
      });
      return { entryId, reversesEntryId: original.id, createdAt: iso(now) };
    });
  }

  /**
   * 清零: at month end, every unspent subsidy of the hospital moves to the expired-subsidy account, in ONE
   * entry per hospital and month (running it twice for a month expires nothing more). Does nothing when
   * the hospital lets subsidy roll over.
   */
  async expireSubsidies(
    trx: Transaction<DB> | null | undefined,
    input: { hospitalId: number; month: string },
    actor: Actor,
  ): Promise<{ entryId: number | null; totalFen: number; purses: number }> {
    return this.within(trx, async (t) => {
      if ((await q.subsidyExpiryOf(t, input.hospitalId)) === 'roll_over')
        return { entryId: null, totalFen: 0, purses: 0 };
      const done = await q.findEntryByReference(t, input.hospitalId, 'subsidy_expiry', 'subsidy_month', input.month);
      if (done) return { entryId: done.id, totalFen: 0, purses: 0 };
      const purses = await q.subsidyPursesWithMoney(t, { hospitalId: input.hospitalId });
      if (!purses.length) return { entryId: null, totalFen: 0, purses: 0 };
      const entryId = await this.returnSubsidy(t, input.hospitalId, purses, 'subsidy_month', input.month, actor);
      return { entryId, totalFen: purses.reduce((sum, p) => sum + p.balanceFen, 0), purses: purses.length };
    });
  }

  /**
   * 退卡 on leaving: the wallet closes for good. Own funds and holds must be paid out first (a withdrawal);
   * unspent subsidy goes back to the hospital in the same transaction.
   */
  async closeWallets(
    trx: Transaction<DB> | null | undefined,
    personIds: number[],
    actor: Actor,
  ): Promise<{ subsidyEntryIds: number[]; subsidyReturnedFen: number }> {
    if (!personIds.length) return { subsidyEntryIds: [], subsidyReturnedFen: 0 };
    return this.within(trx, async (t) => {
      const ids = [...new Set(personIds)];
      const wallets = await this.requireWallets(t, ids, ['open', 'frozen', 'closed']);
      const unsettled = [...wallets.values()].filter((w) => w.ownFen !== 0 || w.heldFen !== 0);
      if (unsettled.length) {
        throw conflict('WALLET_NOT_SETTLED', 'Pay out own funds and pending withdrawals before closing', {
          personIds: unsettled.map((w) => w.personId),
        });
      }
      const purses = await q.subsidyPursesWithMoney(t, { personIds: ids });
      const byHospital = new Map<number, typeof purses>();
      for (const p of purses) byHospital.set(p.hospitalId, [...(byHospital.get(p.hospitalId) ?? []), p]);
      const subsidyEntryIds: number[] = [];
      for (const [hospitalId, list] of byHospital) {
        subsidyEntryIds.push(await this.returnSubsidy(t, hospitalId, list, null, null, actor));
      }
      await q.setWalletStatus(t, ids, 'closed', this.clock.now());
      await recordAudit(t, actor, { action: 'ledger.close_wallets', entity: 'wallet', entityId: ids.join(',') });
      return { subsidyEntryIds, subsidyReturnedFen: purses.reduce((sum, p) => sum + p.balanceFen, 0) };
    });
  }

  /**
   * 退卡, the money side, in the caller's transaction: own funds are paid out in cash at `counter` (one
   * entry: own purse → the counter's cash, kind withdrawal_settle, reference `account_return`), unspent
   * subsidy goes back to the hospital and the wallet closes (closeWallets). Refused while a withdrawal is
   * pending (WITHDRAWAL_PENDING: finance decides it first) or own funds are in arrears (WALLET_IN_ARREARS).
   */
  async settleAccountReturn(
    trx: Transaction<DB> | null | undefined,
    input: AccountReturnInput,
    actor: Actor,
  ): Promise<AccountReturnResult> {
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const listed = (await this.requireWallets(t, [input.personId], ['open', 'frozen'])).get(input.personId)!;
      // The purses are locked before they are read again: a sale in flight finishes first, none after it.
      await q.lockAccounts(t, [listed.subsidyAccountId, listed.ownAccountId, listed.holdAccountId]);
      const wallet = (await q.findWallets(t, [input.personId]))[0]!;
      const pending = await q.listWithdrawals(t, { personId: input.personId, status: 'pending', limit: 1 });
      if (pending.length || wallet.heldFen !== 0) {
        throw conflict('WITHDRAWAL_PENDING', 'A withdrawal is pending: finance pays or rejects it before the return', {
          personId: input.personId,
          withdrawalId: pending[0]?.id ?? null,
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
        const cash = await q.hospitalAccount(t, wallet.hospitalId, 'counter_cash', input.counter);
        payoutEntryId = await this.post(
          t,
          {
            hospitalId: wallet.hospitalId,
            kind: 'withdrawal_settle',
            memo: '退卡: 个人充值余额退现',
            referenceType: 'account_return',
            referenceId: input.reference,
            details: { counter: input.counter, accountReturn: true },
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
            this.movement(
              input.personId,
              payoutEntryId,
              'withdrawal_settle',
              { amountFen: -wallet.ownFen, ownFen: -wallet.ownFen },
              { subsidyFen: wallet.subsidyFen, ownFen: 0, heldFen: 0 },
              { counter: input.counter, accountReturn: true },
              now,
            ),
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
        balance: (await this.balanceAfter(t, [input.personId])).get(input.personId)!,
        closedAt: iso(now),
      };
    });
  }

  private async returnSubsidy(
    t: Transaction<DB>,
    hospitalId: number,
    purses: { personId: number; accountId: number; balanceFen: number }[],
    referenceType: string | null,
    referenceId: string | null,
    actor: Actor,
  ): Promise<number> {
    const now = this.clock.now();
    const expired = await q.hospitalAccount(t, hospitalId, 'expired_subsidy', '');
    const totalFen = purses.reduce((sum, p) => sum + p.balanceFen, 0);
    const entryId = await this.post(
      t,
      {
        hospitalId,
        kind: 'subsidy_expiry',
        memo: referenceId ? `${referenceId} 补贴清零` : '退卡: 补贴退回',
        referenceType,
        referenceId,
        lines: [
          ...purses.map((p) => ({ accountId: p.accountId, amountFen: -p.balanceFen })),
          { accountId: expired, amountFen: totalFen },
        ],
      },
      actor,
      now,
    );
    const after = await this.balanceAfter(
      t,
      purses.map((p) => p.personId),
    );
    await enqueue(
      t,
      purses.map((p) =>
        this.movement(
          p.personId,
          entryId,
          'subsidy_expiry',
          { amountFen: -p.balanceFen, subsidyFen: -p.balanceFen },
          after.get(p.personId),
          {},
          now,
        ),
      ),
      now,
    );
    return entryId;
  }

  /** The hospitals, for jobs that run per hospital. */
  async hospitalIds(): Promise<number[]> {
    return q.hospitalIds(this.db);
  }

  // --- withdrawals (提款) ------------------------------------------------------------------------

  /** A person asks for own funds back: the amount is held at once, finance decides later. */
  async requestWithdrawal(
    trx: Transaction<DB> | null | undefined,
    input: { personId: number; amountFen: number; note?: string | undefined },
    actor: Actor,
  ): Promise<WithdrawalView> {
    assertAmount(input.amountFen);
    return this.within(trx, async (t) => {
      const wallet = (await this.requireWallets(t, [input.personId], ['open', 'frozen'])).get(input.personId)!;
      const row = await q.insertWithdrawal(t, {
        hospitalId: wallet.hospitalId,
        personId: input.personId,
        amountFen: input.amountFen,
        note: input.note ?? '',
        requestedAt: this.clock.now(),
      });
      await this.holdForWithdrawal(
        t,
        { personId: input.personId, amountFen: input.amountFen, withdrawalId: row.id },
        actor,
      );
      return toWithdrawalView(row);
    });
  }

  /** Finance pays the withdrawal out (settle) or rejects it (the hold returns to own funds). */
  async decideWithdrawal(
    input: { withdrawalId: number; hospitalId: number; approve: boolean; note?: string | undefined },
    actor: Actor,
  ): Promise<WithdrawalView> {
    return this.within(null, async (t) => {
      const row = await q.findWithdrawalForUpdate(t, input.withdrawalId);
      if (!row || row.hospitalId !== input.hospitalId) throw notFound('withdrawal', input.withdrawalId);
      if (row.status !== 'pending') {
        throw conflict('WITHDRAWAL_ALREADY_DECIDED', 'This withdrawal has already been decided', {
          status: row.status,
        });
      }
      if (input.approve) await this.settleWithdrawal(t, { withdrawalId: row.id }, actor);
      else await this.releaseWithdrawal(t, { withdrawalId: row.id }, actor);
      const decided = await q.decideWithdrawal(t, row.id, {
        status: input.approve ? 'paid' : 'rejected',
        decisionNote: input.note ?? '',
        decidedAt: this.clock.now(),
        decidedBy: actor.personId,
      });
      await recordAudit(t, actor, {
        action: input.approve ? 'withdrawal.pay' : 'withdrawal.reject',
        entity: 'withdrawal',
        entityId: row.id,
        before: { status: row.status },
        after: { status: decided.status, note: decided.decisionNote },
      });
      return toWithdrawalView(decided);
    });
  }

  async withdrawals(
    filter: { hospitalId?: number; personId?: number; status?: WithdrawalStatus },
    cursor: string | null = null,
    limit = 50,
  ): Promise<Page<WithdrawalView>> {
    const size = Math.min(Math.max(limit, 1), MAX_PAGE);
    const before = parseCursor(cursor);
    const rows = await q.listWithdrawals(this.db, { ...filter, beforeId: before ?? undefined, limit: size });
    const items = rows.map(toWithdrawalView);
    return { items, nextCursor: items.length === size ? String(items[items.length - 1]!.id) : null };
  }

  // --- reading ---------------------------------------------------------------------------------

  /** The local day `day` starts at this instant (the hospital's zone). */
  private startOfDay(day: string, path: string): Date {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      throw invalid('INVALID_DATE', 'Dates are written YYYY-MM-DD', [{ path, message: 'must be YYYY-MM-DD' }]);
    }
    const utcMidnight = new Date(`${day}T00:00:00Z`);
    // The zone's offset at that moment (Asia/Shanghai: +8 h, no DST); twice to settle near a DST change.
    let at = utcMidnight;
    for (let i = 0; i < 2; i++) {
      const local = new Date(at.toLocaleString('en-US', { timeZone: this.options.timeZone }));
      const utc = new Date(at.toLocaleString('en-US', { timeZone: 'UTC' }));
      at = new Date(utcMidnight.getTime() - (local.getTime() - utc.getTime()));
    }
    return at;
  }

  private range(from: string | undefined, to: string | undefined) {
    const start = from ? this.startOfDay(from, '/from') : null;
    const end = to ? new Date(this.startOfDay(to, '/to').getTime() + 86_400_000) : null;
    return { from: start, to: end };
  }

  /** A person's statement, newest first, in pages for infinite scroll. */
  async statement(
    personId: number,
    filters: StatementFilters = {},
    cursor: string | null = null,
  ): Promise<Page<StatementItem>> {
    const limit = Math.min(Math.max(filters.limit ?? 20, 1), MAX_PAGE);
    const rows = await q.statement(this.db, {
      personId,
      ...this.range(filters.from, filters.to),
      kinds: filters.kinds?.length ? filters.kinds : null,
      beforeEntryId: parseCursor(cursor),
      limit,
    });
    const items = rows.map((r): StatementItem => ({
      entryId: r.id,
      kind: r.kind,
      memo: r.memo,
      details: r.details,
      reference: r.referenceType && r.referenceId ? { type: r.referenceType, id: r.referenceId } : null,
      reversesEntryId: r.reversesEntryId,
      amountFen: r.subsidyFen + r.ownFen,
      subsidyFen: r.subsidyFen,
      ownFen: r.ownFen,
      heldFen: r.heldFen,
      createdAt: iso(r.createdAt),
    }));
    return { items, nextCursor: items.length === limit ? String(items[items.length - 1]!.entryId) : null };
  }

  /** The journal browser for auditors: entries with their postings, newest first. */
  async journal(filters: JournalFilters = {}, cursor: string | null = null): Promise<Page<JournalEntry>> {
    const limit = Math.min(Math.max(filters.limit ?? 50, 1), MAX_PAGE);
    const rows = await q.entries(this.db, {
      hospitalId: filters.hospitalId ?? null,
      ...this.range(filters.from, filters.to),
      kinds: filters.kinds?.length ? filters.kinds : null,
      personId: filters.personId ?? null,
      beforeEntryId: parseCursor(cursor),
      limit,
    });
    const postings = await q.postingsOf(
      this.db,
      rows.map((r) => r.id),
    );
    const items = rows.map((r): JournalEntry => ({
      id: r.id,
      kind: r.kind,
      memo: r.memo,
      reference: r.referenceType && r.referenceId ? { type: r.referenceType, id: r.referenceId } : null,
      details: r.details,
      reversesEntryId: r.reversesEntryId,
      reversedByEntryId: r.reversedByEntryId ?? null,
      allowsArrears: r.allowsArrears,
      createdAt: iso(r.createdAt),
      createdBy: r.createdBy,
      postings: postings
        .filter((p) => p.entryId === r.id)
        .map((p) => ({
          accountId: p.accountId,
          accountKind: p.accountKind,
          code: p.code,
          personId: p.personId,
          amountFen: p.amountFen,
        })),
    }));
    return { items, nextCursor: items.length === limit ? String(items[items.length - 1]!.id) : null };
  }

  /** The person's notifications (one per movement), newest first. */
  async notifications(personId: number, options: { beforeId?: number; afterId?: number; limit?: number } = {}) {
    const rows = await messagesFor(this.db, personId, {
      ...options,
      limit: Math.min(Math.max(options.limit ?? 20, 1), MAX_PAGE),
    });
    return rows.map((r) => ({ id: r.id, topic: r.topic, payload: r.payload, createdAt: iso(r.createdAt) }));
  }

  // --- invariants ------------------------------------------------------------------------------

  /**
   * Checks the whole ledger: every entry balances (two or more postings summing to zero), every posting
   * names an account, every cached balance equals the sum of its postings, and no purse is below zero
   * unless the entry that took it there carries the arrears flag.
   */
  async verify(db: Db = this.db): Promise<VerifyReport> {
    const breaches: Breach[] = [];
    for (const e of await q.unbalancedEntries(db)) {
      breaches.push({
        kind: 'unbalanced_entry',
        message: `entry ${e.entryId}: ${e.lines} posting(s) summing to ${e.sumFen} fen`,
        details: e as unknown as Record<string, unknown>,
      });
    }
    for (const p of await q.orphanPostings(db)) {
      breaches.push({
        kind: 'orphan_posting',
        message: `a posting (entry ${p.entryId}, account ${p.accountId}) names an entry or account that does not exist`,
        details: p as unknown as Record<string, unknown>,
      });
    }
    for (const a of await q.balanceMismatches(db)) {
      breaches.push({
        kind: 'balance_mismatch',
        message: `account ${a.accountId} (${a.kind}): cached balance ${a.cachedFen} fen, postings sum to ${a.postedFen} fen`,
        details: a as unknown as Record<string, unknown>,
      });
    }
    for (const a of await q.negativePursesWithoutArrears(db)) {
      breaches.push({
        kind: 'negative_purse',
        message: `account ${a.accountId} (${a.kind} of person ${a.personId}) is at ${a.balanceFen} fen without the arrears rule`,
        details: a as unknown as Record<string, unknown>,
      });
    }
    const counts = await q.countJournal(db);
    return { ok: breaches.length === 0, entries: counts.entries, accounts: counts.accounts, breaches };
  }

  /** The nightly job: verify, and alert finance and the administrators through the outbox on a breach. */
  async runNightlyCheck(): Promise<VerifyReport> {
    const report = await this.verify();
    if (!report.ok) {
      const now = this.clock.now();
      const people = await q.peopleToAlert(this.db);
      const summary = {
        breaches: report.breaches.length,
        first: report.breaches.slice(0, 20).map((b) => b.message),
        at: iso(now),
      };
      await enqueue(
        this.db,
        [
          { topic: LEDGER_ALERT, personId: null, payload: summary },
          ...people.map((personId) => ({ topic: LEDGER_ALERT, personId, payload: summary })),
        ],
        now,
      );
    }
    return report;
  }
}

export { keyReused };
