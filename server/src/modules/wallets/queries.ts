// All SQL of the wallets module: its own tables (wallets, ledger_policies) and the sale's one statement.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SpendOrder, SubsidyExpiry, WalletStatus, WalletTables } from './tables.ts';

type WalletDb = Db<WalletTables>;

export interface WalletRow {
  personId: number;
  hospitalId: number;
  status: WalletStatus;
  subsidyAccountId: number;
  ownAccountId: number;
  holdAccountId: number;
}

/** Wallet rows for people who have none (the accounts were just made by the ledger core). */
export async function insertWallets(db: WalletDb, wallets: WalletRow[], now: Date): Promise<void> {
  if (!wallets.length) return;
  await db
    .insertInto('wallets')
    .values(wallets.map((w) => ({ ...w, openedAt: now, statusChangedAt: now })))
    .onConflict((oc) => oc.column('personId').doNothing())
    .execute();
}

export async function findWallets(db: WalletDb, personIds: number[]): Promise<WalletRow[]> {
  if (!personIds.length) return [];
  return db
    .selectFrom('wallets')
    .select(['personId', 'hospitalId', 'status', 'subsidyAccountId', 'ownAccountId', 'holdAccountId'])
    .where('personId', 'in', personIds)
    .execute();
}

/** Changes the status of wallets not already in it; the caller holds the purse locks (see lockWallets). */
export async function setWalletStatus(db: WalletDb, personIds: number[], status: WalletStatus, now: Date) {
  if (!personIds.length) return;
  await db
    .updateTable('wallets')
    .set({ status, statusChangedAt: now })
    .where('personId', 'in', personIds)
    .where('status', '<>', status)
    .execute();
}

export interface PoliciesRow {
  spendOrder: SpendOrder;
  subsidyExpiry: SubsidyExpiry;
  transferDailyLimitFen: number;
  cashCounters: string[];
  updatedAt: Date | null;
}

/** The hospital's wallet policies; the defaults of 0002_ledger.sql's columns when none were ever saved. */
export async function policiesOf(
  db: WalletDb,
  hospitalId: number,
  options: { forUpdate?: boolean } = {},
): Promise<PoliciesRow> {
  const row = await db
    .selectFrom('ledgerPolicies')
    .select(['spendOrder', 'subsidyExpiry', 'transferDailyLimitFen', 'cashCounters', 'updatedAt'])
    .where('hospitalId', '=', hospitalId)
    .$if(options.forUpdate ?? false, (qb) => qb.forUpdate())
    .executeTakeFirst();
  return (
    row ?? {
      spendOrder: 'subsidy_first',
      subsidyExpiry: 'month_end',
      transferDailyLimitFen: 100_000,
      cashCounters: [],
      updatedAt: null,
    }
  );
}

export async function savePolicies(
  db: WalletDb,
  hospitalId: number,
  policies: Omit<PoliciesRow, 'updatedAt'>,
  now: Date,
): Promise<void> {
  const values = { ...policies, cashCounters: JSON.stringify(policies.cashCounters) };
  await db
    .insertInto('ledgerPolicies')
    .values({ hospitalId, ...values, updatedAt: now })
    .onConflict((oc) => oc.column('hospitalId').doUpdateSet({ ...values, updatedAt: now }))
    .execute();
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

/** A sale in one round trip (ledger_spend, 0012_spend_writes.sql: the source of the purse order and arrears rule). */
export async function spend(db: WalletDb, row: SpendRow): Promise<SpendReply> {
  const { rows } = await sql<{ result: SpendReply }>`
    SELECT ledger_spend(${row.personId}, ${row.amountFen}, ${row.merchant}, ${row.counter}, ${row.terminal},
      ${row.referenceType}, ${row.referenceId}, ${row.memo}, ${row.allowArrears}, ${row.idempotencyScope},
      ${row.idempotencyKey}, ${row.requestHash}, ${row.createdAt}, ${row.createdBy}) AS result`.execute(db);
  return rows[0]!.result;
}

/**
 * Sales in one round trip: ledger_spend once per row, in the rows' order (PostgreSQL evaluates a volatile
 * call in the select list after the ORDER BY, so each sale sees the balances the one before it left).
 * A refusal of any row aborts the statement, so the caller's transaction keeps none of them.
 */
export async function spendMany(db: WalletDb, rows: SpendRow[]): Promise<SpendReply[]> {
  if (!rows.length) return [];
  const column = <K extends keyof SpendRow>(key: K): SpendRow[K][] => rows.map((r) => r[key]);
  const { rows: replies } = await sql<{ result: SpendReply }>`
    SELECT ledger_spend(s.person_id, s.amount_fen, s.merchant, s.counter, s.terminal, s.reference_type,
      s.reference_id, s.memo, s.allow_arrears, s.idempotency_scope, s.idempotency_key, s.request_hash,
      s.created_at, s.created_by) AS result
    FROM unnest(${column('personId')}::bigint[], ${column('amountFen')}::bigint[], ${column('merchant')}::text[],
      ${column('counter')}::text[], ${column('terminal')}::text[], ${column('referenceType')}::text[],
      ${column('referenceId')}::text[], ${column('memo')}::text[], ${column('allowArrears')}::boolean[],
      ${column('idempotencyScope')}::text[], ${column('idempotencyKey')}::text[], ${column('requestHash')}::text[],
      ${rows.map((r) => r.createdAt.toISOString())}::timestamptz[], ${column('createdBy')}::bigint[])
      WITH ORDINALITY AS s(person_id, amount_fen, merchant, counter, terminal, reference_type, reference_id, memo,
        allow_arrears, idempotency_scope, idempotency_key, request_hash, created_at, created_by, n)
    ORDER BY s.n`.execute(db);
  return replies.map((r) => r.result);
}
