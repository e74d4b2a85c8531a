import type { JournalEntry } from '@canteen/server/api';

export interface JournalTableProps {
  entries: JournalEntry[];
  loading?: boolean;
  /** Offer 冲正 on entries that can still be reversed (ledger.reverse). */
  canReverse?: boolean;
}

export interface JournalTableEmits {
  (e: 'reverse', entry: JournalEntry): void;
}
