import type { Wallet } from '@canteen/server/api';

export interface WalletSummaryProps {
  wallet: Wallet;
}
