// Row types of the ledger core's tables (migrations 0002_ledger.sql, 0006_ledger_rules.sql), as Kysely sees
// them. The core owns the accounts and the journal; wallets, withdrawals and the rest post through it.
import type { ColumnType, Generated } from 'kysely';
import type { Id } from '../../db/tables.ts';

/** The accounts of a person's wallet (its purses). */
export type PersonAccountKind =
  | 'subsidy_purse' // 补贴
  | 'own_purse' // 个人充值
  | 'hold'; // funds held for a pending withdrawal (later: lunch orders)

/** The hospital's own accounts, made on first use, one per kind and code. */
export type HospitalAccountKind =
  | 'subsidy_funding'
  | 'topup_clearing' // code: the payment channel (cash is counter_cash)
  | 'counter_cash' // code: the counter
  | 'merchant_revenue' // code: the merchant
  | 'withdrawals_payable'
  | 'expired_subsidy';

export type AccountKind = PersonAccountKind | HospitalAccountKind;

/**
 * What an entry records. The core knows one kind of its own (a reversal); every module that moves money
 * names its own kinds (wallets/kinds.ts, withdrawals/kinds.ts), and the database only checks their form.
 */
export type EntryKind = string;
export const REVERSAL = 'reversal';

export interface LedgerAccountsTable {
  id: Id;
  hospitalId: number;
  kind: AccountKind;
  personId: number | null;
  code: Generated<string>;
  /** Written only by ledger_post() in the database. */
  balanceFen: ColumnType<number, never, never>;
  balanceShards: Generated<number>;
  createdAt: Generated<Date>;
}

export interface LedgerBalanceShardsTable {
  accountId: number;
  shard: number;
  balanceFen: ColumnType<number, never, never>;
}

export interface LedgerAccountBalancesView {
  accountId: ColumnType<number, never, never>;
  balanceFen: ColumnType<number, never, never>;
}

/** Entries and postings are written only by ledger_post(); the database refuses UPDATE and DELETE. */
export interface JournalEntriesTable {
  id: ColumnType<number, never, never>;
  hospitalId: ColumnType<number, never, never>;
  kind: ColumnType<EntryKind, never, never>;
  memo: ColumnType<string, never, never>;
  referenceType: ColumnType<string | null, never, never>;
  referenceId: ColumnType<string | null, never, never>;
  details: ColumnType<Record<string, unknown>, never, never>;
  reversesEntryId: ColumnType<number | null, never, never>;
  allowsArrears: ColumnType<boolean, never, never>;
  idempotencyKey: ColumnType<string | null, never, never>;
  createdAt: ColumnType<Date, never, never>;
  createdBy: ColumnType<number | null, never, never>;
}

export interface PostingsTable {
  entryId: ColumnType<number, never, never>;
  accountId: ColumnType<number, never, never>;
  amountFen: ColumnType<number, never, never>;
}

export interface LedgerTables {
  ledgerAccounts: LedgerAccountsTable;
  ledgerBalanceShards: LedgerBalanceShardsTable;
  ledgerAccountBalances: LedgerAccountBalancesView;
  journalEntries: JournalEntriesTable;
  postings: PostingsTable;
}
