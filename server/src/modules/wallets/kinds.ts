// The journal entry kinds the wallets module writes (the ledger core checks only their form).
export const WALLET_ENTRY_KINDS = [
  'spend', // a sale at a till
  'top_up', // money in: cash at a counter, an online channel
  'subsidy_grant', // 补贴 granted
  'subsidy_expiry', // 清零 at month end, or unspent subsidy returned at 退卡
  'transfer', // 同事间转账
  // Own funds held, then paid out or given back: a withdrawal (提款) today, lunch orders later. 退卡 pays own
  // funds out in cash as a withdrawal_settle too (reference account_return).
  'withdrawal_hold',
  'withdrawal_settle',
  'withdrawal_release',
] as const;
