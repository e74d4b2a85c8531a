// The ledger core: accounts, the one write path into the journal, reversals, and the reads that only the
// journal can answer. Wallets, withdrawals and every later money flow post through `post()`; nothing else
// writes journal rows. The rules themselves are checked in the database, in ledger_post()
// (0006_ledger_rules.sql): balanced, two or more accounts moving, a debit never overdraws a person account
// unless the entry carries the arrears flag.
import type { Kysely } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';
import { recordAudit, type Actor, type AuditTables } from '../../platform/audit.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { withIdempotency, type IdempotencyTables } from '../../platform/idempotency.ts';
import { enqueue, type OutboxTables } from '../../platform/outbox.ts';
import { localDayRange, pageSize, parseIdCursor, type Page } from '../../platform/paging.ts';
import { movementMessage } from './movement.ts';
import * as q from './queries.ts';
import { refusalsAsAppErrors } from './refusals.ts';
import {
  REVERSAL,
  type AccountKind,
  type EntryKind,
  type HospitalAccountKind,
  type LedgerTables,
  type PersonAccountKind,
} from './tables.ts';
import { verifyLedger, type VerifyReport } from './verify.ts';

export interface LedgerOptions {
  /** The hospital's zone: date filters are local days. */
  timeZone: string;
  /** Who hears about a breach the nightly check finds (finance and the administrators). */
  alertRecipients: () => Promise<number[]>;
}

/** What a module hands to `post`: the rest is filled in from the actor and the clock. */
export interface EntryDraft {
  hospitalId: number;
  kind: EntryKind;
  lines: { accountId: number; amountFen: number }[];
  memo?: string;
  details?: Record<string, unknown>;
  reference?: { type: string; id: string } | null;
  /** The arrears rule: only an offline sale synced late may take a purse below zero (see wallets). */
  allowArrears?: boolean;
  idempotencyKey?: string | null;
}

/** A person's three purse accounts. */
export interface PersonAccounts {
  personId: number;
  hospitalId: number;
  subsidyAccountId: number;
  ownAccountId: number;
  holdAccountId: number;
}

/** What a person holds, per purse, in fen. */
export interface PurseBalances {
  subsidyFen: number;
  ownFen: number;
  heldFen: number;
}

export interface LockedPurse {
  accountId: number;
  personId: number;
  hospitalId: number;
  kind: PersonAccountKind;
  balanceFen: number;
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
  hospitalId: number;
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

export interface JournalFilters {
  /** Only this hospital's entries (the routes always pass the signed-in person's). */
  hospitalId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  kinds?: EntryKind[] | undefined;
  personId?: number | undefined;
  limit?: number | undefined;
}

/** One entry as a person's statement sees it: what it did to each of their purses. */
export interface PersonEntry {
  entryId: number;
  kind: EntryKind;
  memo: string;
  details: Record<string, unknown>;
  reference: { type: string; id: string } | null;
  reversesEntryId: number | null;
  subsidyFen: number;
  ownFen: number;
  heldFen: number;
  createdAt: Date;
}

const purseBalances = (rows: q.PersonAccountRow[]): Map<number, PurseBalances> => {
  const byPerson = new Map<number, PurseBalances>();
  for (const row of rows) {
    const balances = byPerson.get(row.personId) ?? { subsidyFen: 0, ownFen: 0, heldFen: 0 };
    if (row.kind === 'subsidy_purse') balances.subsidyFen = row.balanceFen;
    else if (row.kind === 'own_purse') balances.ownFen = row.balanceFen;
    else balances.heldFen = row.balanceFen;
    byPerson.set(row.personId, balances);
  }
  return byPerson;
};

export class LedgerService {
  constructor(
    private readonly db: Kysely<LedgerTables & OutboxTables & AuditTables & IdempotencyTables>,
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {}

  /** Runs `work` in the caller's transaction, or in a new one; SQL refusals become AppErrors. */
  within<T>(trx: Tx | null | undefined, work: (trx: Tx) => Promise<T>): Promise<T> {
    return refusalsAsAppErrors(() => (trx ? work(trx) : this.db.transaction().execute(work)));
  }

  /**
   * THE write path into the journal, inside the caller's transaction, so the business record and its entry
   * commit together. The database refuses what breaks a rule (LEDGER_UNBALANCED, INSUFFICIENT_FUNDS …).
   */
  async post(trx: Tx, entry: EntryDraft, actor: Actor, now: Date = this.clock.now()): Promise<number> {
    return refusalsAsAppErrors(() =>
      q.postEntry(trx, {
        hospitalId: entry.hospitalId,
        kind: entry.kind,
        memo: entry.memo ?? '',
        details: entry.details ?? {},
        referenceType: entry.reference?.type ?? null,
        referenceId: entry.reference?.id ?? null,
        reversesEntryId: null,
        allowArrears: entry.allowArrears ?? false,
        idempotencyKey: entry.idempotencyKey ?? null,
        lines: entry.lines,
        createdAt: now,
        createdBy: actor.personId,
      }),
    );
  }

  /** The hospital's account of a kind and code (a counter's cash, a channel's clearing …), made on first use. */
  hospitalAccount(db: Tx | null, hospitalId: number, kind: HospitalAccountKind, code: string): Promise<number> {
    return q.hospitalAccount(db ?? this.db, hospitalId, kind, code);
  }

  /** Makes the purse accounts of people who lack them (safe to repeat); returns each person's accounts. */
  async openPersonAccounts(
    trx: Tx,
    people: { personId: number; hospitalId: number }[],
  ): Promise<Map<number, PersonAccounts>> {
    if (!people.length) return new Map();
    const rows = await q.openPersonAccounts(trx, people);
    const byPerson = new Map<number, PersonAccounts>();
    for (const row of rows) {
      const accounts = byPerson.get(row.personId) ?? {
        personId: row.personId,
        hospitalId: row.hospitalId,
        subsidyAccountId: 0,
        ownAccountId: 0,
        holdAccountId: 0,
      };
      if (row.kind === 'subsidy_purse') accounts.subsidyAccountId = row.id;
      else if (row.kind === 'own_purse') accounts.ownAccountId = row.id;
      else accounts.holdAccountId = row.id;
      byPerson.set(row.personId, accounts);
    }
    return byPerson;
  }

  /** People's purse balances now (no lock: for display; a money flow locks first). */
  async purseBalances(personIds: number[], db?: Tx): Promise<Map<number, PurseBalances>> {
    return purseBalances(await q.personAccounts(db ?? this.db, personIds));
  }

  /**
   * Locks people's purse accounts until the transaction ends (id order, as every entry locks them: no
   * deadlocks) and returns their balances once the lock is held. A freeze takes the same locks, so a flow
   * that reads the wallet's status after this call cannot miss a freeze that committed meanwhile.
   */
  async lockPurses(trx: Tx, personIds: number[]): Promise<Map<number, PurseBalances>> {
    return purseBalances(await q.lockPersonAccounts(trx, [...new Set(personIds)]));
  }

  /** Money moved out of an account by entries of a kind since an instant (e.g. today's transfers). */
  debitsSince(trx: Tx, accountId: number, kind: EntryKind, since: Date): Promise<number> {
    return q.debitsSince(trx, accountId, kind, since);
  }

  /** Money credited to these accounts of a hospital since an instant (清零: subsidy granted after the month ended). */
  async creditsSince(trx: Tx, hospitalId: number, accountIds: number[], since: Date): Promise<Map<number, number>> {
    if (!accountIds.length) return new Map();
    const rows = await q.creditsSince(trx, hospitalId, accountIds, since);
    return new Map(rows.map((r) => [r.accountId, r.creditedFen]));
  }

  /** Purses of a kind with money in them, of a hospital or of some people (for 清零 and 退卡). */
  async pursesWithMoney(
    trx: Tx,
    kind: PersonAccountKind,
    where: { hospitalId: number } | { personIds: number[] },
  ): Promise<LockedPurse[]> {
    return (await q.personAccountsWithMoney(trx, kind, where)).map((r) => ({
      accountId: r.id,
      personId: r.personId,
      hospitalId: r.hospitalId,
      kind: r.kind,
      balanceFen: r.balanceFen,
    }));
  }

  /** The entry a business record caused, if there is one (a subsidy batch, a month's expiry …). */
  async entryByReference(
    trx: Tx | null,
    hospitalId: number,
    kind: EntryKind,
    reference: { type: string; id: string },
  ): Promise<number | null> {
    const row = await q.findEntryByReference(trx ?? this.db, hospitalId, kind, reference.type, reference.id);
    return row?.id ?? null;
  }

  /** The entry of a kind for a reference, with its postings (e.g. a withdrawal's hold). */
  async entryWithPostings(trx: Tx | null, where: { id: number } | { kind: EntryKind; reference: [string, string] }) {
    return q.findEntryWithPostings(trx ?? this.db, where);
  }

  async assertEntryInHospital(trx: Tx | null, entryId: number, hospitalId: number): Promise<void> {
    const entry = await q.findEntryWithPostings(trx ?? this.db, { id: entryId });
    if (!entry || entry.hospitalId !== hospitalId) throw notFound('journal entry', entryId);
  }

  /**
   * A correction: a new entry with every posting negated, pointing at the original. An entry is reversed
   * at most once; a reversal is not itself reversed (post the movement again instead). Refused with
   * INSUFFICIENT_FUNDS when the money has already been spent. Each person touched is told.
   */
  async reverseEntry(
    trx: Tx | null | undefined,
    input: { entryId: number; reason: string },
    actor: Actor,
  ): Promise<{ entryId: number; reversesEntryId: number; createdAt: string }> {
    return this.within(trx, async (t) => {
      const now = this.clock.now();
      const original = await q.findEntryWithPostings(t, { id: input.entryId });
      if (!original) throw notFound('journal entry', input.entryId);
      if (original.kind === REVERSAL) {
        throw conflict('CANNOT_REVERSE_REVERSAL', 'A reversal is not reversed: post the movement again instead');
      }
      if (await q.reversalOf(t, original.id)) {
        throw conflict('ENTRY_ALREADY_REVERSED', 'This entry has already been reversed', { entryId: original.id });
      }
      const entryId = await refusalsAsAppErrors(() =>
        q.postEntry(t, {
          hospitalId: original.hospitalId,
          kind: REVERSAL,
          memo: input.reason,
          referenceType: original.referenceType,
          referenceId: original.referenceId,
          details: { reversedKind: original.kind, reason: input.reason },
          reversesEntryId: original.id,
          allowArrears: false,
          idempotencyKey: null,
          lines: original.postings.map((p) => ({ accountId: p.accountId, amountFen: -p.amountFen })),
          createdAt: now,
          createdBy: actor.personId,
        }),
      );
      const people = [...new Set(original.postings.flatMap((p) => (p.personId === null ? [] : [p.personId])))];
      const after = await this.purseBalances(people, t);
      await enqueue(
        t,
        people.map((personId) => {
          const sumOf = (kind: AccountKind) =>
            -original.postings
              .filter((p) => p.personId === personId && p.accountKind === kind)
              .reduce((s, p) => s + p.amountFen, 0);
          const subsidyFen = sumOf('subsidy_purse');
          const ownFen = sumOf('own_purse');
          return movementMessage({
            personId,
            entryId,
            kind: REVERSAL,
            amounts: { amountFen: subsidyFen + ownFen, subsidyFen, ownFen, heldFen: sumOf('hold') },
            balance: after.get(personId),
            where: { reversesEntryId: original.id, reason: input.reason },
            now,
          });
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

  /** Finance corrects an entry of their hospital from the journal browser, once per Idempotency-Key. */
  async requestReversal(
    input: { entryId: number; reason: string; hospitalId: number; idempotencyKey: string },
    actor: Actor,
  ): Promise<{ entryId: number; reversesEntryId: number; createdAt: string; replayed: boolean }> {
    const { result, replayed } = await withIdempotency(
      this.db,
      {
        scope: `reversal:${actor.personId}`,
        key: input.idempotencyKey,
        request: { id: input.entryId, reason: input.reason },
        now: this.clock.now(),
      },
      async (trx) => {
        await this.assertEntryInHospital(trx, input.entryId, input.hospitalId);
        return this.reverseEntry(trx, { entryId: input.entryId, reason: input.reason }, actor);
      },
    );
    return { ...result, replayed };
  }

  // --- reading ---------------------------------------------------------------------------------

  /** The journal browser for auditors: entries with their postings, newest first. */
  async journal(filters: JournalFilters = {}, cursor: string | null = null): Promise<Page<JournalEntry>> {
    const limit = pageSize(filters.limit, 50);
    const rows = await q.entries(this.db, {
      hospitalId: filters.hospitalId ?? null,
      ...localDayRange(filters.from, filters.to, this.options.timeZone),
      kinds: filters.kinds?.length ? filters.kinds : null,
      personId: filters.personId ?? null,
      beforeEntryId: parseIdCursor(cursor),
      limit,
    });
    const postings = await q.postingsOf(
      this.db,
      rows.map((r) => r.id),
    );
    const items = rows.map((r): JournalEntry => ({
      id: r.id,
      hospitalId: r.hospitalId,
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

  /**
   * A person's entries, newest first (by time, then id), each with what it did to their purses: the read
   * model behind statements. `before` continues after the last item of the previous page.
   */
  async personEntries(filter: {
    personId: number;
    from: Date | null;
    to: Date | null;
    kinds: EntryKind[] | null;
    before: { createdAt: Date; entryId: number } | null;
    limit: number;
  }): Promise<PersonEntry[]> {
    const rows = await q.statement(this.db, filter);
    return rows.map((r) => ({
      entryId: r.id,
      kind: r.kind,
      memo: r.memo,
      details: r.details,
      reference: r.referenceType && r.referenceId ? { type: r.referenceType, id: r.referenceId } : null,
      reversesEntryId: r.reversesEntryId,
      subsidyFen: r.subsidyFen,
      ownFen: r.ownFen,
      heldFen: r.heldFen,
      createdAt: new Date(r.createdAt),
    }));
  }

  /** Subsidy credited to people per local month, from the journal, whatever path granted it. */
  subsidyGrantedByMonth(hospitalId: number, grantKind: EntryKind) {
    return q.subsidyGrantedByMonth(this.db, hospitalId, this.options.timeZone, grantKind);
  }

  // --- invariants ------------------------------------------------------------------------------

  /** Checks the whole ledger (see verify.ts). */
  verify(db?: Db<LedgerTables>): Promise<VerifyReport> {
    return verifyLedger(db ?? this.db);
  }

  /** The nightly job: verify, and alert finance and the administrators through the outbox on a breach. */
  async runNightlyCheck(): Promise<VerifyReport> {
    const report = await this.verify();
    if (!report.ok) {
      const now = this.clock.now();
      const people = await this.options.alertRecipients();
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

/** A breach found by the nightly ledger check, for finance and the administrators. */
export const LEDGER_ALERT = 'ledger.alert';
