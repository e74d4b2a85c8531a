// All SQL of the ledger. Functions take the database or a transaction; the service decides the boundary.
// Writes to the journal go through the database function ledger_post() (0002_ledger.sql) only.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccountKind, EntryKind, SpendOrder, SubsidyExpiry, WalletStatus } from './tables.ts';

export interface PostEntryRow {
  hospitalId: number;
  kind: EntryKind;
  memo: string;
  referenceType: string | null;
  referenceId: string | null;
  details: Record<string, unknown>;
  reversesEntryId: number | null;
  allowArrears: boolean;
  idempotencyKey: string | null;
  createdAt: Date;
  createdBy: number | null;
  lines: { accountId: number; amountFen: number }[];
}

const bigintArray = (values: number[]) => sql`${`{${values.join(',')}}`}::bigint[]`;

export async function postEntry(db: Db, entry: PostEntryRow): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    SELECT ledger_post(${entry.hospitalId}, ${entry.kind}, ${entry.memo}, ${entry.referenceType}, ${entry.referenceId},
      ${JSON.stringify(entry.details)}::jsonb, ${entry.reversesEntryId}, ${entry.allowArrears}, ${entry.idempotencyKey},
      ${entry.createdAt}, ${entry.createdBy},
      ${bigintArray(entry.lines.map((l) => l.accountId))}, ${bigintArray(entry.lines.map((l) => l.amountFen))}) AS id`.execute(
    db,
  );
  return rows[0]!.id;
}

export interface SpendRow {
  personId: number;
  amountFen: number;
  merchant: string;
  counter: string;
  terminal: string;
  referenceType: string | null;
  referenceId: string | null;
  memo: string;
  allowArrears: boolean;
  idempotencyScope: string;
  idempotencyKey: string;
  requestHash: string;
  createdAt: Date;
  createdBy: number | null;
}

export interface SpendReply {
  entryId: number;
  personId: number;
  amountFen: number;
  subsidyFen: number;
  ownFen: number;
  arrearsFen: number;
  balance: { subsidyFen: number; ownFen: number };
  createdAt: string;
  replayed: boolean;
}

/** A sale in one round trip (see ledger_spend in 0002_ledger.sql). */
export async function spend(db: Db, row: SpendRow): Promise<SpendReply> {
  const { rows } = await sql<{ result: SpendReply }>`
    SELECT ledger_spend(${row.personId}, ${row.amountFen}, ${row.merchant}, ${row.counter}, ${row.terminal},
      ${row.referenceType}, ${row.referenceId}, ${row.memo}, ${row.allowArrears}, ${row.idempotencyScope},
      ${row.idempotencyKey}, ${row.requestHash}, ${row.createdAt}, ${row.createdBy}) AS result`.execute(db);
  return rows[0]!.result;
}

export async function hospitalAccount(db: Db, hospitalId: number, kind: AccountKind, code: string): Promise<number> {
  const { rows } = await sql<{
    id: number;
  }>`SELECT ledger_hospital_account(${hospitalId}, ${kind}, ${code}) AS id`.execute(db);
  return rows[0]!.id;
}

/** Opens a wallet (three purse accounts) for each person that has none; reopens frozen or closed ones. */
export async function openWallets(db: Db, personIds: number[], now: Date): Promise<void> {
  await sql`
    WITH todo AS (
      SELECT p.id, p.hospital_id FROM people p
       WHERE p.id = ANY (${bigintArray(personIds)}) AND NOT EXISTS (SELECT 1 FROM wallets w WHERE w.person_id = p.id)
    ), accounts AS (
      INSERT INTO ledger_accounts (hospital_id, kind, person_id)
      SELECT t.hospital_id, k.kind, t.id FROM todo t
       CROSS JOIN (VALUES (1, 'subsidy_purse'), (2, 'own_purse'), (3, 'hold')) AS k(n, kind)
       ORDER BY t.id, k.n
      ON CONFLICT (person_id, kind) WHERE person_id IS NOT NULL DO NOTHING
      RETURNING id, hospital_id, person_id, kind
    )
    INSERT INTO wallets (person_id, hospital_id, subsidy_account_id, own_account_id, hold_account_id, opened_at, status_changed_at)
    SELECT person_id, min(hospital_id),
           min(id) FILTER (WHERE kind = 'subsidy_purse'), min(id) FILTER (WHERE kind = 'own_purse'),
           min(id) FILTER (WHERE kind = 'hold'), ${now}, ${now}
      FROM accounts GROUP BY person_id
    ON CONFLICT (person_id) DO NOTHING`.execute(db);
  await db
    .updateTable('wallets')
    .set({ status: 'open', statusChangedAt: now })
    .where('personId', 'in', personIds)
    .where('status', '<>', 'open')
    .execute();
}

/**
 * Freezes wallets. The purse rows are locked first, as a sale locks them: a sale in flight finishes
 * before the freeze, and every sale after it sees the wallet frozen.
 */
export async function setWalletStatus(db: Db, personIds: number[], status: WalletStatus, now: Date): Promise<void> {
  await sql`SELECT 1 FROM ledger_accounts WHERE person_id = ANY (${bigintArray(personIds)})
             ORDER BY id FOR NO KEY UPDATE`.execute(db);
  await db
    .updateTable('wallets')
    .set({ status, statusChangedAt: now })
    .where('personId', 'in', personIds)
    .where('status', '<>', status)
    .execute();
}

export interface WalletRow {
  personId: number;
  hospitalId: number;
  status: WalletStatus;
  subsidyAccountId: number;
  ownAccountId: number;
  holdAccountId: number;
  subsidyFen: number;
  ownFen: number;
  heldFen: number;
}

export async function findWallets(db: Db, personIds: number[]): Promise<WalletRow[]> {
  if (!personIds.length) return [];
  return db
    .selectFrom('wallets as w')
    .innerJoin('ledgerAccounts as s', 's.id', 'w.subsidyAccountId')
    .innerJoin('ledgerAccounts as o', 'o.id', 'w.ownAccountId')
    .innerJoin('ledgerAccounts as h', 'h.id', 'w.holdAccountId')
    .select([
      'w.personId',
      'w.hospitalId',
      'w.status',
      'w.subsidyAccountId',
      'w.ownAccountId',
      'w.holdAccountId',
      's.balanceFen as subsidyFen',
      'o.balanceFen as ownFen',
      'h.balanceFen as heldFen',
    ])
    .where('w.personId', 'in', personIds)
    .execute();
}

export async function spendOrderOf(db: Db, hospitalId: number): Promise<SpendOrder> {
  const row = await db
    .selectFrom('ledgerPolicies')
    .select('spendOrder')
    .where('hospitalId', '=', hospitalId)
    .executeTakeFirst();
  return row?.spendOrder ?? 'subsidy_first';
}

export async function transferDailyLimitOf(db: Db, hospitalId: number): Promise<number> {
  const row = await db
    .selectFrom('ledgerPolicies')
    .select('transferDailyLimitFen')
    .where('hospitalId', '=', hospitalId)
    .executeTakeFirst();
  return row?.transferDailyLimitFen ?? 100_000;
}

/** Locks accounts (id order, as ledger_post does) until the transaction ends. */
export async function lockAccounts(db: Db, accountIds: number[]): Promise<void> {
  await sql`SELECT 1 FROM ledger_accounts WHERE id = ANY (${bigintArray(accountIds)}) ORDER BY id FOR NO KEY UPDATE`.execute(
    db,
  );
}

/** Own funds sent by transfer from an account since an instant. */
export async function transferredOutSince(db: Db, accountId: number, since: Date): Promise<number> {
  const { rows } = await sql<{ total: number }>`
    SELECT coalesce(-sum(p.amount_fen), 0)::bigint AS total
      FROM postings p JOIN journal_entries e ON e.id = p.entry_id
     WHERE p.account_id = ${accountId} AND p.amount_fen < 0 AND e.kind = 'transfer' AND e.created_at >= ${since}`.execute(
    db,
  );
  return rows[0]?.total ?? 0;
}

export async function subsidyExpiryOf(db: Db, hospitalId: number): Promise<SubsidyExpiry> {
  const row = await db
    .selectFrom('ledgerPolicies')
    .select('subsidyExpiry')
    .where('hospitalId', '=', hospitalId)
    .executeTakeFirst();
  return row?.subsidyExpiry ?? 'month_end';
}

/** Subsidy purses with money in them: of a hospital, or of the given people. */
export async function subsidyPursesWithMoney(db: Db, where: { hospitalId: number } | { personIds: number[] }) {
  return db
    .selectFrom('wallets as w')
    .innerJoin('ledgerAccounts as s', 's.id', 'w.subsidyAccountId')
    .select(['w.personId', 'w.hospitalId', 's.id as accountId', 's.balanceFen'])
    .where('s.balanceFen', '>', 0)
    .$if('hospitalId' in where, (qb) => qb.where('w.hospitalId', '=', 'hospitalId' in where ? where.hospitalId : 0))
    .$if('personIds' in where, (qb) => qb.where('w.personId', 'in', 'personIds' in where ? where.personIds : []))
    .orderBy('s.id')
    .execute();
}

export async function hospitalIds(db: Db): Promise<number[]> {
  return (await db.selectFrom('hospitals').select('id').orderBy('id').execute()).map((h) => h.id);
}

export async function setSpendOrder(db: Db, hospitalId: number, order: SpendOrder, now: Date): Promise<void> {
  await db
    .insertInto('ledgerPolicies')
    .values({ hospitalId, spendOrder: order, updatedAt: now })
    .onConflict((oc) => oc.column('hospitalId').doUpdateSet({ spendOrder: order, updatedAt: now }))
    .execute();
}

export interface PoliciesRow {
  spendOrder: SpendOrder;
  subsidyExpiry: SubsidyExpiry;
  transferDailyLimitFen: number;
  updatedAt: Date | null;
}

/** The hospital's ledger policies; the defaults of 0002_ledger.sql when none were ever saved. */
export async function policiesOf(db: Db, hospitalId: number, options: { forUpdate?: boolean } = {}) {
  const row = await db
    .selectFrom('ledgerPolicies')
    .select(['spendOrder', 'subsidyExpiry', 'transferDailyLimitFen', 'updatedAt'])
    .where('hospitalId', '=', hospitalId)
    .$if(options.forUpdate ?? false, (qb) => qb.forUpdate())
    .executeTakeFirst();
  return (
    row ?? { spendOrder: 'subsidy_first', subsidyExpiry: 'month_end', transferDailyLimitFen: 100_000, updatedAt: null }
  );
}

export async function savePolicies(
  db: Db,
  hospitalId: number,
  values: Omit<PoliciesRow, 'updatedAt'>,
  now: Date,
): Promise<void> {
  await db
    .insertInto('ledgerPolicies')
    .values({ hospitalId, ...values, updatedAt: now })
    .onConflict((oc) => oc.column('hospitalId').doUpdateSet({ ...values, updatedAt: now }))
    .execute();
}

export async function findEntryByReference(
  db: Db,
  hospitalId: number,
  kind: EntryKind,
  referenceType: string,
  referenceId: string,
) {
  return db
    .selectFrom('journalEntries')
    .select(['id', 'createdAt'])
    .where('hospitalId', '=', hospitalId)
    .where('kind', '=', kind)
    .where('referenceType', '=', referenceType)
    .where('referenceId', '=', referenceId)
    .executeTakeFirst();
}

/** The entry of a kind for a reference, with its postings and their accounts (any hospital). */
export async function findEntryWithPostings(
  db: Db,
  where: { id: number } | { kind: EntryKind; reference: [string, string] },
) {
  const entry = await db
    .selectFrom('journalEntries')
    .selectAll()
    .$if('id' in where, (q) => q.where('id', '=', 'id' in where ? where.id : 0))
    .$if(!('id' in where), (q) =>
      'kind' in where
        ? q
            .where('kind', '=', where.kind)
            .where('referenceType', '=', where.reference[0])
            .where('referenceId', '=', where.reference[1])
        : q,
    )
    .executeTakeFirst();
  if (!entry) return undefined;
  const postings = await postingsOf(db, [entry.id]);
  return { ...entry, postings };
}

export async function postingsOf(db: Db, entryIds: number[]) {
  if (!entryIds.length) return [];
  return db
    .selectFrom('postings as p')
    .innerJoin('ledgerAccounts as a', 'a.id', 'p.accountId')
    .select(['p.entryId', 'p.accountId', 'p.amountFen', 'a.kind as accountKind', 'a.code', 'a.personId'])
    .where('p.entryId', 'in', entryIds)
    .orderBy('p.entryId')
    .orderBy('p.accountId')
    .execute();
}

export async function reversalOf(db: Db, entryId: number) {
  return db.selectFrom('journalEntries').select('id').where('reversesEntryId', '=', entryId).executeTakeFirst();
}

export interface StatementFilter {
  personId: number;
  from: Date | null;
  to: Date | null;
  kinds: EntryKind[] | null;
  beforeEntryId: number | null;
  limit: number;
}

/** A person's entries newest first, with what each did to the subsidy purse, own funds and holds. */
export async function statement(db: Db, filter: StatementFilter) {
  return db
    .selectFrom('postings as p')
    .innerJoin('ledgerAccounts as a', 'a.id', 'p.accountId')
    .innerJoin('journalEntries as e', 'e.id', 'p.entryId')
    .select((eb) => [
      'e.id',
      'e.kind',
      'e.memo',
      'e.details',
      'e.referenceType',
      'e.referenceId',
      'e.reversesEntryId',
      'e.createdAt',
      sql<number>`coalesce(sum(p.amount_fen) FILTER (WHERE a.kind = 'subsidy_purse'), 0)::bigint`.as('subsidyFen'),
      sql<number>`coalesce(sum(p.amount_fen) FILTER (WHERE a.kind = 'own_purse'), 0)::bigint`.as('ownFen'),
      sql<number>`coalesce(sum(p.amount_fen) FILTER (WHERE a.kind = 'hold'), 0)::bigint`.as('heldFen'),
      eb.fn.count<number>('p.accountId').as('lines'),
    ])
    .where('a.personId', '=', filter.personId)
    .$if(filter.from !== null, (q) => q.where('e.createdAt', '>=', filter.from!))
    .$if(filter.to !== null, (q) => q.where('e.createdAt', '<', filter.to!))
    .$if(filter.kinds !== null, (q) => q.where('e.kind', 'in', filter.kinds!))
    .$if(filter.beforeEntryId !== null, (q) => q.where('p.entryId', '<', filter.beforeEntryId!))
    .groupBy('e.id')
    .orderBy('e.id', 'desc')
    .limit(filter.limit)
    .execute();
}

export interface EntriesFilter {
  hospitalId: number | null;
  from: Date | null;
  to: Date | null;
  kinds: EntryKind[] | null;
  personId: number | null;
  beforeEntryId: number | null;
  limit: number;
}

/** The journal for auditors, newest first. */
export async function entries(db: Db, filter: EntriesFilter) {
  return db
    .selectFrom('journalEntries as e')
    .selectAll('e')
    .select((eb) =>
      eb
        .selectFrom('journalEntries as r')
        .select('r.id')
        .whereRef('r.reversesEntryId', '=', 'e.id')
        .as('reversedByEntryId'),
    )
    .$if(filter.hospitalId !== null, (q) => q.where('e.hospitalId', '=', filter.hospitalId!))
    .$if(filter.from !== null, (q) => q.where('e.createdAt', '>=', filter.from!))
    .$if(filter.to !== null, (q) => q.where('e.createdAt', '<', filter.to!))
    .$if(filter.kinds !== null, (q) => q.where('e.kind', 'in', filter.kinds!))
    .$if(filter.beforeEntryId !== null, (q) => q.where('e.id', '<', filter.beforeEntryId!))
    .$if(filter.personId !== null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('postings as p')
            .innerJoin('ledgerAccounts as a', 'a.id', 'p.accountId')
            .select('p.entryId')
            .whereRef('p.entryId', '=', 'e.id')
            .where('a.personId', '=', filter.personId!),
        ),
      ),
    )
    .orderBy('e.id', 'desc')
    .limit(filter.limit)
    .execute();
}

// --- withdrawals ------------------------------------------------------------------------------

export async function insertWithdrawal(
  db: Db,
  row: { hospitalId: number; personId: number; amountFen: number; note: string; requestedAt: Date },
) {
  return db.insertInto('withdrawals').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findWithdrawalForUpdate(db: Db, id: number) {
  return db.selectFrom('withdrawals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function decideWithdrawal(
  db: Db,
  id: number,
  decision: { status: 'paid' | 'rejected'; decisionNote: string; decidedAt: Date; decidedBy: number | null },
) {
  return db.updateTable('withdrawals').set(decision).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listWithdrawals(
  db: Db,
  filter: { hospitalId?: number; personId?: number; status?: string; beforeId?: number; limit: number },
) {
  return db
    .selectFrom('withdrawals')
    .selectAll()
    .$if(filter.hospitalId !== undefined, (qb) => qb.where('hospitalId', '=', filter.hospitalId!))
    .$if(filter.personId !== undefined, (qb) => qb.where('personId', '=', filter.personId!))
    .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status as 'pending'))
    .$if(filter.beforeId !== undefined, (qb) => qb.where('id', '<', filter.beforeId!))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
}

// --- invariants (canteen verify) --------------------------------------------------------------

export async function unbalancedEntries(db: Db) {
  const { rows } = await sql<{ entryId: number; sumFen: number; lines: number }>`
    SELECT e.id AS entry_id, coalesce(sum(p.amount_fen), 0)::bigint AS sum_fen, count(p.account_id)::int AS lines
      FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id
     GROUP BY e.id
    HAVING coalesce(sum(p.amount_fen), 0) <> 0 OR count(p.account_id) < 2
     ORDER BY e.id`.execute(db);
  return rows;
}

export async function orphanPostings(db: Db) {
  const { rows } = await sql<{ entryId: number; accountId: number }>`
    SELECT p.entry_id, p.account_id FROM postings p
     WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = p.account_id)
        OR NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = p.entry_id)
     ORDER BY p.entry_id`.execute(db);
  return rows;
}

export async function balanceMismatches(db: Db) {
  const { rows } = await sql<{ accountId: number; kind: AccountKind; cachedFen: number; postedFen: number }>`
    SELECT a.id AS account_id, a.kind, b.balance_fen AS cached_fen, coalesce(t.total, 0)::bigint AS posted_fen
      FROM ledger_accounts a
      JOIN ledger_account_balances b ON b.account_id = a.id
      LEFT JOIN (SELECT account_id, sum(amount_fen) AS total FROM postings GROUP BY account_id) t ON t.account_id = a.id
     WHERE b.balance_fen <> coalesce(t.total, 0)
     ORDER BY a.id`.execute(db);
  return rows;
}

/** Person purses below zero whose last debit was not an entry flagged by the arrears rule. */
export async function negativePursesWithoutArrears(db: Db) {
  const { rows } = await sql<{ accountId: number; personId: number; kind: AccountKind; balanceFen: number }>`
    SELECT a.id AS account_id, a.person_id, a.kind, a.balance_fen
      FROM ledger_accounts a
     WHERE a.person_id IS NOT NULL AND a.balance_fen < 0
       AND NOT COALESCE((
         SELECT e.allows_arrears FROM postings p JOIN journal_entries e ON e.id = p.entry_id
          WHERE p.account_id = a.id AND p.amount_fen < 0
          ORDER BY p.entry_id DESC LIMIT 1), false)
     ORDER BY a.id`.execute(db);
  return rows;
}

export async function countJournal(db: Db) {
  const { rows } = await sql<{ entries: number; accounts: number }>`
    SELECT (SELECT count(*) FROM journal_entries)::int AS entries, (SELECT count(*) FROM ledger_accounts)::int AS accounts`.execute(
    db,
  );
  return rows[0]!;
}

/** Finance officers and administrators: who hears about a breach. */
export async function peopleToAlert(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('personRoles as r')
    .innerJoin('people as p', 'p.id', 'r.personId')
    .select('r.personId')
    .distinct()
    .where('r.roleCode', 'in', ['finance', 'admin'])
    .where('p.status', '=', 'active')
    .execute();
  return rows.map((r) => r.personId);
}
