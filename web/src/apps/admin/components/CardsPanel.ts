export interface CardsPanelProps {
  personId: number;
  personName: string;
  /** Issue, replace, return, reset PIN (accounts.manage). */
  canManage: boolean;
  /** Take a loss report at the counter (accounts.manage or topup.cash). */
  canReportLost: boolean;
}

export interface CardsPanelEmits {
  /** A card or PIN changed: the page's history and balances may show it. */
  (e: 'changed'): void;
}
