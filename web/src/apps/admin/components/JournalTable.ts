import type { JournalEntry } from '@canteen/server/api';

export interface JournalTableProps {
  entries: JournalEntry[];
  loading?: boolean;
}
