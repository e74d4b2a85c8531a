import type { SubsidyBatch } from '@canteen/server/api';

export interface SubsidyHistoryProps {
  batches: SubsidyBatch[];
}

export interface SubsidyHistoryEmits {
  /** Open a draft batch again to check and grant it. */
  (e: 'open', batch: SubsidyBatch): void;
}
