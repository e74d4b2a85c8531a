// All SQL of the ledger core. Functions take the database or a transaction typed with the core's own
// tables; the service decides the boundary. Writes to the journal go through ledger_post() only.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccountKind, EntryKind, HospitalAccountKind, LedgerTables, PersonAccountKind } from './tables.ts';

type LedgerDb = Db<LedgerTables>;

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

export const bigintArray = (values: number[]) => sql`${`{${values.join(',')}}`}::bigint[]`;

/** The one write path into the journal (ledger_post in 0006_ledger_rules.sql checks every rule). */
export async function postEntry(db: LedgerDb, entry: PostEntryRow): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    SELECT ledger_post(${entry.hospitalId}, ${entry.kind}, ${entry.memo}, ${entry.referenceType}, ${entry.referenceId},
      ${JSON.stringify(entry.details)}::jsonb, ${entry.reversesEntryId}, ${entry.allowArrears}, ${entry.idempotencyKey},
      ${entry.createdAt}, ${entry.createdBy},
      ${bigintArray(entry.lines.map((l) => l.accountId))}, ${bigintArray(entry.lines.map((l) => l.amountFen))}) AS id`.execute(
    db,
  );
  return rows[0]!.id;
}

export async function hospitalAccount(
  db: LedgerDb,
  hospitalId: number,
  kind: HospitalAccountKind,
  code: string,
): Promise<number> {
  const { rows } = await sql<{
    id: number;
  }>`SELECT ledger_hospital_account(${hospitalId}, ${kind}, ${code}) AS id`.execute(db);
  return rows[0]!.id;
}

export interface PersonAccountRow {
  id: number;
  personId: number;
  hospitalId: number;
  kind: PersonAccountKind;
  balanceFen: number;
}

/** Makes the three purse accounts of each person that lacks them; returns every purse account of them. */
export async function openPersonAccounts(
  db: LedgerDb,
  people: { personId: number; hospitalId: number }[],
): Promise<PersonAccountRow[]> {
  await db
    .insertInto('ledgerAccounts')
    .values(
      people.flatMap((p) =>
        (['subsidy_purse', 'own_purse', 'hold'] as const).map((kind) => ({
          hospitalId: p.hospitalId,
          kind,
          personId: p.personId,
        })),
      ),
    )
    .onConflict((oc) => oc.columns(['personId', 'kind']).where('personId', 'is not', null).doNothing())
    .execute();
  return personAccounts(
    db,
    people.map((p) => p.personId),
  );
}

export async function personAccounts(db: LedgerDb, personIds: number[]): Promise<PersonAccountRow[]> {
  if (!personIds.length) return [];
  return db
    .selectFrom('ledgerAccounts')
    .select(['id', 'personId', 'hospitalId', 'kind', 'balanceFen'])
    .where('personId', 'in', personIds)
    .orderBy('id')
    .execute() as Promise<PersonAccountRow[]>;
}

/**
 * Locks the purse accounts of these people until the transaction ends, in id order as ledger_post and
 * ledger_spend lock them (no deadlocks), and returns their balances as they are once the lock is held.
 */
export async function lockPersonAccounts(db: LedgerDb, personIds: number[]): Promise<PersonAccountRow[]> {
  if (!personIds.length) return [];
  const { rows } = await sql<PersonAccountRow>`
    SELECT id, person_id, hospital_id, kind, balance_fen FROM ledger_accounts
     WHERE person_id = ANY (${bigintArray(personIds)}) ORDER BY id FOR NO KEY UPDATE`.execute(db);
  return rows;
}

/** Money posted out of an account by entries of a kind since an instant (e.g. today's transfers). */
export async function debitsSince(db: LedgerDb, accountId: number, kind: EntryKind, since: Date): Promise<number> {
  const { rows } = await sql<{ total: number }>`
    SELECT coalesce(-sum(p.amount_fen), 0)::bigint AS total
      FROM postings p JOIN journal_entries e ON e.id = p.entry_id
     WHERE p.account_id = ${accountId} AND p.amount_fen < 0 AND e.kind = ${kind} AND e.created_at >= ${since}`.execute(
    db,
  );
  return rows[0]?.total ?? 0;
}

/** Money credited to each of these accounts (of one hospital) by entries made at or after `since`. */
export function creditsSince(db: LedgerDb, hospitalId: number, accountIds: number[], since: Date) {
  return db
    .selectFrom('journalEntries as e')
    .innerJoin('postings as p', 'p.entryId', 'e.id')
    .select(['p.accountId', sql<number>`sum(p.amount_fen)::bigint`.as('creditedFen')])
    .where('e.hospitalId', '=', hospitalId)
    .where('e.createdAt', '>=', since)
    .where('p.amountFen', '>', 0)
    .where('p.accountId', 'in', accountIds)
    .groupBy('p.accountId')
    .execute();
}

/** Person accounts of one kind with money in them: of a hospital, or of the given people. */
export async function personAccountsWithMoney(
  db: LedgerDb,
  kind: PersonAccountKind,
  where: { hospitalId: number } | { personIds: number[] },
): Promise<PersonAccountRow[]> {
  return db
    .selectFrom('ledgerAccounts')
    .select(['id', 'personId', 'hospitalId', 'kind', 'balanceFen'])
    .where('kind', '=', kind)
    .where('personId', 'is not', null)
    .where('balanceFen', '>', 0)
    .$if('hospitalId' in where, (qb) => qb.where('hospitalId', '=', 'hospitalId' in where ? where.hospitalId : 0))
    .$if('personIds' in where, (qb) => qb.where('personId', 'in', 'personIds' in where ? where.personIds : []))
    .orderBy('id')
    .execute() as Promise<PersonAccountRow[]>;
}

export async function findEntryByReference(
  db: LedgerDb,
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

/** The entry by id, or of a kind for a reference (any hospital), with its postings and their accounts. */
export async function findEntryWithPostings(
  db: LedgerDb,
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

export async function postingsOf(db: LedgerDb, entryIds: number[]) {
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

export async function reversalOf(db: LedgerDb, entryId: number) {
  return db.selectFrom('journalEntries').select('id').where('reversesEntryId', '=', entryId).executeTakeFirst();
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
export async function entries(db: LedgerDb, filter: EntriesFilter) {
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

export interface StatementFilter {
  personId: number;
  from: Date | null;
  to: Date | null;
  kinds: EntryKind[] | null;
  before: { createdAt: Date; entryId: number } | null;
  limit: number;
}

/**
 * A person's entries newest first (by time, then id), with what each did to the subsidy purse, own funds
 * and holds. The read model the statements module reads through LedgerService.statement().
 */
export async function statement(db: LedgerDb, filter: StatementFilter) {
  return db
    .selectFrom('postings as p')
    .innerJoin('ledgerAccounts as a', 'a.id', 'p.accountId')
    .innerJoin('journalEntries as e', 'e.id', 'p.entryId')
    .select([
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
    ])
    .where('a.personId', '=', filter.personId)
    .$if(filter.from !== null, (q) => q.where('e.createdAt', '>=', filter.from!))
    .$if(filter.to !== null, (q) => q.where('e.createdAt', '<', filter.to!))
    .$if(filter.kinds !== null, (q) => q.where('e.kind', 'in', filter.kinds!))
    .$if(filter.before !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('e.createdAt', '<', filter.before!.createdAt),
          eb.and([eb('e.createdAt', '=', filter.before!.createdAt), eb('e.id', '<', filter.before!.entryId)]),
        ]),
      ),
    )
    .groupBy('e.id')
    .orderBy('e.createdAt', 'desc')
    .orderBy('e.id', 'desc')
    .limit(filter.limit)
    .execute();
}

/**
 * Subsidy credited to people's subsidy purses per month, from the journal, whatever path granted it (a
 * file, the demo, a later integration): the month a grant names (details.month), else its local month.
 * A reversed grant counts against the month of the grant it reverses.
 */
export async function subsidyGrantedByMonth(db: LedgerDb, hospitalId: number, timeZone: string, grantKind: EntryKind) {
  const { rows } = await sql<{ month: string; totalFen: number; people: number; entries: number }>`
    SELECT coalesce(g.details ->> 'month', to_char(g.created_at AT TIME ZONE ${timeZone}, 'YYYY-MM')) AS month,
           sum(p.amount_fen)::bigint AS total_fen,
           count(DISTINCT a.person_id) FILTER (WHERE e.kind = ${grantKind})::int AS people,
           count(DISTINCT g.id)::int AS entries
      FROM journal_entries e
      JOIN journal_entries g ON g.id = coalesce(e.reverses_entry_id, e.id)
      JOIN postings p ON p.entry_id = e.id
      JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'subsidy_purse'
     WHERE e.hospital_id = ${hospitalId} AND g.kind = ${grantKind}
     GROUP BY 1 ORDER BY 1 DESC`.execute(db);
  return rows;
}

// --- invariants (canteen verify) --------------------------------------------------------------

export async function unbalancedEntries(db: LedgerDb) {
  const { rows } = await sql<{ entryId: number; sumFen: number; lines: number }>`
    SELECT e.id AS entry_id, coalesce(sum(p.amount_fen), 0)::bigint AS sum_fen, count(p.account_id)::int AS lines
      FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id
     GROUP BY e.id
    HAVING coalesce(sum(p.amount_fen), 0) <> 0 OR count(p.account_id) < 2
     ORDER BY e.id`.execute(db);
  return rows;
}

export async function orphanPostings(db: LedgerDb) {
  const { rows } = await sql<{ entryId: number; accountId: number }>`
    SELECT p.entry_id, p.account_id FROM postings p
     WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = p.account_id)
        OR NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = p.entry_id)
     ORDER BY p.entry_id`.execute(db);
  return rows;
}

export async function balanceMismatches(db: LedgerDb) {
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
export async function negativePursesWithoutArrears(db: LedgerDb) {
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

export async function countJournal(db: LedgerDb) {
  const { rows } = await sql<{ entries: number; accounts: number }>`
    SELECT (SELECT count(*) FROM journal_entries)::int AS entries, (SELECT count(*) FROM ledger_accounts)::int AS accounts`.execute(
    db,
  );
  return rows[0]!;
}
