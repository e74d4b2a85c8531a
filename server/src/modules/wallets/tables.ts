// Row types of the wallets' tables (migration 0002_ledger.sql), as Kysely sees them.
import type { ColumnType, Generated } from 'kysely';

export type WalletStatus = 'open' | 'frozen' | 'closed';
export type SpendOrder = 'subsidy_first' | 'own_first';
export type SubsidyExpiry = 'month_end' | 'roll_over';

/** The hospital's wallet rules: purse order of a sale, subsidy expiry (清零), the daily transfer limit. */
export interface LedgerPoliciesTable {
  hospitalId: number;
  spendOrder: Generated<SpendOrder>;
  subsidyExpiry: Generated<SubsidyExpiry>;
  transferDailyLimitFen: Generated<number>;
  /** Codes of the hospital's cash counters, a JSON array (0013_cash_counters.sql). */
  cashCounters: ColumnType<string[], string | undefined, string>;
  updatedAt: Generated<Date>;
}

/**
 * A person's wallet: the three purse accounts the ledger core keeps (subsidy 补贴, own funds 个人充值, hold),
 * and whether it pays. open: pays · frozen: the person left (or an admin froze it) · closed: returned (退卡).
 */
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

export interface WalletTables {
  wallets: WalletsTable;
  ledgerPolicies: LedgerPoliciesTable;
}
