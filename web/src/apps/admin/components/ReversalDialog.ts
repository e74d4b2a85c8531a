import type { JournalEntry, Reversal } from '@canteen/server/api';

export interface ReversalDialogProps {
  /** The entry to reverse; the dialog shows it whole before anything is posted. */
  entry: JournalEntry | null;
}

export interface ReversalDialogEmits {
  (e: 'reversed', reversal: Reversal): void;
}
