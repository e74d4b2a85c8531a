// Row types of the ledger's tables (migration 0002_ledger.sql), as Kysely sees them.
import type { ColumnType, Generated } from 'kysely';
import type { Id } from '../../db/tables.ts';

/** Person accounts (the wallet's purses) and the hospital's own accounts. */
export type AccountKind =
  | 'subsidy_purse' // 补贴
  | 'own_purse' // 个人充值
  | 'hold' // funds held for a pending withdrawal (later: lunch orders)
  | 'subsidy_funding'
  | 'topup_clearing' // per payment channel
  | 'counter_cash' // per counter
  | 'merchant_revenue' // per merchant
  | 'withdrawals_payable'
  | 'expired_subsidy';

export const PERSON_ACCOUNT_KINDS = ['subsidy_purse', 'own_purse', 'hold'] as const;

export type EntryKind =
  | 'spend'
  | 'top_up'
  | 'subsidy_grant'
  | 'subsidy_expiry'
  | 'transfer'
  | 'withdrawal_hold'
  | 'withdrawal_settle'
  | 'withdrawal_release'
  | 'reversal';

export const ENTRY_KINDS: readonly EntryKind[] = [
  'spend',
  'top_up',
  'subsidy_grant',
  'subsidy_expiry',
  'transfer',
  'withdrawal_hold',
  'withdrawal_settle',
  'withdrawal_release',
  'reversal',
];

export type WalletStatus = 'open' | 'frozen' | 'closed';
export type SpendOrder = 'subsidy_first' | 'own_first';
export type SubsidyExpiry = 'month_end' | 'roll_over';

export interface LedgerPoliciesTable {
  hospitalId: number;
  spendOrder: Generated<SpendOrder>;
  subsidyExpiry: Generated<SubsidyExpiry>;
  transferDailyLimitFen: Generated<number>;
  updatedAt: Generated<Date>;
}

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

export interface WalletsTable {
  personId: number;
  hospitalId: number;
  status: Generated<WalletStatus>;
  subsidyAccountId: number;
  ownAccountId: number;
  holdAccountId: number;
  openedAt: Date;
  statusChangedAt: Date;
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

export type WithdrawalStatus = 'pending' | 'paid' | 'rejected';

export interface WithdrawalsTable {
  id: Id;
  hospitalId: number;
  personId: number;
  amountFen: number;
  status: Generated<WithdrawalStatus>;
  note: Generated<string>;
  decisionNote: Generated<string>;
  requestedAt: Date;
  decidedAt: Date | null;
  decidedBy: number | null;
}

export interface LedgerTables {
  withdrawals: WithdrawalsTable;
  ledgerPolicies: LedgerPoliciesTable;
  ledgerAccounts: LedgerAccountsTable;
  ledgerBalanceShards: LedgerBalanceShardsTable;
  ledgerAccountBalances: LedgerAccountBalancesView;
  wallets: WalletsTable;
  journalEntries: JournalEntriesTable;
  postings: PostingsTable;
}
