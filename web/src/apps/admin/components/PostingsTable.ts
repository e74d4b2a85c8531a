import type { JournalEntry } from '@canteen/server/api';

export interface PostingsTableProps {
  postings: JournalEntry['postings'];
  /** The person an account belongs to, in words (王晓燕（10001）); by id when not given. */
  personName?: (personId: number) => string;
  /** Add the column of what a reversal would post: every amount negated. */
  withReversal?: boolean;
}
