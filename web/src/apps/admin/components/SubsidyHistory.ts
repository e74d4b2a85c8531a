import type { SubsidyBatch, SubsidyMonths } from '@canteen/server/api';

export interface SubsidyHistoryProps {
  batches: SubsidyBatch[];
  /** Granted per month from the journal (GET /api/subsidies/months), newest first. */
  months: SubsidyMonths['items'];
}

export interface SubsidyHistoryEmits {
  /** Open a draft batch again to check and grant it. */
  (e: 'open', batch: SubsidyBatch): void;
}
