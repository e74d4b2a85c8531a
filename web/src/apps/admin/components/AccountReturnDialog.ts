import type { AccountReturnReceipt, Wallet } from '@canteen/server/api';

export interface AccountReturnDialogProps {
  personId: number;
  personName: string;
  wallet: Wallet;
}

export interface AccountReturnDialogEmits {
  (e: 'returned', receipt: AccountReturnReceipt): void;
}
