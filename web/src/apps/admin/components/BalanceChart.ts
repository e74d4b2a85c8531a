import type { StatementItem, Wallet } from '@canteen/server/api';

export interface BalanceChartProps {
  wallet: Wallet;
  /** The newest movements, newest first. */
  items: StatementItem[];
}
