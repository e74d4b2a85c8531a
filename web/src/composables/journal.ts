import type { JournalEntry } from '@canteen/server/api';

/** What an entry moved: the sum of its gains (it balances, so the same as its losses), in fen. */
export const movedFen = (entry: Pick<JournalEntry, 'postings'>): number =>
  entry.postings.reduce((total, p) => total + Math.max(p.amountFen, 0), 0);

/** A reversal is never reversed again, and an entry is reversed at most once. */
export const isReversible = (entry: Pick<JournalEntry, 'kind' | 'reversedByEntryId'>): boolean =>
  entry.kind !== 'reversal' && entry.reversedByEntryId === null;
